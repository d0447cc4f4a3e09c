import knex from 'knex';

export const ADMIN_URL = process.env.TEST_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * Databases of one jest run are named after the run (the jest main process id), so two runs
 * on one machine never drop each other's databases.
 */
export const runId = (): string => process.env.FLAGPOLE_TEST_RUN ?? `r${process.ppid}`;
export const templateDb = (run = runId()): string => `flagpole_test_${run}_template`;
export const workerDb = (worker: string, run = runId()): string => `flagpole_test_${run}_w${worker}`;

export function urlFor(database: string): string {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

export async function withAdmin<T>(fn: (admin: knex.Knex) => Promise<T>): Promise<T> {
  const admin = knex({ client: 'pg', connection: ADMIN_URL, pool: { min: 0, max: 1 } });
  try {
    return await fn(admin);
  } finally {
    await admin.destroy();
  }
}

/** Drops the test databases of runs whose process is gone (and of `run`, if given). */
export async function dropTestDatabases(run?: string): Promise<void> {
  await withAdmin(async (admin) => {
    const { rows } = await admin.raw(`select datname from pg_database where datname like 'flagpole_test_%'`);
    for (const { datname } of rows as Array<{ datname: string }>) {
      const m = /^flagpole_test_r(\d+)_/.exec(datname);
      const owner = m ? Number(m[1]) : undefined;
      const alive = owner !== undefined && isAlive(owner);
      if (datname.startsWith(`flagpole_test_${run}_`) || !alive)
        await admin.raw(`drop database if exists "${datname}" with (force)`);
    }
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
