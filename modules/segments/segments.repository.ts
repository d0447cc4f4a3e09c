import type { Knex } from 'knex';
import type { Constraint } from '../../core/constraints';
import { UUID_RE } from '../platform/ids';
import type { Cursors, Page } from '../platform/pagination';
import type { ListSegmentsQuery, SegmentView } from './segments.schemas';

export interface SegmentRow {
  id: string;
  tenantId: string;
  name: string;
  description: string;
  constraints: Constraint[];
  version: number;
  archivedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export type SegmentChanges = Partial<Pick<SegmentRow, 'name' | 'description' | 'constraints' | 'archivedAt'>>;

export const toSegmentView = (r: SegmentRow): SegmentView => ({
  id: r.id,
  name: r.name,
  description: r.description,
  constraints: r.constraints,
  version: r.version,
  archivedAt: r.archivedAt?.toISOString() ?? null,
  createdAt: r.createdAt.toISOString(),
  updatedAt: r.updatedAt.toISOString(),
});

const serialized = (changes: SegmentChanges) =>
  changes.constraints === undefined ? changes : { ...changes, constraints: JSON.stringify(changes.constraints) };

/**
 * A tenant's segments.
 *
 * Calling convention (every repository): a method a write calls takes the write's transaction as
 * its first parameter (or the database, when the same read also runs outside a write); a read only
 * made outside writes uses the repository's own connection.
 */
export class SegmentsRepository {
  constructor(
    private readonly db: Knex,
    private readonly cursors: Cursors,
  ) {}

  async find(tenantId: string, id: string): Promise<SegmentRow | undefined> {
    if (!UUID_RE.test(id)) return undefined;
    return this.db<SegmentRow>('segments').where({ tenantId, id }).first();
  }

  async findForUpdate(trx: Knex, tenantId: string, id: string): Promise<SegmentRow | undefined> {
    if (!UUID_RE.test(id)) return undefined;
    return trx<SegmentRow>('segments').where({ tenantId, id }).forUpdate().first();
  }

  /** Locks the active segments among `ids` against archiving (FOR SHARE) and returns the ids found. */
  async lockActive(trx: Knex, tenantId: string, ids: string[]): Promise<Set<string>> {
    const valid = ids.filter((id) => UUID_RE.test(id));
    if (valid.length === 0) return new Set();
    const rows: Array<{ id: string }> = await trx('segments')
      .where({ tenantId })
      .whereIn('id', valid)
      .whereNull('archivedAt')
      .forShare()
      .select('id');
    return new Set(rows.map((r) => r.id));
  }

  async activeNameTaken(trx: Knex, tenantId: string, name: string, exceptId?: string): Promise<boolean> {
    const q = trx('segments').where({ tenantId }).whereNull('archivedAt').whereRaw('lower(name) = lower(?)', [name]);
    if (exceptId) q.whereNot('id', exceptId);
    return (await q.first('id')) !== undefined;
  }

  async insert(trx: Knex, row: SegmentRow): Promise<void> {
    await trx('segments').insert({ ...row, constraints: JSON.stringify(row.constraints) });
  }

  /** Applies `changes`, bumps the version and returns the new row. */
  async update(trx: Knex, tenantId: string, id: string, changes: SegmentChanges, now: Date): Promise<SegmentRow> {
    const [row] = await trx<SegmentRow>('segments')
      .where({ tenantId, id })
      .update({ ...serialized(changes), updatedAt: now, version: trx.raw('version + 1') } as never)
      .returning('*');
    return row as SegmentRow;
  }

  async list(tenantId: string, f: ListSegmentsQuery): Promise<Page<SegmentView>> {
    const q = this.db<SegmentRow>('segments').where({ tenantId });
    if (f.archived) q.whereNotNull('archivedAt');
    else q.whereNull('archivedAt');
    if (f.q) {
      const like = `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      q.where((w) => w.whereILike('name', like).orWhereILike('description', like));
    }
    const list = `segments:${tenantId}`;
    const cursor = this.cursors.decode(list, f.cursor, 'text');
    if (cursor) q.whereRaw('(name, id) > (?::text, ?::uuid)', [cursor.v, cursor.id]);
    const rows = await q.orderBy([{ column: 'name' }, { column: 'id' }]).limit(f.limit + 1);
    return this.cursors.page(list, rows.map(toSegmentView), f.limit, (s) => ({ v: s.name, id: s.id }));
  }
}
