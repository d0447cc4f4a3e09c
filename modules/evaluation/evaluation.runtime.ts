import type { Knex } from 'knex';
import type { TokensRepository } from '../auth/tokens.repository';
import type { ChangeSignal } from '../platform/backend';
import type { Clock } from '../platform/clock';
import type { Config } from '../platform/config';
import type { Logger } from '../platform/logger';
import { ClientTokens } from './client-tokens';
import { DefinitionsRepository } from './definitions.repository';
import { EvaluationCounts } from './evaluation-counts';
import { PlaygroundService } from './playground.service';
import { SnapshotStore, subscribeToChanges } from './snapshot-store';

/**
 * Evaluation for one process: snapshots, client-token cache, counts and the playground.
 * `start()` (the api calls it) subscribes to change signals and starts the periodic version
 * check and count flush; `stop()` ends them and flushes the last counts.
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
  const snapshots = new SnapshotStore({ definitions, counts, logger: d.logger });
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
      running = {
        ready: subscription.ready,
        stop: async () => {
          clearInterval(check);
          clearInterval(flusher);
          await subscription.stop();
          await flush();
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
