import { describe, expect, it } from '@jest/globals';
import { ApiError } from '@/api/client';
import { useWrite } from './useWrite';

describe('useWrite', () => {
  it('is busy while the write is on its way, and does not start a second one meanwhile', async () => {
    const { busy, error, run } = useWrite();
    let finish!: () => void;
    let calls = 0;
    const first = run(() => {
      calls++;
      return new Promise<void>((resolve) => (finish = resolve));
    });
    expect(busy.value).toBe(true);
    await run(async () => {
      calls++;
    });
    expect(calls).toBe(1);
    finish();
    await first;
    expect(busy.value).toBe(false);
    expect(error.value).toBeNull();
  });

  it('keeps the failure as an ApiError, and forgets it when the next write starts', async () => {
    const { busy, error, run } = useWrite();
    await run(async () => {
      throw new ApiError({ code: 'CONFLICT', message: 'taken', status: 409 });
    });
    expect(error.value?.code).toBe('CONFLICT');
    expect(busy.value).toBe(false);

    await run(async () => {
      expect(error.value).toBeNull();
    });
    await run(async () => {
      throw new Error('network down');
    });
    expect(error.value).toBeInstanceOf(ApiError);
    expect(error.value?.message).toBe('network down');
  });
});
