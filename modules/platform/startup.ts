import { redact } from './backend';
import type { Container } from './container';

/**
 * For the api and worker entry points: the database and the queue store must answer before
 * the process starts serving, or it stops with a message naming what is unreachable (no
 * fallback here: `npm start` chooses embedded services before it starts these processes).
 */
export async function assertServicesReachable(c: Container, timeoutMs = 10_000): Promise<void> {
  const check = async (what: string, probe: () => Promise<unknown>): Promise<string | undefined> => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs / 1000} s`)), timeoutMs);
    });
    try {
      await Promise.race([probe(), timeout]);
      return undefined;
    } catch (err) {
      return `${what} is unreachable (${(err as Error).message})`;
    } finally {
      clearTimeout(timer);
    }
  };
  const problems = await Promise.all([
    check(`PostgreSQL at ${redact(c.config.databaseUrl)}`, () => c.db.raw('select 1')),
    check(`The queue store, ${c.backend.description},`, () => c.backend.ping()),
  ]);
  const unreachable = problems.filter((p): p is string => p !== undefined);
  if (unreachable.length > 0) throw new Error(`${unreachable.join('; ')}. Start it or fix DATABASE_URL / REDIS_URL.`);
}

/** `assertServicesReachable`, or a fatal log line and a message on stderr, then exit 1. */
export async function servicesReachableOrExit(c: Container, processName: string): Promise<void> {
  try {
    await assertServicesReachable(c);
  } catch (err) {
    c.logger.fatal({ err: (err as Error).message }, `${processName} cannot start`);
    console.error(`Flagpole ${processName} cannot start: ${(err as Error).message}`);
    process.exit(1);
  }
}

/** When started by `npm start` (an IPC channel to it), stop as soon as it is gone, even killed with SIGKILL. */
export function stopWithParent(stop: (reason: string) => void): void {
  if (process.send) process.on('disconnect', () => stop('npm start exited'));
}
