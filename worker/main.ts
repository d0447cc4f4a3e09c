import { loadConfigOrExit } from '../modules/platform/config';
import { createContainer } from '../modules/platform/container';
import { servicesReachableOrExit, stopWithParent } from '../modules/platform/startup';
import { serveMetrics } from './metrics';
import { ensureSchedules } from './schedules';
import { startWorkers } from './workers';

const SHUTDOWN_TIMEOUT_MS = 30_000;
/** How often the worker checks that its schedulers still exist (a flushed Redis loses them). */
const SCHEDULE_CHECK_MS = 30_000;

/** `npm run worker`: advances rollouts, reconciles, delivers webhooks, cleans up. SIGTERM finishes the jobs in hand, then exits. */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const c = createContainer(config, { name: 'flagpole-worker' });
  await servicesReachableOrExit(c, 'worker');
  const runtime = startWorkers(c);
  const metricsServer =
    config.workerMetricsPort > 0
      ? await serveMetrics(runtime.metrics.registry, config.workerMetricsPort, config.host)
      : undefined;
  await ensureSchedules(c);
  const scheduleCheck = setInterval(
    () => {
      ensureSchedules(c)
        .then(
          (installed) =>
            installed.length > 0 && c.logger.warn({ installed }, 'job schedulers were missing and are installed again'),
        )
        .catch((err) => c.logger.error({ err }, 'could not check the job schedulers'));
    },
    Math.min(SCHEDULE_CHECK_MS, config.rollouts.reconcileEveryMs * 6),
  );
  c.logger.info(
    {
      queues: c.queues.all().map((q) => q.name),
      backend: c.backend.description,
      metricsPort: metricsServer ? config.workerMetricsPort : undefined,
    },
    'worker started',
  );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    c.logger.info({ signal }, 'worker finishing the jobs in hand');
    clearInterval(scheduleCheck);
    setTimeout(() => process.exit(1), SHUTDOWN_TIMEOUT_MS).unref();
    metricsServer?.closeAllConnections();
    metricsServer?.close();
    await runtime.close();
    await c.close();
    c.logger.info('worker stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
  stopWithParent((reason) => void stop(reason));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
