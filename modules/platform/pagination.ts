import type { Knex } from 'knex';
import { ValidationError } from '../../core/errors';
import { UUID_RE } from './ids';

/** Opaque cursor: the last row's sort value and id, so ordering is stable with ties. */
export interface Cursor {
  v: string | number | boolean | null;
  id: string;
}

/** What the sort value must be, checked so a forged cursor is a 400 and never reaches SQL as garbage. */
export type CursorValueKind = 'date' | 'text';

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

function validValue(v: unknown, kind: CursorValueKind): boolean {
  if (typeof v !== 'string') return false;
  return kind === 'text' || !Number.isNaN(Date.parse(v));
}

export function decodeCursor(raw: string | undefined, kind: CursorValueKind = 'date'): Cursor | undefined {
  if (raw === undefined) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    if (parsed && typeof parsed.id === 'string' && UUID_RE.test(parsed.id) && validValue(parsed.v, kind)) return parsed as Cursor;
  } catch {
    // fall through to the validation error
  }
  throw new ValidationError('Query is invalid.', [{ path: 'cursor', message: 'is not a cursor this server issued' }]);
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Given limit+1 rows, returns the page and the cursor of its last row. */
export function toPage<T>(rows: T[], limit: number, cursorOf: (row: T) => Cursor): Page<T> {
  const items = rows.slice(0, limit);
  const more = rows.length > limit;
  return { items, nextCursor: more && items.length ? encodeCursor(cursorOf(items[items.length - 1])) : null };
}

/**
 * A page of `q` newest first (`created_at desc, id desc`, the order our audit, inbox, token and
 * webhook lists share), after `cursor` when one is given.
 */
export async function newestFirstPage<Row extends { createdAt: Date; id: string }, View>(
  q: Knex.QueryBuilder,
  limit: number,
  cursor: string | undefined,
  toView: (row: Row) => View,
): Promise<Page<View>> {
  const c = decodeCursor(cursor);
  if (c) q.whereRaw('(created_at, id) < (?::timestamptz, ?::uuid)', [String(c.v), c.id]);
  const rows: Row[] = await q
    .orderBy([
      { column: 'createdAt', order: 'desc' },
      { column: 'id', order: 'desc' },
    ])
    .limit(limit + 1);
  const page = toPage(rows, limit, (r) => ({ v: r.createdAt.toISOString(), id: r.id }));
  return { items: page.items.map(toView), nextCursor: page.nextCursor };
}
