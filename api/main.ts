import path from 'node:path';
import { loadConfigOrExit } from '../modules/platform/config';
import { createContainer } from '../modules/platform/container';
import { servicesReachableOrExit, stopWithParent } from '../modules/platform/startup';
import { createServer } from './server';

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const c = createContainer(config, { name: 'flagpole-api' });
  await servicesReachableOrExit(c, 'api');
  // from source (tsx) or compiled (dist/api), the built UI sits in <repo>/web/dist
  const repoRoot = path.resolve(__dirname, __dirname.includes(`${path.sep}dist${path.sep}`) ? '../..' : '..');
  const server = createServer(c, { webDist: config.webDist ?? path.join(repoRoot, 'web', 'dist') });
  server.listen(config.port, config.host, () => {
    c.logger.info(
      { url: `http://${config.host}:${config.port}`, database: config.databaseMode, queues: c.backend.description },
      'api listening',
    );
  });
  server.on('error', (err) => {
    c.logger.fatal({ err }, 'api could not listen');
    process.exit(1);
  });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    c.logger.info({ signal }, 'api shutting down');
    server.close(async () => {
      await c.close();
      process.exit(0);
    });
    server.closeIdleConnections();
    setTimeout(() => process.exit(1), 10_000).unref();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  stopWithParent(stop);
}

void main();
