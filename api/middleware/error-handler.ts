import type { NextFunction, Request, Response } from 'express';
import { AppError, ConflictError, PayloadTooLargeError, UnavailableError, ValidationError } from '../../core/errors';

interface HttpishError {
  type?: string;
  status?: number;
  code?: string;
  limit?: number;
}

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'EAI_AGAIN']);
// PostgreSQL: shutting down or crashed (57P01-03), too many connections (53300); class 08 is "connection exception"
const POSTGRES_UNAVAILABLE = /^(57P0[1-3]|53300|08...)$/;
// what pg, knex, ioredis (no offline queue: see modules/platform/redis.ts) and BullMQ say when their store went away
const CONNECTION_MESSAGES =
  /Knex: Timeout acquiring a connection|Connection terminated|not queryable|timeout exceeded when trying to connect|Stream isn't writeable|Connection is closed|Reached the max retries per request/;

/** A database or queue store that is down or unreachable: the contract's 503 UNAVAILABLE, not a bug. */
function isConnectionError(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown; errors?: unknown } | undefined;
  if (!e || typeof e !== 'object') return false;
  const code = String(e.code);
  if (CONNECTION_CODES.has(code) || POSTGRES_UNAVAILABLE.test(code) || CONNECTION_MESSAGES.test(String(e.message))) return true;
  // a host name with several addresses fails with one error per address
  return Array.isArray(e.errors) && e.errors.length > 0 && e.errors.every(isConnectionError);
}

/** Maps anything thrown to the error contract, in one place. */
export function toAppError(err: unknown, bodyLimit: string): AppError {
  if (err instanceof AppError) return err;
  const e = err as HttpishError;
  if (e?.type === 'entity.too.large') return new PayloadTooLargeError(bodyLimit);
  if (e?.type === 'entity.parse.failed') return new ValidationError('Request body is not valid JSON.', [{ path: '(body)', message: 'is not valid JSON' }]);
  if (e?.type === 'encoding.unsupported' || e?.type === 'charset.unsupported') {
    return new ValidationError('Request body encoding is not supported.', [{ path: 'Content-Type', message: 'use UTF-8 JSON' }]);
  }
  if (e?.code === '23505') return new ConflictError('A resource with this unique key already exists.');
  if (e?.code === '40001' || e?.code === '40P01') return new ConflictError('The resource was changed concurrently; retry.');
  if (isConnectionError(err)) return new UnavailableError();
  if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500) {
    return new ValidationError('The request is malformed.');
  }
  return new AppError('INTERNAL', 'Something went wrong on our side; the request id identifies it in our logs.');
}

export function errorHandler(bodyLimit: string) {
  // express recognises error handlers by their four parameters
  return (err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const appErr = toAppError(err, bodyLimit);
    if (appErr.code === 'INTERNAL' || appErr.code === 'UNAVAILABLE') req.log?.error({ err }, 'request failed');
    if (res.headersSent) return res.end();
    for (const [k, v] of Object.entries(appErr.headers ?? {})) res.setHeader(k, v);
    res.status(appErr.status).json({
      error: {
        code: appErr.code,
        message: appErr.message,
        ...(appErr.details ? { details: appErr.details } : {}),
        requestId: req.requestId,
      },
    });
  };
}
