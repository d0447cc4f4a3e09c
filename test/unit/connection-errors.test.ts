import { Redis } from 'ioredis';
import { toAppError } from '../../api/middleware/error-handler';
import { withinTimeout } from '../../modules/platform/backend';

const codeOf = (err: unknown) => toAppError(err, '1kb').code;
const coded = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('a dependency that is down is 503 UNAVAILABLE, not a bug', () => {
  it('when PostgreSQL drops or refuses connections, then UNAVAILABLE', () => {
    expect(codeOf(new Error('Connection terminated unexpectedly'))).toBe('UNAVAILABLE');
    expect(codeOf(coded('read ECONNRESET', 'ECONNRESET'))).toBe('UNAVAILABLE');
    expect(codeOf(coded('the database system is shutting down', '57P03'))).toBe('UNAVAILABLE');
    expect(codeOf(coded('connection failure', '08006'))).toBe('UNAVAILABLE');
    expect(codeOf(new Error('Client has encountered a connection error and is not queryable'))).toBe('UNAVAILABLE');
    // localhost resolves to two addresses: one refusal each
    expect(
      codeOf(
        new AggregateError([
          coded('connect ECONNREFUSED ::1:5432', 'ECONNREFUSED'),
          coded('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'),
        ]),
      ),
    ).toBe('UNAVAILABLE');
  });

  it('when Redis is away (no offline queue) or does not answer in time, then UNAVAILABLE', async () => {
    const redis = new Redis('redis://127.0.0.1:1', {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      lazyConnect: true,
      retryStrategy: () => null,
    });
    const refused = await redis.ping().catch((err: unknown) => err);
    redis.disconnect();
    expect(codeOf(refused)).toBe('UNAVAILABLE');
    expect(codeOf(await withinTimeout(new Promise(() => undefined), 50).catch((err: unknown) => err))).toBe(
      'UNAVAILABLE',
    );
  });

  it('when the error is anything else, then still INTERNAL', () => {
    expect(codeOf(new Error('boom'))).toBe('INTERNAL');
    expect(codeOf(coded('relation "x" does not exist', '42P01'))).toBe('INTERNAL');
    expect(codeOf(new AggregateError([new Error('a'), coded('connect ECONNREFUSED', 'ECONNREFUSED')]))).toBe(
      'INTERNAL',
    );
  });
});
