import { computed, ref, type ComputedRef, type Ref } from 'vue';
import { toApiError } from '@/api/client';

export interface VersionedDraftOptions<S extends { version: number }> {
  /** The part of a server copy a person edits, as it would be saved. */
  editable: (server: S) => unknown;
  /** The draft as it would be saved now. */
  current: () => unknown;
  /** Sets the draft's fields from a server copy, or to a new resource's defaults. */
  fill: (server: S | null) => void;
}

export interface VersionedDraft<S> {
  /** The server copy being edited. */
  server: Ref<S | null>;
  /** The editable part as it was when editing began: what "dirty" compares with. */
  baseline: Ref<string>;
  dirty: ComputedRef<boolean>;
  /** A newer copy whose editable part differs from what this edit started from. */
  changedUnderneath: Ref<S | null>;
  /** Starts editing from `server` (after loading or saving, or to discard), or a new resource from null. */
  adopt(server: S | null): void;
  /** Takes a polled copy: adopted when nothing is typed, never overwriting what is. */
  receive(latest: S): void;
  /**
   * Saves with the version this edit knows. The version guards the whole resource, so another
   * write may move it without touching what is edited: then saving again with the new version
   * is safe; when the edited part moved too, the person decides (`changedUnderneath`).
   */
  saveGuarded(put: (version: number) => Promise<S>, latest: () => Promise<S>): Promise<S>;
}

const same = (a: unknown, baseline: string) => JSON.stringify(a) === baseline;

export function useVersionedDraft<S extends { version: number }>(options: VersionedDraftOptions<S>): VersionedDraft<S> {
  const server = ref<S | null>(null) as Ref<S | null>;
  const baseline = ref('');
  const changedUnderneath = ref<S | null>(null) as Ref<S | null>;
  const dirty = computed(() => !same(options.current(), baseline.value));

  function adopt(s: S | null): void {
    server.value = s;
    options.fill(s);
    baseline.value = JSON.stringify(options.current());
    changedUnderneath.value = null;
  }

  function receive(latest: S): void {
    if (!server.value) return adopt(latest);
    if (latest.version === server.value.version || (dirty.value && same(options.editable(latest), baseline.value))) {
      server.value = latest;
    } else if (dirty.value) changedUnderneath.value = latest;
    else adopt(latest);
  }

  async function saveGuarded(put: (version: number) => Promise<S>, latest: () => Promise<S>): Promise<S> {
    if (!server.value) throw new Error('nothing to save: no server copy yet');
    try {
      return await put(server.value.version);
    } catch (err) {
      if (toApiError(err).code !== 'PRECONDITION_FAILED') throw err;
      const now = await latest();
      if (!same(options.editable(now), baseline.value)) {
        changedUnderneath.value = now;
        throw err;
      }
      server.value = now;
      return put(now.version);
    }
  }

  return { server, baseline, dirty, changedUnderneath, adopt, receive, saveGuarded };
}
