/**
 * What a failure from a store (PostgreSQL through pg/knex, Redis through ioredis/BullMQ) means
 * for its caller, in one place: the api's error handler maps it to the error contract, the
 * rollout runner to a plan's failure reason. Pure: it only reads the error's code and message.
 *
 * - `unavailable`: the store is down, unreachable or out of connections; retrying later can succeed.
 * - `conflict`: a unique key is taken (23505).
 * - `serialization`: a serialization failure or deadlock (40001, 40P01); the transaction can be retried.
 * - `undefined`: anything else, a bug as far as the caller knows.
 */
export type DbErrorKind = 'unavailable' | 'conflict' | 'serialization';

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'EAI_AGAIN',
]);
// PostgreSQL: shutting down or crashed (57P01-03), too many connections (53300); class 08 is "connection exception"
const POSTGRES_UNAVAILABLE = /^(57P0[1-3]|53300|08...)$/;
// what pg, knex, ioredis (no offline queue: see modules/platform/redis.ts) and BullMQ say when their store went away
const CONNECTION_MESSAGES =
  /Knex: Timeout acquiring a connection|Connection terminated|not queryable|timeout exceeded when trying to connect|Stream isn't writeable|Connection is closed|Reached the max retries per request/;
const UNIQUE_VIOLATION = '23505';
const SERIALIZATION = new Set(['40001', '40P01']);

function isUnavailable(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown; errors?: unknown } | undefined;
  if (!e || typeof e !== 'object') return false;
  const code = String(e.code);
  if (CONNECTION_CODES.has(code) || POSTGRES_UNAVAILABLE.test(code) || CONNECTION_MESSAGES.test(String(e.message)))
    return true;
  // a host name with several addresses fails with one error per address
  return Array.isArray(e.errors) && e.errors.length > 0 && e.errors.every(isUnavailable);
}

export function classifyDbError(err: unknown): DbErrorKind | undefined {
  const code = (err as { code?: unknown } | null | undefined)?.code;
  if (code === UNIQUE_VIOLATION) return 'conflict';
  if (typeof code === 'string' && SERIALIZATION.has(code)) return 'serialization';
  return isUnavailable(err) ? 'unavailable' : undefined;
}
