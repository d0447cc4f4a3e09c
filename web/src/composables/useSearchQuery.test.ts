import { describe, expect, it } from '@jest/globals';
import { createApp, defineComponent, effectScope, nextTick } from 'vue';
import { createMemoryHistory, createRouter } from 'vue-router';
import { useSearchQuery } from './useSearchQuery';

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function setup(path: string) {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [{ path: '/:any(.*)*', component: defineComponent({ render: () => null }) }],
  });
  await router.push(path);
  const app = createApp({ render: () => null }).use(router);
  const scope = effectScope();
  const search = app.runWithContext(() => scope.run(() => useSearchQuery('q', 20))!);
  return { router, search, scope };
}

describe('useSearchQuery', () => {
  it('starts from the address, and writes what is typed, trimmed, after a pause', async () => {
    const { router, search, scope } = await setup('/flags?tenant=acme&q=beta');
    expect(search.text.value).toBe('beta');

    search.text.value = ' checkout ';
    await nextTick();
    expect(router.currentRoute.value.query.q).toBe('beta');
    await pause(40);
    expect(router.currentRoute.value.query).toEqual({ tenant: 'acme', q: 'checkout' });

    search.text.value = '';
    await nextTick();
    await pause(40);
    expect(router.currentRoute.value.query).toEqual({ tenant: 'acme' });
    scope.stop();
  });

  it('writes at once on flush, and a cleared box forgets what was waiting', async () => {
    const { router, search, scope } = await setup('/flags');
    search.text.value = 'apple';
    await nextTick();
    search.flush();
    await pause(0);
    expect(router.currentRoute.value.query.q).toBe('apple');

    search.text.value = 'apple-pay';
    await nextTick();
    search.clear();
    await nextTick();
    await pause(40);
    expect(search.text.value).toBe('');
    expect(router.currentRoute.value.query.q).toBeUndefined();
    scope.stop();
  });

  it('shows what the address says after back/forward', async () => {
    const { router, search, scope } = await setup('/flags?q=one');
    await router.replace('/flags?q=two');
    await nextTick();
    expect(search.text.value).toBe('two');
    scope.stop();
  });
});
