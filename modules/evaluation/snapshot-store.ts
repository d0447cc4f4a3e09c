import type { ChangeSignal } from '../platform/backend';
import type { Logger } from '../platform/logger';
import type { ClientTokens } from './client-tokens';
import type { DefinitionsRepository } from './definitions.repository';
import type { ExposureRecorder } from '../guards/exposure-recorder';
import type { EvaluationCounts } from './evaluation-counts';
import { buildSnapshot, type TenantSnapshot } from './tenant-snapshot';

/**
 * The per-tenant evaluation snapshots of one api process. A tenant's snapshot is loaded on
 * its first evaluation, rebuilt when a change signal for it arrives (Redis pub/sub or
 * PostgreSQL NOTIFY, see backend.ts), and
 * re-checked against the database periodically in case a signal was missed.
 */
export class SnapshotStore {
  private readonly snapshots = new Map<string, TenantSnapshot>();
  private readonly loading = new Map<string, Promise<TenantSnapshot>>();
  /** Tenants changed while their load was in flight: loaded again when it ends. */
  private readonly stale = new Set<string>();
  private readonly listeners = new Set<(s: TenantSnapshot) => void>();

  constructor(
    private readonly d: {
      definitions: DefinitionsRepository;
      counts: EvaluationCounts;
      exposures: ExposureRecorder;
      logger: Logger;
    },
  ) {}

  /** The snapshot in memory, if any: the hot path's only lookup. */
  peek(tenantId: string): TenantSnapshot | undefined {
    return this.snapshots.get(tenantId);
  }

  get(tenantId: string): Promise<TenantSnapshot> {
    const snapshot = this.snapshots.get(tenantId);
    return snapshot ? Promise.resolve(snapshot) : this.load(tenantId);
  }

  /** A change signal: rebuilds the tenant's snapshot if this process holds one. */
  changed(tenantId: string): void {
    if (this.loading.has(tenantId)) {
      this.stale.add(tenantId);
      return;
    }
    if (!this.snapshots.has(tenantId)) return;
    this.load(tenantId).catch((err) =>
      this.d.logger.error({ err, tenantId }, 'evaluation snapshot rebuild failed; the periodic check retries'),
    );
  }

  /** The safety net: one query compares every held snapshot with the database. */
  async checkVersions(): Promise<string[]> {
    const current = await this.d.definitions.fingerprints([...this.snapshots.keys()]);
    const outdated = [...this.snapshots.values()]
      .filter((s) => current.get(s.tenantId) !== s.fingerprint)
      .map((s) => s.tenantId);
    for (const tenantId of outdated) this.changed(tenantId);
    return outdated;
  }

  /** Calls `listener` after each swap; returns the function that removes it. */
  onSwap(listener: (s: TenantSnapshot) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private load(tenantId: string): Promise<TenantSnapshot> {
    const inFlight = this.loading.get(tenantId);
    if (inFlight) return inFlight;
    const work = (async () => {
      let snapshot: TenantSnapshot;
      do {
        this.stale.delete(tenantId);
        snapshot = buildSnapshot(
          await this.d.definitions.load(tenantId),
          (t, f) => this.d.counts.cell(t, f),
          (t, plan, stage) => this.d.exposures.cohort(t, plan, stage),
        );
        this.snapshots.set(tenantId, snapshot);
      } while (this.stale.has(tenantId));
      for (const listener of this.listeners) listener(snapshot);
      return snapshot;
    })().finally(() => this.loading.delete(tenantId));
    this.loading.set(tenantId, work);
    return work;
  }
}

/**
 * Subscribes this process to change signals: each one rebuilds the tenant's snapshot and forgets its cached client
 * tokens (a revocation signals too). Returns how to stop.
 */
export function subscribeToChanges(
  store: SnapshotStore,
  tokens: Pick<ClientTokens, 'forgetTenant' | 'forgetAll'>,
  signals: ChangeSignal,
  logger: Logger,
): { ready: Promise<void>; stop(): Promise<void> } {
  const subscription = signals.subscribe(
    (tenantId) => {
      tokens.forgetTenant(tenantId);
      store.changed(tenantId);
    },
    // signals sent while disconnected are lost: compare with the database at once
    () => {
      tokens.forgetAll();
      store.checkVersions().catch((err) => logger.error({ err }, 'snapshot version check failed'));
    },
  );
  subscription.ready.catch((err) =>
    logger.error({ err }, 'could not subscribe to change signals; the periodic check still refreshes snapshots'),
  );
  return subscription;
}
