import type { NextFunction, Request, Response } from 'express';
import { AppError, ConflictError, PayloadTooLargeError, UnavailableError, ValidationError } from '../../core/errors';
import { classifyDbError } from '../../modules/platform/db-errors';

interface HttpishError {
  type?: string;
  status?: number;
  code?: string;
  limit?: number;
}

/** Maps anything thrown to the error contract, in one place. */
export function toAppError(err: unknown, bodyLimit: string): AppError {
  if (err instanceof AppError) return err;
  const e = err as HttpishError;
  if (e?.type === 'entity.too.large') return new PayloadTooLargeError(bodyLimit);
  if (e?.type === 'entity.parse.failed')
    return new ValidationError('Request body is not valid JSON.', [{ path: '(body)', message: 'is not valid JSON' }]);
  if (e?.type === 'encoding.unsupported' || e?.type === 'charset.unsupported') {
    return new ValidationError('Request body encoding is not supported.', [
      { path: 'Content-Type', message: 'use UTF-8 JSON' },
    ]);
  }
  const kind = classifyDbError(err);
  if (kind === 'conflict') return new ConflictError('A resource with this unique key already exists.');
  if (kind === 'serialization') return new ConflictError('The resource was changed concurrently; retry.');
  if (kind === 'unavailable') return new UnavailableError();
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
