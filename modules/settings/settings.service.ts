import type { Knex } from 'knex';
import { ServiceDisabledError } from '../../core/errors';
import type { AuditRepository } from '../audit/audit.repository';
import type { Clock } from '../platform/clock';
import { newId } from '../platform/ids';
import type { ActionContext, UnitOfWork } from '../platform/unit-of-work';

/** Switches an admin can flip at run time; each is a row in `settings` (tenant or global). */
export interface SwitchState {
  on: boolean;
  reason: string | null;
  changedAt: string | null;
  changedBy: string | null;
}

export interface TenantSettings {
  adminWrites: {
    /** false when FLAGPOLE_ADMIN_WRITES=off: nothing at run time can turn writes back on. */
    config: boolean;
    tenant: SwitchState;
    effective: boolean;
  };
}

const WRITES_DISABLED = 'writes_disabled';

interface SettingRow {
  value: { on: boolean; reason: string | null };
  updatedAt: Date;
  updatedBy: string | null;
}

export class SettingsService {
  constructor(
    private readonly d: { db: Knex; uow: UnitOfWork; clock: Clock; audit: AuditRepository; adminWritesConfig: boolean },
  ) {}

  private async readSwitch(db: Knex, tenantId: string | null, key: string): Promise<SwitchState> {
    const row: SettingRow | undefined = await db('settings').where({ tenantId, key }).first();
    return row
      ? { on: row.value.on, reason: row.value.reason, changedAt: row.updatedAt.toISOString(), changedBy: row.updatedBy }
      : { on: false, reason: null, changedAt: null, changedBy: null };
  }

  async get(tenantId: string, db: Knex = this.d.db): Promise<TenantSettings> {
    const disabled = await this.readSwitch(db, tenantId, WRITES_DISABLED);
    return {
      adminWrites: {
        config: this.d.adminWritesConfig,
        tenant: { ...disabled, on: !disabled.on },
        effective: this.d.adminWritesConfig && !disabled.on,
      },
    };
  }

  /** Throws 503 SERVICE_DISABLED when admin writes are off for this tenant. */
  async assertWritesAllowed(tenantId: string, options: { ignoreTenantSwitch?: boolean } = {}): Promise<void> {
    if (!this.d.adminWritesConfig) {
      throw new ServiceDisabledError('FLAGPOLE_ADMIN_WRITES', 'Admin writes are switched off by configuration (FLAGPOLE_ADMIN_WRITES=off).');
    }
    if (options.ignoreTenantSwitch) return;
    const disabled = await this.readSwitch(this.d.db, tenantId, WRITES_DISABLED);
    if (disabled.on) {
      throw new ServiceDisabledError('writes_disabled', `Admin writes are switched off for this tenant${disabled.reason ? `: ${disabled.reason}` : '.'}`);
    }
  }

  async setWritesEnabled(ctx: ActionContext, enabled: boolean): Promise<TenantSettings> {
    return this.d.uow.run(ctx, async (trx) => {
      const beforeOn = !(await this.readSwitch(trx, ctx.tenantId, WRITES_DISABLED)).on;
      if (beforeOn === enabled) return this.get(ctx.tenantId, trx);
      const now = this.d.clock.now();
      await trx('settings')
        .insert({ id: newId(), tenantId: ctx.tenantId, key: WRITES_DISABLED, value: { on: !enabled, reason: ctx.reason ?? null }, updatedAt: now, updatedBy: ctx.actor.label })
        .onConflict(['tenant_id', 'key'])
        .merge({ value: { on: !enabled, reason: ctx.reason ?? null }, updatedAt: now, updatedBy: ctx.actor.label, version: trx.raw('settings.version + 1') });
      await this.d.audit.record(trx, ctx, {
        action: enabled ? 'settings.writes_enabled' : 'settings.writes_disabled',
        resourceType: 'settings',
        resourceId: ctx.tenantId,
        before: { adminWrites: beforeOn },
        after: { adminWrites: enabled },
      });
      return this.get(ctx.tenantId, trx);
    });
  }
}
