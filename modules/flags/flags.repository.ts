import type { Knex } from 'knex';
import { ACTIVE_STATUSES } from '../../core/rollout-plan';
import { UUID_RE } from '../platform/ids';
import type { Cursors, Page } from '../platform/pagination';
import type { FlagView, ListFlagsQuery } from './flags.schemas';

export interface FlagRow {
  id: string;
  tenantId: string;
  key: string;
  description: string;
  enabled: boolean;
  tags: string[];
  version: number;
  archivedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export const toFlagView = (r: FlagRow): FlagView => ({
  id: r.id,
  key: r.key,
  description: r.description,
  enabled: r.enabled,
  tags: r.tags,
  version: r.version,
  archivedAt: r.archivedAt?.toISOString() ?? null,
  createdAt: r.createdAt.toISOString(),
  updatedAt: r.updatedAt.toISOString(),
});

const SORT_COLUMN = { key: 'key', updatedAt: 'updated_at', createdAt: 'created_at' } as const;

/**
 * A tenant's feature flags.
 *
 * Calling convention (every repository): a method a write calls takes the write's transaction as
 * its first parameter (or the database, when the same read also runs outside a write); a read only
 * made outside writes uses the repository's own connection.
 */
export class FlagsRepository {
  constructor(
    private readonly db: Knex,
    private readonly cursors: Cursors,
  ) {}

  async find(tenantId: string, id: string): Promise<FlagRow | undefined> {
    if (!UUID_RE.test(id)) return undefined;
    return this.db<FlagRow>('feature_flags').where({ tenantId, id }).first();
  }

  async findForUpdate(trx: Knex, tenantId: string, id: string): Promise<FlagRow | undefined> {
    if (!UUID_RE.test(id)) return undefined;
    return trx<FlagRow>('feature_flags').where({ tenantId, id }).forUpdate().first();
  }

  async findByKey(tenantId: string, key: string): Promise<FlagRow | undefined> {
    return this.db<FlagRow>('feature_flags').where({ tenantId, key }).first();
  }

  async keyTaken(trx: Knex, tenantId: string, key: string): Promise<boolean> {
    return (await trx('feature_flags').where({ tenantId, key }).first('id')) !== undefined;
  }

  async insert(trx: Knex, row: FlagRow): Promise<void> {
    await trx('feature_flags').insert(row);
  }

  /** Applies `changes`, bumps the version and returns the new row. */
  async update(
    trx: Knex,
    tenantId: string,
    id: string,
    changes: Partial<Pick<FlagRow, 'description' | 'tags' | 'enabled' | 'archivedAt'>>,
    now: Date,
  ): Promise<FlagRow> {
    const [row] = await trx<FlagRow>('feature_flags')
      .where({ tenantId, id })
      .update({ ...changes, updatedAt: now, version: trx.raw('version + 1') } as never)
      .returning('*');
    return row as FlagRow;
  }

  async list(tenantId: string, f: ListFlagsQuery): Promise<Page<FlagView>> {
    const desc = f.sort.startsWith('-');
    const field = f.sort.replace('-', '') as keyof typeof SORT_COLUMN;
    const column = SORT_COLUMN[field];
    const q = this.db<FlagRow>('feature_flags').where({ tenantId });
    if (f.archived) q.whereNotNull('archivedAt');
    else q.whereNull('archivedAt');
    if (f.enabled !== undefined) q.where('enabled', f.enabled);
    if (f.tag) q.whereRaw('tags @> array[?]::text[]', [f.tag]);
    if (f.rollout === 'active') {
      q.whereExists(
        this.db('rollout_plans')
          .select('id')
          .where('rollout_plans.tenantId', tenantId)
          .where('rollout_plans.flagId', this.db.ref('feature_flags.id'))
          .whereIn('rollout_plans.status', ACTIVE_STATUSES),
      );
    }
    if (f.q) {
      const like = `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      q.where((w) => w.whereILike('key', like).orWhereILike('description', like));
    }
    // a cursor belongs to one sort order: its value is that order's column
    const list = `flags:${f.sort}:${tenantId}`;
    const cursor = this.cursors.decode(list, f.cursor, field === 'key' ? 'text' : 'date');
    if (cursor) {
      const cast = field === 'key' ? 'text' : 'timestamptz';
      q.whereRaw(`(${column}, id) ${desc ? '<' : '>'} (?::${cast}, ?::uuid)`, [cursor.v, cursor.id]);
    }
    const order = desc ? 'desc' : 'asc';
    const rows = await q
      .orderBy([
        { column: field, order },
        { column: 'id', order },
      ])
      .limit(f.limit + 1);
    return this.cursors.page(list, rows.map(toFlagView), f.limit, (v) => ({ v: v[field], id: v.id }));
  }
}
