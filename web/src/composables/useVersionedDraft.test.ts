import { describe, expect, it } from '@jest/globals';
import { ref } from 'vue';
import { ApiError } from '@/api/client';
import { useVersionedDraft } from './useVersionedDraft';

interface Doc {
  version: number;
  title: string;
  /** Not edited here (like a flag's enabled state): moves the version without touching the draft. */
  enabled: boolean;
}

function editor() {
  const title = ref('');
  const draft = useVersionedDraft<Doc>({
    editable: (d) => ({ title: d.title }),
    current: () => ({ title: title.value }),
    fill: (d) => {
      title.value = d?.title ?? 'untitled';
    },
  });
  return { title, draft };
}
const conflict = () => new ApiError({ code: 'PRECONDITION_FAILED', message: 'changed', status: 412 });

describe('useVersionedDraft', () => {
  it('when nothing is typed and a newer copy arrives, then the draft follows it', () => {
    const { title, draft } = editor();
    draft.adopt({ version: 1, title: 'a', enabled: false });
    draft.receive({ version: 2, title: 'b', enabled: false });
    expect(title.value).toBe('b');
    expect(draft.dirty.value).toBe(false);
    expect(draft.changedUnderneath.value).toBeNull();
  });

  it('when someone else changes what is being typed over, then the typing stays and the newer copy waits in changedUnderneath', () => {
    const { title, draft } = editor();
    draft.adopt({ version: 1, title: 'a', enabled: false });
    title.value = 'mine';
    draft.receive({ version: 2, title: 'theirs', enabled: false });
    expect(title.value).toBe('mine');
    expect(draft.dirty.value).toBe(true);
    expect(draft.changedUnderneath.value?.title).toBe('theirs');
  });

  it('when only something not edited here moved, then there is no conflict: the draft stays and knows the new version', () => {
    const { title, draft } = editor();
    draft.adopt({ version: 1, title: 'a', enabled: false });
    title.value = 'mine';
    draft.receive({ version: 2, title: 'a', enabled: true });
    expect(title.value).toBe('mine');
    expect(draft.changedUnderneath.value).toBeNull();
    expect(draft.server.value?.version).toBe(2);
  });

  it('when a new resource starts from defaults, then it is not dirty until typed in', () => {
    const { title, draft } = editor();
    draft.adopt(null);
    expect(title.value).toBe('untitled');
    expect(draft.dirty.value).toBe(false);
    title.value = 'x';
    expect(draft.dirty.value).toBe(true);
  });

  it('when saving meets a 412 but the edited part did not move, then it saves again with the new version', async () => {
    const { title, draft } = editor();
    draft.adopt({ version: 1, title: 'a', enabled: false });
    title.value = 'mine';
    const versions: number[] = [];
    const saved = await draft.saveGuarded(
      async (v) => {
        versions.push(v);
        if (v === 1) throw conflict();
        return { version: 3, title: title.value, enabled: true };
      },
      async () => ({ version: 2, title: 'a', enabled: true }),
    );
    expect(versions).toEqual([1, 2]);
    expect(saved.title).toBe('mine');
  });

  it('when saving meets a 412 and the edited part moved, then nothing is overwritten and the person sees the newer copy', async () => {
    const { title, draft } = editor();
    draft.adopt({ version: 1, title: 'a', enabled: false });
    title.value = 'mine';
    const versions: number[] = [];
    const put = async (v: number): Promise<Doc> => {
      versions.push(v);
      throw conflict();
    };
    await expect(
      draft.saveGuarded(put, async () => ({ version: 2, title: 'theirs', enabled: false })),
    ).rejects.toMatchObject({ code: 'PRECONDITION_FAILED' });
    expect(versions).toEqual([1]);
    expect(draft.changedUnderneath.value?.title).toBe('theirs');
    expect(title.value).toBe('mine');
  });
});
