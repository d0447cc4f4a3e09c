import { describe, expect, it } from '@jest/globals';
import { actorIcon, eventLabel, jobLink, statusLabel } from './plan-transitions';

describe('plan transitions', () => {
  it('names each event, and a step into an approval gate as the wait it starts', () => {
    expect(eventLabel({ event: 'due', fromStatus: 'running', toStatus: 'running' })).toBe('Advanced on schedule');
    expect(eventLabel({ event: 'due', fromStatus: 'running', toStatus: 'awaiting_approval' })).toBe(
      'Waiting for approval',
    );
    expect(eventLabel({ event: 'pause', fromStatus: 'awaiting_approval', toStatus: 'awaiting_approval' })).toBe(
      'Paused',
    );
    expect(eventLabel({ event: 'teleport', fromStatus: 'running', toStatus: 'running' })).toBe('teleport');
  });

  it('labels known states and shows unknown ones as they are', () => {
    expect(statusLabel('awaiting_approval')).toBe('Awaiting approval');
    expect(statusLabel('frozen')).toBe('frozen');
  });

  it('gives each kind of actor its icon', () => {
    expect([actorIcon('system'), actorIcon('token'), actorIcon('user')]).toEqual(['pi-cog', 'pi-key', 'pi-user']);
  });

  it('links a job in the plan’s queue, escaped, or in the advances queue when the plan has no job', () => {
    expect(jobLink('rollout-advances', 'advance-1')).toBe('/admin/queues/queue/rollout-advances/advance-1');
    expect(jobLink('q 1', 'a/b')).toBe('/admin/queues/queue/q%201/a%2Fb');
    expect(jobLink(undefined, 'x')).toBe('/admin/queues/queue/rollout-advances/x');
  });
});
