import type { NextFunction, Request, Response } from 'express';
import type { Logger } from '../../modules/platform/logger';
import { newId } from '../../modules/platform/ids';

export const VALID_REQUEST_ID = /^[A-Za-z0-9._:-]{1,100}$/;

/** X-Request-Id in and out, a child logger that carries it, and one log line per request (no bodies). */
export function requestContext(logger: Logger) {
  return (req: Request, res: Response, next: NextFunction) => {
    const incoming = req.headers['x-request-id'];
    req.requestId = typeof incoming === 'string' && VALID_REQUEST_ID.test(incoming) ? incoming : newId();
    res.setHeader('X-Request-Id', req.requestId);
    req.log = logger.child({ requestId: req.requestId });
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const level = res.statusCode >= 500 ? 'error' : 'info';
      req.log[level](
        { method: req.method, path: req.path, status: res.statusCode, ms: Math.round(ms * 10) / 10 },
        'request',
      );
    });
    next();
  };
}
