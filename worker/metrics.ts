import { DelayedError, UnrecoverableError, WaitingChildrenError, type Job } from 'bullmq';
import http from 'node:http';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import type { Clock } from '../modules/platform/clock';
import type { QueueKey } from '../modules/platform/queues';
import { failureOf, type AdvanceResult } from '../modules/rollout-plans/rollout-runner';

export interface WorkerMetrics {
  registry: Registry;
  /** A job's handler returned `result`. */
  completed(queue: QueueKey, job: Job, result: unknown): void;
  /** A job's handler threw `err` (a job moved back to delayed is not a failure). */
  failed(queue: QueueKey, job: Job, err: unknown): void;
}

/** A stable, bounded label for a failure: the code an UnrecoverableError starts with, else the runner's failure code, else the error's class. */
export function failureCode(err: unknown): string {
  const message = String((err as Error)?.message ?? '');
  const prefixed = err instanceof UnrecoverableError ? /^([A-Z][A-Z0-9_]{1,40}): /.exec(message)?.[1] : undefined;
  if (prefixed) return prefixed;
  const code = failureOf(err).code;
  const name = (err as Error)?.constructor?.name ?? '';
  if (code !== 'INTERNAL' || !/^[A-Z][A-Za-z]*Error$/.test(name) || name === 'Error' || name === 'UnrecoverableError')
    return code;
  return name
    .replace(/Error$/, '')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toUpperCase();
}

const isFinal = (job: Job, err: unknown): boolean =>
  err instanceof UnrecoverableError || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);

/**
 * What an operator alerts on, observed in one place (the worker's dispatch) from each job's
 * result or failure: rollout transitions and how late each advance committed, job failures,
 * webhook delivery outcomes.
 */
export function createWorkerMetrics(clock: Clock): WorkerMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const transitions = new Counter({
    name: 'flagpole_rollout_transitions_total',
    help: 'Rollout plan transitions made by the worker, by the status the plan moved to',
    labelNames: ['to_status'] as const,
    registers: [registry],
  });
  const lateness = new Histogram({
    name: 'flagpole_rollout_advance_lateness_seconds',
    help: 'Commit time minus due time of each rollout advance',
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900],
    registers: [registry],
  });
  const failures = new Counter({
    name: 'flagpole_job_failures_total',
    help: 'Failed job attempts by queue and failure code',
    labelNames: ['queue', 'code'] as const,
    registers: [registry],
  });
  const deliveries = new Counter({
    name: 'flagpole_webhook_deliveries_total',
    help: 'Webhook delivery attempts by outcome (delivered, skipped, retrying, failed)',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });

  return {
    registry,
    completed(queue, job, result) {
      if (job.name === 'advance-plan') {
        const r = result as AdvanceResult;
        if (r.outcome !== 'advanced' && r.outcome !== 'paused') return;
        transitions.labels(r.status).inc();
        if (r.outcome === 'advanced') lateness.observe(Math.max(0, clock.now().getTime() - Date.parse(r.dueAt)) / 1000);
      } else if (job.name === 'deliver-webhook') {
        deliveries.labels(String((result as { outcome?: unknown })?.outcome ?? 'delivered')).inc();
      }
    },
    failed(queue, job, err) {
      if (err instanceof DelayedError || err instanceof WaitingChildrenError) return;
      failures.labels(queue, failureCode(err)).inc();
      const final = isFinal(job, err);
      if (job.name === 'advance-plan' && final) transitions.labels('failed').inc();
      if (job.name === 'deliver-webhook') deliveries.labels(final ? 'failed' : 'retrying').inc();
    },
  };
}

/** The worker's own `/metrics` (Prometheus text) on a tiny node:http server; anything else is 404. */
export async function serveMetrics(registry: Registry, port: number, host: string): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    if (req.method !== 'GET' || req.url?.split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n');
      return;
    }
    registry.metrics().then(
      (text) => res.writeHead(200, { 'Content-Type': registry.contentType }).end(text),
      () => res.writeHead(500, { 'Content-Type': 'text/plain' }).end('metrics unavailable\n'),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  return server;
}
