import { describe, expect, it } from '@jest/globals';
import { createApp, defineComponent, nextTick } from 'vue';
import { createMemoryHistory, createRouter, type Router } from 'vue-router';
import { patchQuery, useRouteQuery } from './useRouteQuery';

async function withRouter(path: string): Promise<Router> {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [{ path: '/:any(.*)*', component: defineComponent({ render: () => null }) }],
  });
  await router.push(path);
  return router;
}

describe('useRouteQuery', () => {
  it('reads a parameter, falls back when it is missing or not allowed, and writing the fallback takes it off the address', async () => {
    const router = await withRouter('/rollouts?tenant=acme&state=draft');
    const app = createApp({ render: () => null }).use(router);
    const state = app.runWithContext(() => useRouteQuery('state', 'active', ['active', 'draft', 'all'] as const));
    expect(state.value).toBe('draft');

    state.value = 'all';
    await nextTick();
    await router.isReady();
    await new Promise((r) => setTimeout(r, 0));
    expect(router.currentRoute.value.query).toEqual({ tenant: 'acme', state: 'all' });

    state.value = 'active';
    await new Promise((r) => setTimeout(r, 0));
    expect(router.currentRoute.value.query).toEqual({ tenant: 'acme' });

    await router.replace('/rollouts?state=bogus');
    expect(state.value).toBe('active');
  });

  it('patchQuery sets what has a value and drops what is empty', () => {
    expect(patchQuery({ tenant: 'acme', q: 'x' }, { q: null, tag: 'beta', sort: '' })).toEqual({
      tenant: 'acme',
      tag: 'beta',
    });
  });
});
