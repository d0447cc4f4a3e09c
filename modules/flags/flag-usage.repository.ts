import type { Knex } from 'knex';

export interface FlagUsage {
  flagId: string;
  windowHours: number;
  /** Evaluations counted in the window (each api process flushes its counts every few seconds). */
  evaluations: number;
  lastEvaluatedAt: string | null;
}

/**
 * How much a flag is evaluated, from `flag_evaluation_counts` (per flag and hour).
 *
 * Calling convention (every repository): a method a write calls takes the write's transaction as
 * its first parameter (or the database, when the same read also runs outside a write); a read only
 * made outside writes uses the repository's own connection.
 */
export class FlagUsageRepository {
  constructor(private readonly db: Knex) {}

  async lastHours(tenantId: string, flagId: string, hours: number, now: Date): Promise<FlagUsage> {
    const since = new Date(Math.floor(now.getTime() / 3600_000) * 3600_000 - (hours - 1) * 3600_000);
    const row: { evaluations: string | null; last: Date | null } | undefined = await this.db('flag_evaluation_counts')
      .where({ tenantId, featureFlagId: flagId })
      .andWhere('hour', '>=', since)
      .first(this.db.raw('sum(count) as evaluations'), this.db.raw('max(last_evaluated_at) as last'));
    return {
      flagId,
      windowHours: hours,
      evaluations: Number(row?.evaluations ?? 0),
      lastEvaluatedAt: row?.last ? new Date(row.last).toISOString() : null,
    };
  }
}
