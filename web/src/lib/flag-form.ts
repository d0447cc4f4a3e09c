import type { ApiError } from '@/api/client';

/** The API's validation messages for the flag forms, next to the fields they are about. */

export const NEW_FLAG_FIELDS = ['key', 'description', 'tags'] as const;
export type NewFlagField = (typeof NEW_FLAG_FIELDS)[number];

const TAG_PATH = /^tags\[(\d+)\]/;
const isField = (path: string): path is NewFlagField => (NEW_FLAG_FIELDS as readonly string[]).includes(path);

/** `tags[1]` as the tag it points at: “beta”. */
function quoteTag(tags: string[], index: string): string {
  return `“${tags[Number(index)] ?? ''}”`;
}

/** The create form's messages by field; a tag's message names the tag, and a duplicate key is about the key. */
export function newFlagFieldErrors(error: ApiError | null, tags: string[]): Record<NewFlagField, string[]> {
  const out: Record<NewFlagField, string[]> = { key: [], description: [], tags: [] };
  if (!error) return out;
  for (const d of error.details) {
    const path = d.path ?? '';
    const m = TAG_PATH.exec(path);
    if (m) out.tags.push(`${quoteTag(tags, m[1])} ${d.message}`);
    else if (isField(path)) out[path].push(d.message);
  }
  if (error.code === 'CONFLICT' && !out.key.length) out.key.push(error.message);
  return out;
}

/** The create form's error says something no field shows: then it shows under the fields. */
export function newFlagHasGeneralError(error: ApiError | null): boolean {
  if (!error || error.code === 'CONFLICT') return false;
  const aboutFields = error.details.filter((d) => d.path && (TAG_PATH.test(d.path) || isField(d.path)));
  return aboutFields.length !== error.details.length || error.details.length === 0;
}

/** An edit's messages about its tags, each naming the tag it is about: "“beta” must be lowercase". */
export function tagMessages(error: ApiError | null, tags: string[]): string[] {
  return (
    error?.details
      .filter((d) => d.path?.startsWith('tags'))
      .map((d) => `${d.path?.replace(TAG_PATH, (_m, i: string) => quoteTag(tags, i))} ${d.message}`) ?? []
  );
}
