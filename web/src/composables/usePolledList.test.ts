import { afterEach, describe, expect, it } from '@jest/globals';
import { ref } from 'vue';
import { ApiError, type Fresh } from '@/api/client';
import { usePolledList, type Page, type PolledList, type PolledListOptions } from './usePolledList';
import { deferred, inScope, settle, stopScopes } from './test-support';

interface Item {
  id: string;
  n: number;
}

const page = (ids: string[], nextCursor: string | null = null): Fresh<Page<Item>> => ({
  data: { items: ids.map((id, n) => ({ id, n })), nextCursor },
  changed: true,
});
const ids = (list: PolledList<Item>) => list.items.value.map((i) => i.id);

function polled(options: Omit<PolledListOptions<Item>, 'intervalMs'>): PolledList<Item> {
  return inScope(() => usePolledList<Item>({ intervalMs: 60_000, ...options }));
}
afterEach(stopScopes);

describe('usePolledList', () => {
  it('when the tenant changes while the old tenant’s answer is on its way, then that answer is never shown', async () => {
    const tenant = ref('acme');
    const answers: Record<string, ReturnType<typeof deferred<Fresh<Page<Item>>>>> = {
      acme: deferred(),
      globex: deferred(),
    };
    const list = polled({ first: () => answers[tenant.value].promise, resetOn: [tenant] });

    tenant.value = 'globex';
    await settle();
    answers.acme.resolve(page(['a1', 'a2']));
    await settle();
    expect(list.items.value).toEqual([]);
    expect(list.loaded.value).toBe(false);

    answers.globex.resolve(page(['g1']));
    await settle();
    expect(ids(list)).toEqual(['g1']);
    expect(list.loaded.value).toBe(true);
  });

  it('when the filter changes, then the list empties at once and shows the new answer', async () => {
    const filter = ref('all');
    const unread = deferred<Fresh<Page<Item>>>();
    const list = polled({
      first: async () => (filter.value === 'all' ? page(['a', 'b']) : unread.promise),
      resetOn: [filter],
    });
    await settle();
    expect(ids(list)).toEqual(['a', 'b']);

    filter.value = 'unread';
    await settle();
    expect(list.items.value).toEqual([]);
    expect(list.loaded.value).toBe(false);
    unread.resolve(page(['b']));
    await settle();
    expect(ids(list)).toEqual(['b']);
  });

  it('when a poll comes back after "load more", then what "load more" added stays and so does its cursor', async () => {
    let first = page(['3', '2'], 'c1');
    const list = polled({
      first: async () => first,
      more: async () => page(['2', '1'], null),
      resetOn: [],
      keep: (fresh, shown) =>
        shown.filter((s) => !fresh.some((f) => f.id === s.id) && s.id < fresh[fresh.length - 1].id),
    });
    await settle();
    await list.loadMore();
    expect(ids(list)).toEqual(['3', '2', '1']);
    expect(list.nextCursor.value).toBeNull();

    first = page(['4', '3'], 'c2');
    await list.refresh();
    expect(ids(list)).toEqual(['4', '3', '2', '1']);
    expect(list.nextCursor.value).toBeNull();
  });

  it('when the server answers 304, then the list keeps the very same array (nothing redraws), "load more" pages included', async () => {
    const answer = page(['3', '2'], 'c1');
    let calls = 0;
    const list = polled({
      first: async () => (calls++ ? { data: answer.data, changed: false } : answer),
      more: async () => page(['1']),
      resetOn: [],
      keep: (fresh, shown) => shown.filter((s) => !fresh.some((f) => f.id === s.id)),
    });
    await settle();
    await list.loadMore();
    const shown = list.items.value;
    await list.refresh();
    expect(calls).toBe(2);
    expect(list.items.value).toBe(shown);
    expect(ids(list)).toEqual(['3', '2', '1']);
  });

  it('when a poll fails, then the error shows beside the items already there, and the next good answer clears it', async () => {
    let fail = false;
    const list = polled({
      first: async () => {
        if (fail) throw new ApiError({ code: 'UNAVAILABLE', message: 'down', status: 503 });
        return page(['a']);
      },
      resetOn: [],
    });
    await settle();
    fail = true;
    await list.refresh();
    expect(list.error.value?.code).toBe('UNAVAILABLE');
    expect(ids(list)).toEqual(['a']);
    fail = false;
    await list.refresh();
    expect(list.error.value).toBeNull();
  });

  it('when "load more" is pressed twice quickly, then the next page is asked once', async () => {
    let asked = 0;
    const more = deferred<Fresh<Page<Item>>>();
    const list = polled({
      first: async () => page(['2'], 'c1'),
      more: () => {
        asked++;
        return more.promise;
      },
      resetOn: [],
    });
    await settle();
    const a = list.loadMore();
    const b = list.loadMore();
    more.resolve(page(['2', '1']));
    await Promise.all([a, b]);
    expect(asked).toBe(1);
    expect(ids(list)).toEqual(['2', '1']);
  });

  it('when a search restarts the list, then the earlier search’s late answer is dropped and the items stay until the new one', async () => {
    const answers = [deferred<Fresh<Page<Item>>>(), deferred<Fresh<Page<Item>>>(), deferred<Fresh<Page<Item>>>()];
    let asked = 0;
    const list = polled({ first: () => answers[asked++].promise, resetOn: [] });
    answers[0].resolve(page(['a', 'b']));
    await settle();

    void list.refresh(); // a poll for the old search, slow to answer
    const restarted = list.restart();
    answers[1].resolve(page(['a', 'b', 'c']));
    await settle();
    expect(ids(list)).toEqual(['a', 'b']);

    answers[2].resolve(page(['b']));
    await restarted;
    expect(ids(list)).toEqual(['b']);
  });

  it('sees every page that arrives, so a screen can learn from it or load what hangs off it', async () => {
    const seen: string[][] = [];
    const list = polled({
      first: async () => page(['2'], 'c1'),
      more: async () => page(['1']),
      onPage: (items) => void seen.push(items.map((i) => i.id)),
    });
    await settle();
    await list.loadMore();
    expect(seen).toEqual([['2'], ['1']]);
  });
});
