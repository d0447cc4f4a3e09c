import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from '../../api/app';
import { loadConfig } from '../../modules/platform/config';
import { createContainer, type Container } from '../../modules/platform/container';
import { seedDemo } from '../../scripts/seed-demo';
import { buildWebIfStale, webDist } from '../../scripts/web-build';
import { uniqueSuffix, workerDatabaseUrl } from './test-app';

export interface E2eServer {
  url: string;
  c: Container;
  stop(): Promise<void>;
}

/** The real api serving the built web app, on this worker's database with the demo seed. */
export async function startE2eServer(): Promise<E2eServer> {
  await buildWebIfStale();
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: await workerDatabaseUrl(),
    REDIS_PREFIX: `fpe2e-${uniqueSuffix()}`,
  });
  const c = createContainer(config);
  await seedDemo(c);
  const server: Server = await new Promise((resolve) => {
    const s = createApp(c, { webDist }).listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    c,
    stop: async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await c.close();
    },
  };
}
