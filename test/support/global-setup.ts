import { createDb, migrateLatest } from '../../modules/platform/db';
import { dropTestDatabases, templateDb, urlFor, withAdmin } from './databases';

/**
 * Once per run: build a migrated template database; each jest worker then clones its own
 * database from it (see test-app.ts). Leftovers of finished runs are dropped first.
 */
export default async function globalSetup(): Promise<void> {
  process.env.FLAGPOLE_TEST_RUN = `r${process.pid}`;
  if ((globalThis as { __flagpoleTemplateReady?: boolean }).__flagpoleTemplateReady) return;
  await dropTestDatabases(process.env.FLAGPOLE_TEST_RUN);
  await withAdmin((admin) => admin.raw(`create database "${templateDb()}"`));
  const db = createDb(urlFor(templateDb()), 1);
  try {
    await migrateLatest(db);
  } finally {
    await db.destroy();
  }
  (globalThis as { __flagpoleTemplateReady?: boolean }).__flagpoleTemplateReady = true;
}
