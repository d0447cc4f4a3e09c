import type { Knex } from 'knex';
import { ServiceDisabledError } from '../../core/errors';
import type { AuditRepository } from '../audit/audit.repository';
import type { Clock } from '../platform/clock';
import type { ActionContext, UnitOfWork } from '../platform/unit-of-work';
import type { SettingsRepository } from './settings.repository';

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
  /** Global: while on, the worker holds every rollout plan in every tenant. */
  rolloutsPaused: SwitchState;
}

const WRITES_DISABLED = 'writes_disabled';
const ROLLOUTS_PAUSED = 'rollouts_paused';
const PAUSED_CACHE_MS = 1000;

export class SettingsService {
  constructor(
    private readonly d: {
      db: Knex;
      uow: UnitOfWork;
      clock: Clock;
      settings: SettingsRepository;
      audit: AuditRepository;
      adminWritesConfig: boolean;
    },
  ) {}

  private async readSwitch(db: Knex, tenantId: string | null, key: string): Promise<SwitchState> {
    const row = await this.d.settings.find(db, tenantId, key);
    return row
      ? { on: row.value.on, reason: row.value.reason, changedAt: row.updatedAt.toISOString(), changedBy: row.updatedBy }
      : { on: false, reason: null, changedAt: null, changedBy: null };
  }

  get(tenantId: string): Promise<TenantSettings> {
    return this.read(this.d.db, tenantId);
  }

  private async read(db: Knex, tenantId: string): Promise<TenantSettings> {
    const disabled = await this.readSwitch(db, tenantId, WRITES_DISABLED);
    return {
      adminWrites: {
        config: this.d.adminWritesConfig,
        tenant: { ...disabled, on: !disabled.on },
        effective: this.d.adminWritesConfig && !disabled.on,
      },
      rolloutsPaused: await this.readSwitch(db, null, ROLLOUTS_PAUSED),
    };
  }

  /** The global "pause all rollouts" switch (a settings row without tenant). */
  rolloutsPaused(): Promise<SwitchState> {
    return this.readSwitch(this.d.db, null, ROLLOUTS_PAUSED);
  }

  private pausedCache: { state: Promise<SwitchState>; readAt: number } | undefined;

  /**
   * The same switch for the worker's hot path, read at most once a second per process: a flip
   * takes effect in other processes within a second, and at once in this one.
   */
  rolloutsPausedRecently(): Promise<SwitchState> {
    const now = Date.now();
    if (!this.pausedCache || now - this.pausedCache.readAt > PAUSED_CACHE_MS) {
      const state = this.rolloutsPaused();
      this.pausedCache = { state, readAt: now };
      state.catch(() => (this.pausedCache = undefined));
    }
    return this.pausedCache.state;
  }

  /** Flips "pause all rollouts"; audited in the tenant of the admin who flipped it. Flipping it to its state is a no-op. */
  async setRolloutsPaused(ctx: ActionContext, paused: boolean): Promise<TenantSettings> {
    return this.d.uow.run(ctx, async (trx, afterCommit) => {
      afterCommit(() => {
        this.pausedCache = undefined;
      });
      const before = await this.readSwitch(trx, null, ROLLOUTS_PAUSED);
      if (before.on === paused) return this.read(trx, ctx.tenantId);
      await this.d.settings.put(
        trx,
        null,
        ROLLOUTS_PAUSED,
        { on: paused, reason: ctx.reason ?? null },
        this.d.clock.now(),
        ctx.actor.label,
      );
      await this.d.audit.record(trx, ctx, {
        action: paused ? 'settings.rollouts_paused' : 'settings.rollouts_resumed',
        resourceType: 'settings',
        resourceId: 'global',
        before: { rolloutsPaused: before.on },
        after: { rolloutsPaused: paused },
      });
      return this.read(trx, ctx.tenantId);
    });
  }

  /** Throws 503 SERVICE_DISABLED when admin writes are off for this tenant. */
  async assertWritesAllowed(tenantId: string, options: { ignoreTenantSwitch?: boolean } = {}): Promise<void> {
    if (!this.d.adminWritesConfig) {
      throw new ServiceDisabledError(
        'FLAGPOLE_ADMIN_WRITES',
        'Admin writes are switched off by configuration (FLAGPOLE_ADMIN_WRITES=off).',
      );
    }
    if (options.ignoreTenantSwitch) return;
    const disabled = await this.readSwitch(this.d.db, tenantId, WRITES_DISABLED);
    if (disabled.on) {
      throw new ServiceDisabledError(
        'writes_disabled',
        `Admin writes are switched off for this tenant${disabled.reason ? `: ${disabled.reason}` : '.'}`,
      );
    }
  }

  async setWritesEnabled(ctx: ActionContext, enabled: boolean): Promise<TenantSettings> {
    return this.d.uow.run(ctx, async (trx) => {
      const beforeOn = !(await this.readSwitch(trx, ctx.tenantId, WRITES_DISABLED)).on;
      if (beforeOn === enabled) return this.read(trx, ctx.tenantId);
      await this.d.settings.put(
        trx,
        ctx.tenantId,
        WRITES_DISABLED,
        { on: !enabled, reason: ctx.reason ?? null },
        this.d.clock.now(),
        ctx.actor.label,
      );
      await this.d.audit.record(trx, ctx, {
        action: enabled ? 'settings.writes_enabled' : 'settings.writes_disabled',
        resourceType: 'settings',
        resourceId: ctx.tenantId,
        before: { adminWrites: beforeOn },
        after: { adminWrites: enabled },
      });
      return this.read(trx, ctx.tenantId);
    });
  }
}
