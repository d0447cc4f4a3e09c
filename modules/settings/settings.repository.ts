import type { Knex } from 'knex';
import { newId } from '../platform/ids';

export interface SwitchValue {
  on: boolean;
  reason: string | null;
}

export interface SettingRow {
  value: SwitchValue;
  updatedAt: Date;
  updatedBy: string | null;
}

/**
 * The `settings` table: one row per run-time switch, in a tenant or global (`tenantId` null).
 *
 * Calling convention (every repository): a method a write calls takes the write's transaction as
 * its first parameter (or the database, when the same read also runs outside a write); a read only
 * made outside writes uses the repository's own connection.
 */
export class SettingsRepository {
  /** `db` is the write's transaction when the read is part of one. */
  async find(db: Knex, tenantId: string | null, key: string): Promise<SettingRow | undefined> {
    const row: SettingRow | undefined = await db('settings').where({ tenantId, key }).first();
    return row;
  }

  async put(trx: Knex, tenantId: string | null, key: string, value: SwitchValue, now: Date, by: string): Promise<void> {
    await trx('settings')
      .insert({ id: newId(), tenantId, key, value, updatedAt: now, updatedBy: by })
      .onConflict(['tenant_id', 'key'])
      .merge({ value, updatedAt: now, updatedBy: by, version: trx.raw('settings.version + 1') });
  }
}
