import knex, { type Knex } from 'knex';
import { knexSnakeCaseMappers } from 'objection';
import path from 'node:path';

export type { Knex };

/** camelCase in code, snake_case in Postgres. */
export function createDb(databaseUrl: string, poolMax = 10): Knex {
  const db = knex({
    client: 'pg',
    connection: databaseUrl,
    pool: { min: 0, max: poolMax },
    ...knexSnakeCaseMappers(),
  });
  return db;
}

export const migrationsDir = path.resolve(__dirname, '../../migrations');

export function migrationConfig(): Knex.MigratorConfig {
  return {
    directory: migrationsDir,
    loadExtensions: [__filename.endsWith('.ts') ? '.ts' : '.js'],
    tableName: 'knex_migrations',
  };
}

export async function migrateLatest(db: Knex): Promise<string[]> {
  const [, applied] = (await db.migrate.latest(migrationConfig())) as [number, string[]];
  return applied;
}

/** Creates the database named in the URL when it does not exist (development convenience). */
export async function ensureDatabase(databaseUrl: string): Promise<boolean> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!/^[a-zA-Z0-9_-]+$/.test(name)) throw new Error(`Refusing to create database with name "${name}"`);
  url.pathname = '/postgres';
  const admin = knex({ client: 'pg', connection: url.toString(), pool: { min: 0, max: 1 } });
  try {
    const found = await admin.raw('select 1 from pg_database where datname = ?', [name]);
    if (found.rowCount > 0) return false;
    await admin.raw(`create database "${name}"`);
    return true;
  } finally {
    await admin.destroy();
  }
}
