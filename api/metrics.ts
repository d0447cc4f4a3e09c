import type { NextFunction, Request, Response } from 'express';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Reason } from '../core/evaluate';
import type { TrackOutcome } from '../modules/guards/event-recorder';
import type { JobQueues } from '../modules/platform/queues';

const QUEUE_STATES = ['waiting', 'active', 'delayed', 'prioritized', 'failed', 'completed'] as const;

/** Rejects after `ms`, so a scrape never waits on a queue store that does not answer. */
function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export interface MetricsSources {
  /** The queues whose job counts `/metrics` reports, read at scrape time within `timeoutMs`. */
  queues?: Pick<JobQueues, 'all'>;
  timeoutMs?: number;
  /** The cumulative counts of the guarded rollouts' exposure and event recorders, read at scrape time. */
  guards?: {
    exposures: { stats: Record<'recorded' | 'dropped', number> };
    events: { stats: Record<TrackOutcome, number> };
  };
}

/** A counter whose value is a cumulative count kept elsewhere (the hot path increments a plain number). */
function mirrored<L extends string>(
  registry: Registry,
  name: string,
  help: string,
  label: string,
  read: () => Record<L, number>,
): void {
  new Counter({
    name,
    help,
    labelNames: [label],
    registers: [registry],
    collect() {
      this.reset();
      for (const [value, count] of Object.entries(read()) as Array<[L, number]>) this.labels(value).inc(count);
    },
  });
}

export function createMetrics(sources: MetricsSources = {}) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const httpDuration = new Histogram({
    name: 'flagpole_http_request_duration_seconds',
    help: 'HTTP request duration by route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });

  /** Flag evaluations by OpenFeature reason since the last scrape: the hot path only increments a number. */
  const evaluations: Record<Reason, number> = {
    DISABLED: 0,
    STATIC: 0,
    TARGETING_MATCH: 0,
    SPLIT: 0,
    DEFAULT: 0,
    ERROR: 0,
  };
  const evaluationsTotal = new Counter({
    name: 'flagpole_evaluations_total',
    help: 'OFREP flag evaluations by reason (ERROR: a per-flag error or an unknown flag)',
    labelNames: ['reason'] as const,
    registers: [registry],
    collect() {
      for (const reason of Object.keys(evaluations) as Reason[]) {
        this.labels(reason).inc(evaluations[reason]);
        evaluations[reason] = 0;
      }
    },
  });
  for (const reason of Object.keys(evaluations)) evaluationsTotal.labels(reason).inc(0);

  const { queues, timeoutMs = 1000, guards } = sources;
  if (guards) {
    mirrored(
      registry,
      'flagpole_guard_exposures_total',
      'Exposures of guarded rollouts (a unit evaluated in a stage and arm) written to the database (recorded), or dropped because the buffer was full while the database was slow or down',
      'outcome',
      () => guards.exposures.stats,
    );
    mirrored(
      registry,
      'flagpole_tracking_events_total',
      'Events received on /ofrep/v1/track: attributed to a guarded plan, unattributed (no guarded plan reads the name, or no unit), or dropped (buffer full)',
      'outcome',
      () => guards.events.stats,
    );
  }
  if (queues) {
    new Gauge({
      name: 'flagpole_queue_jobs',
      help: 'Jobs per queue and state, read from the queue store at scrape time (stale or absent while it does not answer)',
      labelNames: ['queue', 'state'] as const,
      registers: [registry],
      async collect() {
        const read = queues.all().map(async (q) => ({ queue: q.name, counts: await q.getJobCounts(...QUEUE_STATES) }));
        const perQueue = await within(Promise.all(read), timeoutMs).catch(() => []);
        for (const { queue, counts } of perQueue)
          for (const state of QUEUE_STATES) this.set({ queue, state }, counts[state] ?? 0);
      },
    });
  }

  const middleware = (req: Request, res: Response, next: NextFunction) => {
    const end = httpDuration.startTimer();
    res.on('finish', () => {
      // the matched route pattern, not the raw path, keeps label cardinality bounded
      const route = (req.route?.path as string | undefined) ?? 'unmatched';
      end({ method: req.method, route, status: String(res.statusCode) });
    });
    next();
  };
  return { registry, middleware, httpDuration, evaluations };
}
