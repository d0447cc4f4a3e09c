import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger };

/** Fields of an error that name what failed without quoting what was sent (pg's own names: SQLSTATE, constraint, …). */
const SAFE_FIELDS = [
  'code',
  'errno',
  'syscall',
  'address',
  'port',
  'status',
  'statusCode',
  'severity',
  'routine',
  'schema',
  'table',
  'column',
  'dataType',
  'constraint',
];
const SQL_START =
  /^\s*(?:select|insert|update|delete|with|create|alter|drop|truncate|lock|begin|commit|rollback|savepoint|set|copy|listen|notify)\b/i;
const MAX_DEPTH = 3;

/**
 * Error text without request text. knex prefixes a failed query's message with the SQL and its
 * bound values interpolated ("insert into … values ('<the body>') - <pg message>"), and
 * PostgreSQL's messages quote the offending input ('invalid input syntax for type uuid: "…"'),
 * so the SQL goes and every double-quoted run (identifiers included: the fields above name them) is elided.
 */
export function safeErrorText(text: string): string {
  const cut = SQL_START.test(text) ? text.lastIndexOf(' - ') : -1;
  const message = cut === -1 ? text : `[query] - ${text.slice(cut + 3)}`;
  const first = message.indexOf('"');
  const last = message.lastIndexOf('"');
  return first === -1 || first === last ? message : `${message.slice(0, first)}"…"${message.slice(last + 1)}`;
}

/**
 * The one error serializer of every log line: an allow-list of fields, so a driver's detail,
 * `where` (PostgreSQL quotes the JSON it could not store), internal query, parameters or a
 * body-parser's `body` never reach a log. The stack keeps only its frames.
 */
export function serializeError(err: unknown, depth = 0): unknown {
  if (typeof err === 'string') return safeErrorText(err);
  if (!(err instanceof Error) || depth > MAX_DEPTH) return err instanceof Error ? { type: err.name } : err;
  const e = err as Error & Record<string, unknown>;
  const out: Record<string, unknown> = {
    type: e.constructor?.name ?? e.name,
    message: safeErrorText(String(e.message)),
  };
  for (const field of SAFE_FIELDS)
    if (typeof e[field] === 'string' || typeof e[field] === 'number') out[field] = e[field];
  const frames = (e.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line));
  out.stack = [`${e.name}: ${out.message}`, ...frames].join('\n');
  if (e.cause !== undefined) out.cause = serializeError(e.cause, depth + 1);
  if (err instanceof AggregateError)
    out.errors = err.errors.slice(0, 5).map((inner) => serializeError(inner, depth + 1));
  return out;
}

/** Structured logs; credentials never reach them, and nothing logs request bodies. `destination` is for tests that read the logs. */
export function createLogger(level: string, name: string, destination?: DestinationStream): Logger {
  return pino(
    {
      name,
      level,
      serializers: { err: serializeError },
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers.cookie',
          'password',
          'token',
          'secret',
          '*.password',
          '*.token',
          '*.secret',
        ],
        censor: '[redacted]',
      },
    },
    destination,
  );
}
