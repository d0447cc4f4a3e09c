import { JOB_NAMES } from '../../modules/platform/queues';
import { AdvanceError, failureOf } from '../../modules/rollout-plans/rollout-runner';
import { assertEveryJobHasAHandler, jobHandlers } from '../../worker/jobs';

describe('the job registry', () => {
  it('has a handler for every job name', () => {
    expect(Object.keys(jobHandlers).sort()).toEqual([...JOB_NAMES].sort());
    expect(() => assertEveryJobHasAHandler()).not.toThrow();
  });

  it('when a job has no handler, then the worker refuses to boot, naming it', () => {
    const { cleanup: _missing, ...partial } = jobHandlers;
    expect(() => assertEveryJobHasAHandler(partial)).toThrow('No handler registered for job(s): cleanup');
  });
});

describe('advance failure reasons', () => {
  it('names database outages, conflicts and the rest with stable codes, without SQL text', () => {
    expect(
      failureOf(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })),
    ).toMatchObject({
      code: 'DB_UNAVAILABLE',
      retryable: true,
    });
    expect(failureOf(new Error('Knex: Timeout acquiring a connection. The pool is probably full.'))).toMatchObject({
      code: 'DB_UNAVAILABLE',
    });
    expect(
      failureOf(Object.assign(new Error('update "rollout_plans" set x = $1 - deadlock detected'), { code: '40P01' })),
    ).toEqual({
      code: 'CONCURRENT_UPDATE',
      message: 'deadlock detected',
      retryable: true,
    });
    expect(failureOf(new Error('boom'))).toEqual({ code: 'INTERNAL', message: 'boom', retryable: true });
    expect(failureOf(new AdvanceError('FLAG_ARCHIVED', 'Flag x is archived.', false))).toEqual({
      code: 'FLAG_ARCHIVED',
      message: 'Flag x is archived.',
      retryable: false,
    });
  });
});
