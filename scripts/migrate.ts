import { loadConfigOrExit } from '../modules/platform/config';
import { prepareDatabase } from './seed-demo';

/** `npm run migrate`: create the database if needed and apply pending migrations (no demo data). */
prepareDatabase(loadConfigOrExit(), { seed: false }).catch((err) => {
  console.error(err);
  process.exit(1);
});
