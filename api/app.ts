import express, { type Express, type Request, type Response } from 'express';
import helmet from 'helmet';
import fs from 'node:fs';
import path from 'node:path';
// the path helper alone: the package's index also loads the browser bundles (about 40 MB of RSS)
import getAbsoluteFSPath from 'swagger-ui-dist/absolute-path';
import { NotFoundError } from '../core/errors';
import type { Container } from '../modules/platform/container';
import { buildRouter } from './http/pipeline';
import type { AnyRoute } from './http/route';
import { createMetrics } from './metrics';
import { authenticate } from './middleware/authenticate';
import { errorHandler } from './middleware/error-handler';
import { requestContext } from './middleware/request-context';
import { createOfrepHandler, type OfrepHandler } from './ofrep/ofrep-handler';
import { buildOpenApi } from './openapi';
import { QUEUES_PATH, queuesBoard } from './queues-board';
import { auditRoutes } from './routes/audit.routes';
import { authRoutes } from './routes/auth.routes';
import { evaluationRoutes } from './routes/evaluations.routes';
import { flagUsageRoutes } from './routes/flag-usage.routes';
import { flagRoutes } from './routes/flags.routes';
import { notificationRoutes } from './routes/notifications.routes';
import { rolloutPlanRoutes } from './routes/rollout-plans.routes';
import { ruleRoutes } from './routes/rules.routes';
import { segmentRoutes } from './routes/segments.routes';
import { settingsRoutes } from './routes/settings.routes';
import { tokenRoutes } from './routes/tokens.routes';

export function allRoutes(c: Container): AnyRoute[] {
  return [
    ...authRoutes(c),
    ...flagRoutes(c),
    ...flagUsageRoutes(c),
    ...ruleRoutes(c),
    ...segmentRoutes(c),
    ...evaluationRoutes(c),
    ...auditRoutes(c),
    ...tokenRoutes(c),
    ...settingsRoutes(c),
    ...rolloutPlanRoutes(c),
    ...notificationRoutes(c),
  ];
}

const DOCS_HTML = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Flagpole API</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head><body><div id="ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script><script src="/docs/init.js"></script></body></html>`;
const DOCS_INIT = `window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#ui', withCredentials: true });`;

const ofrepHandlers = new WeakMap<Express, OfrepHandler>();

/** The OFREP handler of an app from createApp, for the server to call before Express. */
export function ofrepHandlerOf(app: Express): OfrepHandler {
  const handler = ofrepHandlers.get(app);
  if (!handler) throw new Error('Not an app from createApp');
  return handler;
}

/** The whole HTTP surface, without listen(), so tests drive it directly. */
export function createApp(c: Container, options: { webDist?: string } = {}): Express {
  const app = express();
  app.disable('x-powered-by');
  // X-Forwarded-* only from the proxies configured: otherwise a client picks its own address and escapes the login throttle
  app.set('trust proxy', c.config.trustProxy);
  app.set('query parser', 'simple');
  const metrics = createMetrics({ queues: c.queues, timeoutMs: c.config.queueTimeoutMs, guards: c.evaluation });
  const routes = allRoutes(c);
  const openapi = buildOpenApi(routes, '0.1.0');

  const ofrep = createOfrepHandler(c, metrics);
  ofrepHandlers.set(app, ofrep);
  void c.evaluation.start();
  app.use('/ofrep', (req: Request, res: Response) => ofrep.handle(req, res));
  app.use(requestContext(c.logger));
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          'style-src': ["'self'", "'unsafe-inline'"],
          'img-src': ["'self'", 'data:'],
          'upgrade-insecure-requests': null,
        },
      },
      strictTransportSecurity: c.config.env === 'production',
    }),
  );
  app.use(metrics.middleware);
  // admin and auth answers are per person and often secret: never kept by a browser or a proxy, errors included
  app.use(['/admin', '/auth'], (_req: Request, res: Response, next: () => void) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const [db, queues] = await Promise.allSettled([c.db.raw('select 1'), c.backend.ping()]);
    const checks = {
      database: db.status === 'fulfilled' ? 'ok' : 'down',
      queues: queues.status === 'fulfilled' ? 'ok' : 'down',
    };
    const ok = checks.database === 'ok' && checks.queues === 'ok';
    res.status(ok ? 200 : 503).json({
      status: ok ? 'ready' : 'unavailable',
      checks,
      mode: { database: c.config.databaseMode, queues: c.backend.kind },
    });
  });
  app.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  app.get('/openapi.json', (_req, res) => {
    res.json(openapi);
  });
  app.get('/docs', (_req, res) => {
    res.type('html').send(DOCS_HTML);
  });
  app.get('/docs/init.js', (_req, res) => {
    res.type('js').send(DOCS_INIT);
  });
  app.use('/docs/assets', express.static(getAbsoluteFSPath(), { index: false }));

  const apiPaths = ['/admin', '/auth'];
  app.use(apiPaths, express.json({ limit: c.config.bodyLimit, strict: false }), authenticate(c));
  app.use(QUEUES_PATH, queuesBoard(c));
  app.use(buildRouter(c, routes));
  app.use(apiPaths, (req: Request) => {
    throw new NotFoundError(`Route ${req.method} ${req.originalUrl.split('?')[0]}`);
  });

  const webDist = options.webDist;
  if (webDist && fs.existsSync(path.join(webDist, 'index.html'))) {
    app.use(express.static(webDist, { index: false, maxAge: '1h' }));
    app.get(
      /^\/(?!(?:admin|auth|ofrep|docs|openapi\.json|metrics|healthz|readyz)(?:\/|$)).*/,
      (_req: Request, res: Response) => {
        res.setHeader('Cache-Control', 'no-cache');
        res.sendFile(path.join(webDist, 'index.html'));
      },
    );
  }
  app.use((req: Request) => {
    throw new NotFoundError(`Route ${req.method} ${req.path}`);
  });
  app.use(errorHandler(c.config.bodyLimit));
  return app;
}
