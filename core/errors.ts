/**
 * The one error hierarchy of Flagpole. Every failure a client can see is an AppError whose
 * `code` is a stable API value from the error contract; the api's error middleware maps it
 * to an HTTP status in one place (`httpStatusOf`).
 */
export type ErrorCode =
  | 'VALIDATION_FAILED'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'PRECONDITION_FAILED'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'IDEMPOTENCY_KEY_REUSED'
  | 'RATE_LIMITED'
  | 'SERVICE_DISABLED'
  | 'UNAVAILABLE'
  | 'INTERNAL';

export const httpStatusOf: Record<ErrorCode, number> = {
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PRECONDITION_FAILED: 412,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  IDEMPOTENCY_KEY_REUSED: 422,
  RATE_LIMITED: 429,
  SERVICE_DISABLED: 503,
  UNAVAILABLE: 503,
  INTERNAL: 500,
};

export interface ErrorDetail {
  path?: string;
  message: string;
  [extra: string]: unknown;
}

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: ErrorDetail[],
    /** Extra response headers, e.g. Retry-After. */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = new.target.name;
  }

  get status(): number {
    return httpStatusOf[this.code];
  }
}

export class ValidationError extends AppError {
  constructor(message: string, details?: ErrorDetail[]) {
    super('VALIDATION_FAILED', message, details);
  }
}

export class UnauthenticatedError extends AppError {
  constructor(message = 'Authentication required.') {
    super('UNAUTHENTICATED', message);
  }
}

export class ForbiddenError extends AppError {
  constructor(message = 'Your role does not allow this.') {
    super('FORBIDDEN', message);
  }
}

export class NotFoundError extends AppError {
  constructor(resource: string) {
    super('NOT_FOUND', `${resource} not found.`);
  }
}

export class ConflictError extends AppError {
  constructor(message: string, currentState?: string) {
    super('CONFLICT', message, currentState === undefined ? undefined : [{ message, currentState }]);
  }
}

export class PreconditionFailedError extends AppError {
  constructor(currentVersion: number) {
    super('PRECONDITION_FAILED', `The resource has changed (current version ${currentVersion}).`, [
      { path: 'If-Match', message: `current version is ${currentVersion}`, currentVersion },
    ]);
  }
}

export class IdempotencyKeyReusedError extends AppError {
  constructor() {
    super('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was already used for a different request.', [
      { path: 'Idempotency-Key', message: 'used for a different method, path or body' },
    ]);
  }
}

export class RateLimitedError extends AppError {
  constructor(retryAfterSeconds: number) {
    super('RATE_LIMITED', 'Too many requests; retry later.', undefined, {
      'Retry-After': String(Math.max(1, Math.ceil(retryAfterSeconds))),
    });
  }
}

export class ServiceDisabledError extends AppError {
  constructor(switchName: string, message: string) {
    super('SERVICE_DISABLED', message, [{ message, switch: switchName }]);
  }
}

export class UnavailableError extends AppError {
  constructor(message = 'A dependency is unavailable; retry later.') {
    super('UNAVAILABLE', message);
  }
}

export class UnsupportedMediaTypeError extends AppError {
  constructor() {
    super('UNSUPPORTED_MEDIA_TYPE', 'Send the request body as application/json.');
  }
}

export class PayloadTooLargeError extends AppError {
  constructor(limit: string) {
    super('PAYLOAD_TOO_LARGE', `The request body is larger than the limit of ${limit}.`);
  }
}
