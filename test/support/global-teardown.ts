import { dropTestDatabases } from './databases';

export default async function globalTeardown(): Promise<void> {
  if ((globalThis as { __flagpoleDropped?: boolean }).__flagpoleDropped) return;
  (globalThis as { __flagpoleDropped?: boolean }).__flagpoleDropped = true;
  await dropTestDatabases(process.env.FLAGPOLE_TEST_RUN);
}
