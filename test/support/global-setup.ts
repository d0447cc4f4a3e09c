import { createDb, migrateLatest } from '../../modules/platform/db';
import { TEMPLATE_DB, urlFor, withAdmin } from './databases';

/**
 * Once per run: drop the databases of the previous run and build a migrated template;
 * each jest worker then clones its own database from it (see test-app.ts).
 */
export default async function globalSetup(): Promise<void> {
  if ((globalThis as { __flagpoleTemplateReady?: boolean }).__flagpoleTemplateReady) return;
  await withAdmin(async (admin) => {
    const { rows } = await admin.raw(`select datname from pg_database where datname like 'flagpole_test_%'`);
    for (const { datname } of rows as Array<{ datname: string }>) {
      await admin.raw(`drop database if exists "${datname}" with (force)`);
    }
    await admin.raw(`create database "${TEMPLATE_DB}"`);
  });
  const db = createDb(urlFor(TEMPLATE_DB), 1);
  try {
    await migrateLatest(db);
  } finally {
    await db.destroy();
  }
  (globalThis as { __flagpoleTemplateReady?: boolean }).__flagpoleTemplateReady = true;
}
