import { afterEach, describe, expect, it } from '@jest/globals';
import { ref } from 'vue';
import { ApiError } from '@/api/client';
import { usePolledResource, type PolledResource, type PolledResourceOptions } from './usePolledResource';
import { deferred, inScope, settle, stopScopes } from './test-support';

interface Thing {
  id: string;
  status: string;
}

const answer = (id: string, status = 'running') => ({ data: { id, status } });

function polled(options: Omit<PolledResourceOptions<Thing>, 'intervalMs'>): PolledResource<Thing> {
  return inScope(() => usePolledResource<Thing>({ intervalMs: 60_000, ...options }));
}
afterEach(stopScopes);

describe('usePolledResource', () => {
  it('asks for the resource of the key at once, and asks again on refresh', async () => {
    const asked: string[] = [];
    const thing = polled({
      key: () => 'p1',
      fetch: async (id) => {
        asked.push(id);
        return answer(id);
      },
    });
    await settle();
    expect(thing.data.value).toEqual({ id: 'p1', status: 'running' });
    await thing.refresh();
    expect(asked).toEqual(['p1', 'p1']);
  });

  it('when the key changes while the old resource’s answer is on its way, then that answer is never shown', async () => {
    const key = ref('p1');
    const answers: Record<string, ReturnType<typeof deferred<{ data: Thing }>>> = { p1: deferred(), p2: deferred() };
    const thing = polled({ key, fetch: (id) => answers[id].promise });

    key.value = 'p2';
    await settle();
    answers.p1.resolve(answer('p1'));
    await settle();
    expect(thing.data.value).toBeNull();

    answers.p2.resolve(answer('p2'));
    await settle();
    expect(thing.data.value?.id).toBe('p2');
  });

  it('when the key changes, then what is shown is dropped at once and onReset runs', async () => {
    const key = ref('p1');
    let resets = 0;
    const p2 = deferred<{ data: Thing }>();
    const thing = polled({
      key,
      fetch: async (id) => (id === 'p1' ? answer(id) : p2.promise),
      onReset: () => void resets++,
    });
    await settle();
    expect(thing.data.value?.id).toBe('p1');

    key.value = 'p2';
    await settle();
    expect(thing.data.value).toBeNull();
    expect(resets).toBe(2);
    p2.resolve(answer('p2'));
    await settle();
    expect(thing.data.value?.id).toBe('p2');
  });

  it('hands every answer to onData with the one before it, and tells it when its key is no longer current', async () => {
    const key = ref('p1');
    let status = 'running';
    const seen: [string, string | undefined][] = [];
    const currents: (() => boolean)[] = [];
    polled({
      key,
      fetch: async (id) => answer(id, status),
      onData: (data, before, current) => {
        seen.push([data.status, before?.status]);
        currents.push(current);
      },
    });
    await settle();
    expect(seen).toEqual([['running', undefined]]);
    expect(currents[0]()).toBe(true);

    key.value = 'p2';
    status = 'paused';
    await settle();
    expect(seen).toEqual([
      ['running', undefined],
      ['paused', undefined],
    ]);
    expect(currents[0]()).toBe(false);
    expect(currents[1]()).toBe(true);
  });

  it('when a poll fails, then the error shows beside what was shown, and the next good answer clears it', async () => {
    let fail = false;
    const thing = polled({
      key: () => 'p1',
      fetch: async (id) => {
        if (fail) throw new ApiError({ code: 'UNAVAILABLE', message: 'down', status: 503 });
        return answer(id);
      },
    });
    await settle();
    fail = true;
    await thing.refresh();
    expect(thing.error.value?.code).toBe('UNAVAILABLE');
    expect(thing.data.value?.id).toBe('p1');
    fail = false;
    await thing.refresh();
    expect(thing.error.value).toBeNull();
  });

  it('when onData fails, then its error is the resource’s error and the answer stays shown', async () => {
    const thing = polled({
      key: () => 'p1',
      fetch: async (id) => answer(id),
      onData: async () => {
        throw new ApiError({ code: 'NOT_FOUND', message: 'gone', status: 404 });
      },
    });
    await settle();
    expect(thing.data.value?.id).toBe('p1');
    expect(thing.error.value?.code).toBe('NOT_FOUND');
  });
});
