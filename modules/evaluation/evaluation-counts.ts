import type { Knex } from 'knex';
import type { Clock } from '../platform/clock';

/** One flag's evaluations since the last flush; the hot path only increments it. */
export interface CountCell {
  readonly tenantId: string;
  readonly flagId: string;
  count: number;
  lastAt: number;
}

/**
 * Evaluations per flag, counted in memory and added to `flag_evaluation_counts` (per flag and
 * hour) in one statement per flush, for "last evaluated / evaluations per hour".
 */
export class EvaluationCounts {
  private readonly cells = new Map<string, CountCell>();

  constructor(private readonly d: { db: Knex; clock: Clock }) {}

  cell(tenantId: string, flagId: string): CountCell {
    let cell = this.cells.get(flagId);
    if (!cell) {
      cell = { tenantId, flagId, count: 0, lastAt: 0 };
      this.cells.set(flagId, cell);
    }
    return cell;
  }

  /** Writes the counts gathered so far; on failure they are kept for the next flush. Returns the flags written. */
  async flush(): Promise<number> {
    const batch = [...this.cells.values()]
      .filter((c) => c.count > 0)
      .map((c) => ({ cell: c, count: c.count, lastAt: c.lastAt }));
    if (batch.length === 0) return 0;
    for (const b of batch) b.cell.count -= b.count;
    const hour = new Date(Math.floor(this.d.clock.now().getTime() / 3600_000) * 3600_000);
    const rows = batch.map((b) => ({
      tenant_id: b.cell.tenantId,
      flag_id: b.cell.flagId,
      count: b.count,
      last_at: new Date(b.lastAt).toISOString(),
    }));
    try {
      await this.d.db.raw(
        `insert into flag_evaluation_counts (tenant_id, feature_flag_id, hour, count, last_evaluated_at)
         select v.tenant_id, v.flag_id, ?, v.count, v.last_at
         from jsonb_to_recordset(?::jsonb) as v(tenant_id uuid, flag_id uuid, count bigint, last_at timestamptz)
         join feature_flags f on f.id = v.flag_id and f.tenant_id = v.tenant_id
         on conflict (feature_flag_id, hour) do update set
           count = flag_evaluation_counts.count + excluded.count,
           last_evaluated_at = greatest(flag_evaluation_counts.last_evaluated_at, excluded.last_evaluated_at)`,
        [hour, JSON.stringify(rows)],
      );
    } catch (err) {
      for (const b of batch) b.cell.count += b.count;
      throw err;
    }
    return batch.length;
  }
}
