import pino, { type Logger } from 'pino';

export type { Logger };

/** Structured logs; credentials never reach them, and nothing logs request bodies. */
export function createLogger(level: string, name: string): Logger {
  return pino({
    name,
    level,
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', 'password', 'token', 'secret', '*.password', '*.token', '*.secret'],
      censor: '[redacted]',
    },
  });
}
