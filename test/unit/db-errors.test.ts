import { toAppError } from '../../api/middleware/error-handler';
import { classifyDbError } from '../../modules/platform/db-errors';
import { failureOf } from '../../modules/rollout-plans/rollout-runner';

const coded = (message: string, code: string) => Object.assign(new Error(message), { code });

const outages = [
  coded('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'),
  coded('getaddrinfo ENOTFOUND db.internal', 'ENOTFOUND'),
  coded('connect EHOSTUNREACH 10.0.0.9:5432', 'EHOSTUNREACH'),
  coded('the database system is starting up', '57P03'),
  coded('could not connect to server', '08001'),
  coded('sorry, too many clients already', '53300'),
  new Error('Connection terminated unexpectedly'),
  new Error('Knex: Timeout acquiring a connection. The pool is probably full.'),
  new AggregateError([
    coded('connect ECONNREFUSED ::1:5432', 'ECONNREFUSED'),
    coded('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'),
  ]),
];

describe('one classifier of database errors', () => {
  it('when the database is down or unreachable, then it is unavailable', () => {
    for (const err of outages) expect([err.message, classifyDbError(err)]).toEqual([err.message, 'unavailable']);
  });

  it('when a unique key is taken, then conflict; a serialization failure or deadlock, then serialization', () => {
    expect(classifyDbError(coded('duplicate key value violates unique constraint "flags_key"', '23505'))).toBe(
      'conflict',
    );
    expect(classifyDbError(coded('could not serialize access', '40001'))).toBe('serialization');
    expect(classifyDbError(coded('deadlock detected', '40P01'))).toBe('serialization');
  });

  it('when the error is anything else, then it is not classified', () => {
    for (const err of [new Error('boom'), coded('relation "x" does not exist', '42P01'), undefined, null, 'text', 42]) {
      expect(classifyDbError(err)).toBeUndefined();
    }
    expect(
      classifyDbError(new AggregateError([new Error('a'), coded('connect ECONNREFUSED', 'ECONNREFUSED')])),
    ).toBeUndefined();
  });

  it('when the database is down, then the api answers 503 UNAVAILABLE and the rollout runner records DB_UNAVAILABLE, for the same errors', () => {
    for (const err of outages) {
      expect([err.message, toAppError(err, '1kb').code, failureOf(err).code]).toEqual([
        err.message,
        'UNAVAILABLE',
        'DB_UNAVAILABLE',
      ]);
    }
  });
});
