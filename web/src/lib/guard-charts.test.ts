import { describe, expect, it } from '@jest/globals';
import type { EventGuard, GuardCheck } from '@/api/types';
import { armsChart, changeChart, checksOf, niceCeil, toleranceOf, valueChart } from './guard-charts';

const check = (seq: number, guard: number, over: Partial<GuardCheck> = {}): GuardCheck => ({
  seq,
  guard,
  kind: 'event_share',
  subject: 'checkout.error',
  verdict: 'healthy',
  stage: 0,
  percent: 5,
  checkedAt: `2030-01-01T10:00:${String(seq * 15).padStart(2, '0')}.000Z`,
  arms: { treatment: { units: 100 * seq, value: 0.021 }, control: { units: 1900 * seq, value: 0.02 } },
  interval: { estimate: 0.05, lower: -0.4 / seq, upper: 0.5 / seq },
  threshold: 0.1,
  ...over,
});
const guard: EventGuard = {
  kind: 'event_share',
  event: 'checkout.error',
  maxRelativeIncrease: 0.1,
  minUnitsPerArm: 200,
  direction: 'lower_is_better',
  onRegression: 'pause',
};
const values = (c: ReturnType<typeof changeChart>, label: string) =>
  c.data.datasets.find((d) => d.label === label)!.data;

describe('guard charts', () => {
  it('takes one guard’s checks in check order', () => {
    const all = [check(2, 0), check(1, 1), check(1, 0), check(1, -1)];
    expect(checksOf(all, 0).map((c) => c.seq)).toEqual([1, 2]);
    expect(checksOf(all, -1)).toHaveLength(1);
  });

  it('draws each arm’s share in percent over the checks, and names the latest values', () => {
    const chart = armsChart([check(1, 0), check(2, 0, { arms: undefined })], 'event_share');
    expect(chart.data.datasets.map((d) => d.label)).toEqual(['Treatment', 'Control']);
    expect(chart.data.datasets[0].data).toEqual([2.1, null]);
    expect(chart.data.labels).toHaveLength(2);
    expect(armsChart([check(1, 0)], 'event_share').summary).toBe(
      'Share per arm at the only check: treatment 2.10%, control 2.00%',
    );
  });

  it('draws the change as an estimate inside its interval band, with the tolerance as a line', () => {
    const chart = changeChart([check(1, 0), check(2, 0), check(3, 0, { interval: null })], guard);
    expect(values(chart, 'Estimate')).toEqual([5, 5, null]);
    expect(values(chart, 'Interval low')).toEqual([-40, -20, null]);
    expect(values(chart, 'Interval')).toEqual([50, 25, null]);
    expect(values(chart, 'Allowed')).toEqual([10, 10, 10]);
    expect(chart.options.scales?.y).toMatchObject({ min: -50, max: 50 });
    expect(chart.summary).toBe('No estimate yet: too few units');
    const higher = { ...guard, direction: 'higher_is_better' as const, maxRelativeIncrease: 0.05 };
    expect(toleranceOf(higher)).toBe(-0.05);
    expect(values(changeChart([check(1, 0)], higher), 'Allowed')).toEqual([-5]);
  });

  it('draws a Prometheus value with its bounds', () => {
    const checks = [check(1, 0, { kind: 'prometheus', value: 0.2 }), check(2, 0, { kind: 'prometheus', value: 0.4 })];
    const chart = valueChart(checks, { kind: 'prometheus', query: 'q', max: 0.5, onRegression: 'pause' });
    expect(chart.data.datasets.map((d) => [d.label, d.data])).toEqual([
      ['Value', [0.2, 0.4]],
      ['Max', [0.5, 0.5]],
    ]);
    expect(chart.summary).toBe('Query value at the latest of 2 checks: 0.4');
  });

  it('rounds an axis edge up to 1, 2 or 5 times a power of ten', () => {
    expect([0.7, 1, 13, 25, 50, 160].map(niceCeil)).toEqual([1, 1, 20, 50, 50, 200]);
  });
});
