import { ref, type Ref } from 'vue';
import { toApiError, type ApiError } from '@/api/client';

export interface Write {
  /** A write is on its way. */
  busy: Ref<boolean>;
  /** Why the last write failed; cleared when the next one starts. */
  error: Ref<ApiError | null>;
  /** Runs `write` unless one is on its way already; a failure lands in `error`, not in the caller. */
  run(write: () => Promise<void>): Promise<void>;
}

/** A form's write: one at a time, with its failure kept for the form to show. */
export function useWrite(): Write {
  const busy = ref(false);
  const error = ref<ApiError | null>(null);

  async function run(write: () => Promise<void>): Promise<void> {
    if (busy.value) return;
    busy.value = true;
    error.value = null;
    try {
      await write();
    } catch (err) {
      error.value = toApiError(err);
    } finally {
      busy.value = false;
    }
  }

  return { busy, error, run };
}
