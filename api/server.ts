import http from 'node:http';
import type { Container } from '../modules/platform/container';
import { createApp, ofrepHandlerOf } from './app';

/**
 * The api's HTTP server: OFREP evaluations go straight to their dedicated handler (the hot
 * path), everything else to the Express app.
 */
export function createServer(c: Container, options: { webDist?: string } = {}): http.Server {
  const app = createApp(c, options);
  const ofrep = ofrepHandlerOf(app);
  return http.createServer((req, res) => {
    if (req.url?.startsWith('/ofrep/')) ofrep.handle(req, res);
    else app(req, res);
  });
}
