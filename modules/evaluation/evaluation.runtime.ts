import type { Knex } from 'knex';
import type { TokensRepository } from '../auth/tokens.repository';
import type { ChangeSignal } from '../platform/backend';
import type { Clock } from '../platform/clock';
import type { Config } from '../platform/config';
import type { Logger } from '../platform/logger';
import { EventRecorder } from '../guards/event-recorder';
import { ExposureRecorder } from '../guards/exposure-recorder';
import { ClientTokens } from './client-tokens';
import { DefinitionsRepository } from './definitions.repository';
import { EvaluationCounts } from './evaluation-counts';
import { PlaygroundService } from './playground.service';
import { SnapshotStore, subscribeToChanges } from './snapshot-store';

/**
 * Evaluation for one process: snapshots, client-token cache, counts, the exposures and tracking
 * events of guarded rollouts, and the playground. `start()` (the api calls it) subscribes to
 * change signals and starts the periodic version check and the flushes; `stop()` ends them and
 * writes the last counts, exposures and events.
 */
export function createEvaluation(d: {
  db: Knex;
  signals: ChangeSignal;
  clock: Clock;
  logger: Logger;
  tokens: TokensRepository;
  settings: Config['evaluation'];
}) {
  const definitions = new DefinitionsRepository(d.db);
  const counts = new EvaluationCounts({ db: d.db, clock: d.clock });
  const exposures = new ExposureRecorder({
    db: d.db,
    clock: d.clock,
    logger: d.logger,
    flushEveryMs: d.settings.guardFlushMs,
  });
  const events = new EventRecorder({ db: d.db, logger: d.logger, flushEveryMs: d.settings.guardFlushMs });
  const snapshots = new SnapshotStore({ definitions, counts, exposures, logger: d.logger });
  const clientTokens = new ClientTokens({
    tokens: d.tokens,
    clock: d.clock,
    ttlMs: d.settings.tokenCacheSeconds * 1000,
    logger: d.logger,
  });
  const playground = new PlaygroundService({ definitions });
  let running: { ready: Promise<void>; stop(): Promise<void> } | undefined;

  const flush = () =>
    counts
      .flush()
      .catch((err) => d.logger.error({ err }, 'could not write evaluation counts; they are kept for the next flush'));

  return {
    definitions,
    counts,
    exposures,
    events,
    snapshots,
    clientTokens,
    playground,
    /** Idempotent; resolves once change signals are subscribed. */
    start(): Promise<void> {
      if (running) return running.ready;
      const subscription = subscribeToChanges(snapshots, clientTokens, d.signals, d.logger);
      const check = setInterval(() => {
        snapshots.checkVersions().catch((err) => d.logger.error({ err }, 'snapshot version check failed'));
      }, d.settings.snapshotCheckSeconds * 1000).unref();
      const flusher = setInterval(flush, d.settings.flushSeconds * 1000).unref();
      exposures.start();
      events.start();
      running = {
        ready: subscription.ready,
        stop: async () => {
          clearInterval(check);
          clearInterval(flusher);
          await subscription.stop();
          await Promise.all([flush(), exposures.stop(), events.stop()]);
        },
      };
      return running.ready;
    },
    async stop(): Promise<void> {
      const r = running;
      running = undefined;
      await r?.stop();
    },
  };
}

export type Evaluation = ReturnType<typeof createEvaluation>;
