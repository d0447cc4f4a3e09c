import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Knex } from 'knex';
import { ValidationError } from '../../core/errors';
import { unsafeTextReason } from '../../core/safe-input';
import { UUID_RE } from './ids';

/** A page position: the last row's sort value and id, so ordering is stable with ties. */
export interface Cursor {
  v: string;
  id: string;
}

/** What the sort value must be: an ISO-8601 timestamp as `Date#toISOString` writes it, or text. */
export type CursorValueKind = 'date' | 'text';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** 128 bits of HMAC-SHA256: forging one is out of reach, and cursors stay short. */
const MAC_BYTES = 16;
const MAX_TEXT = 1000;

function isIsoTimestamp(v: string): boolean {
  const d = new Date(v);
  return !Number.isNaN(d.getTime()) && d.toISOString() === v;
}

function validValue(v: unknown, kind: CursorValueKind): v is string {
  if (typeof v !== 'string') return false;
  return kind === 'date' ? isIsoTimestamp(v) : v.length <= MAX_TEXT && !unsafeTextReason(v);
}

const invalid = () =>
  new ValidationError('Query is invalid.', [
    { path: 'query.cursor', message: 'is not a cursor this server issued for this list' },
  ]);

/**
 * Opaque, tamper-evident cursors: `<payload>.<mac>`, the MAC over the list it belongs to
 * (its name and tenant, e.g. `audit:<tenantId>`) and the payload, keyed from the session
 * secret. A forged, edited or foreign cursor is a 400 before any SQL; rotating the secret
 * only restarts paging.
 */
export class Cursors {
  private readonly key: Buffer;

  constructor(secret: string) {
    this.key = createHmac('sha256', secret).update('flagpole pagination cursors').digest();
  }

  private mac(list: string, payload: string): Buffer {
    return createHmac('sha256', this.key).update(`${list}\n${payload}`).digest().subarray(0, MAC_BYTES);
  }

  encode(list: string, cursor: Cursor): string {
    const payload = Buffer.from(JSON.stringify({ v: cursor.v, id: cursor.id })).toString('base64url');
    return `${payload}.${this.mac(list, payload).toString('base64url')}`;
  }

  decode(list: string, raw: string | undefined, kind: CursorValueKind = 'date'): Cursor | undefined {
    if (raw === undefined) return undefined;
    const [payload, mac, extra] = raw.split('.');
    if (!payload || !mac || extra !== undefined) throw invalid();
    const given = Buffer.from(mac, 'base64url');
    // base64url decoding skips stray characters, so the MAC's text must also be exactly what we write
    if (
      given.length !== MAC_BYTES ||
      given.toString('base64url') !== mac ||
      !timingSafeEqual(given, this.mac(list, payload))
    )
      throw invalid();
    let parsed: { v?: unknown; id?: unknown };
    try {
      parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    } catch {
      throw invalid();
    }
    if (!parsed || typeof parsed.id !== 'string' || !UUID_RE.test(parsed.id) || !validValue(parsed.v, kind))
      throw invalid();
    return { v: parsed.v, id: parsed.id };
  }

  /** Given limit+1 rows, returns the page and the cursor of its last row. */
  page<T>(list: string, rows: T[], limit: number, cursorOf: (row: T) => Cursor): Page<T> {
    const items = rows.slice(0, limit);
    const more = rows.length > limit;
    return { items, nextCursor: more && items.length ? this.encode(list, cursorOf(items[items.length - 1])) : null };
  }

  /**
   * A page of `q` newest first (`created_at desc, id desc`, the order our audit, inbox, token and
   * webhook lists share), after `cursor` when one is given.
   */
  async newestFirst<Row extends { createdAt: Date; id: string }, View>(
    list: string,
    q: Knex.QueryBuilder,
    limit: number,
    cursor: string | undefined,
    toView: (row: Row) => View,
  ): Promise<Page<View>> {
    const c = this.decode(list, cursor);
    if (c) q.whereRaw('(created_at, id) < (?::timestamptz, ?::uuid)', [c.v, c.id]);
    const rows: Row[] = await q
      .orderBy([
        { column: 'createdAt', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(limit + 1);
    const page = this.page(list, rows, limit, (r) => ({ v: r.createdAt.toISOString(), id: r.id }));
    return { items: page.items.map(toView), nextCursor: page.nextCursor };
  }
}
