import fc from 'fast-check';
import {
  chiSquare1Tail,
  erfc,
  meanInterval,
  normalTail,
  sampleRatioPValue,
  sequenceBoundary,
  shareInterval,
  shareIntervalWithin,
  verdictOf,
  type GuardInput,
  type Interval,
  type MeanArm,
  type ShareArm,
} from '../../core/guard-stats';
import { binomial, mulberry32, simulateMean, simulateShare } from '../support/guard-simulation';

const guard: GuardInput = { maxRelativeIncrease: 0.1, minUnitsPerArm: 200 };
const checkShare = (g: GuardInput) => (t: ShareArm, c: ShareArm) => verdictOf(shareInterval(t, c), t, c, g);
const checkMean = (g: GuardInput) => (t: MeanArm, c: MeanArm) => verdictOf(meanInterval(t, c), t, c, g);
const { abs, sqrt } = Math; // bound once: a global lookup per call is slow in jest's vm contexts

const boundary = sequenceBoundary();

/** The score test of core/guard-stats.ts, restated with the textbook root formula, at one ratio. */
function passes(t: ShareArm, c: ShareArm, ratio: number): boolean {
  const [nt, xt, nc, xc] = [t.units, t.unitsWithEvent, c.units, c.unitsWithEvent];
  if (xt + xc === 0) return true;
  const [a, b, cc] = [ratio * (nt + nc), -(ratio * (nt + xc) + nc + xt), xt + xc];
  const pc = (-b - sqrt(b * b - 4 * a * cc)) / (2 * a);
  const pt = ratio * pc;
  const z = abs(xt / nt - (ratio * xc) / nc) / sqrt((pt * (1 - pt)) / nt + (ratio * ratio * pc * (1 - pc)) / nc);
  return !(z > boundary((1 - pt) / (nt * pt) + (1 - pc) / (nc * pc)));
}
const relativeError = (actual: number, expected: number) => Math.abs(actual - expected) / Math.abs(expected);

describe('tail functions', () => {
  it.each([
    [0, 1],
    [0.1, 0.8875370839817152],
    [0.3, 0.6713732405408726],
    [0.46875, 0.507386526782062],
    [0.5, 0.4795001221869535],
    [1, 0.15729920705028513],
    [2, 0.004677734981047265],
    [3, 2.2090496998585438e-5],
    [4, 1.541725790028002e-8],
    [4.5, 1.9661604415428873e-10],
    [5, 1.5374597944280351e-12],
    [6, 2.1519736712498916e-17],
    [10, 2.088487583762545e-45],
    [26, 5.663192408856143e-296],
    [-0.5, 1.5204998778130465],
    [-1, 1.842700792949715],
    [-3, 1.9999779095030015],
  ])('when erfc(%d) is computed, then it matches the reference value to far better than 1e-7', (x, expected) => {
    expect(relativeError(erfc(x), expected)).toBeLessThan(1e-13);
  });

  it('when the argument is beyond the doubles, then erfc is 0 or 2, and NaN stays NaN', () => {
    expect(erfc(27)).toBe(0);
    expect(erfc(Number.POSITIVE_INFINITY)).toBe(0);
    expect(erfc(Number.NEGATIVE_INFINITY)).toBe(2);
    expect(erfc(Number.NaN)).toBeNaN();
  });

  it('when erfc crosses the boundaries of its three approximations, then it is continuous and decreasing', () => {
    for (const edge of [0.46875, 4]) {
      expect(relativeError(erfc(edge - 1e-12), erfc(edge + 1e-12))).toBeLessThan(1e-10);
    }
    for (let x = -5; x < 6; x += 0.01) expect(erfc(x + 0.01)).toBeLessThan(erfc(x));
  });

  it.each([
    [3.841458820694124, 0.05],
    [6.634896601021214, 0.01],
    [10.827566170662733, 0.001],
    [1, 0.31731050786291415],
  ])('when the chi-square (1 df) statistic is %d, then its tail probability is %d', (x, p) => {
    expect(relativeError(chiSquare1Tail(x), p)).toBeLessThan(1e-9);
  });

  it('when the normal tail is taken at the usual quantiles, then it gives their probabilities', () => {
    expect(relativeError(normalTail(1.959963984540054), 0.025)).toBeLessThan(1e-9);
    expect(relativeError(normalTail(3.090232306167813), 0.001)).toBeLessThan(1e-9);
    expect(normalTail(0)).toBe(0.5);
    expect(chiSquare1Tail(0)).toBe(1);
  });
});

describe('sampleRatioPValue', () => {
  it('when the split is what the percent makes it, then the p-value is large', () => {
    expect(sampleRatioPValue(500, 500, 0.5)).toBe(1);
    expect(sampleRatioPValue(510, 490, 0.5)).toBeCloseTo(0.5270892568655381, 12);
    expect(sampleRatioPValue(50, 950, 0.05)).toBe(1);
    expect(sampleRatioPValue(52, 948, 0.05)).toBeGreaterThan(0.5);
  });

  it('when 600 units land in treatment and 400 in control at 50%, then p < 0.001 and the plan would pause', () => {
    expect(sampleRatioPValue(600, 400, 0.5)).toBeLessThan(0.001);
    expect(relativeError(sampleRatioPValue(600, 400, 0.5), 2.53962858947086e-10)).toBeLessThan(1e-9);
  });

  it('when a 5% stage has 70 treatment units of 1,000, then the p-value is that of chi-square 8.42', () => {
    expect(relativeError(sampleRatioPValue(70, 930, 0.05), 0.0037090099909748058)).toBeLessThan(1e-9);
  });

  it('when there are no units, or the share leaves an arm empty, then the p-value says so without dividing by 0', () => {
    expect(sampleRatioPValue(0, 0, 0.05)).toBe(1);
    expect(sampleRatioPValue(0, 10, 0)).toBe(1);
    expect(sampleRatioPValue(1, 10, 0)).toBe(0);
    expect(sampleRatioPValue(10, 1, 1)).toBe(0);
  });

  it('when the counts or the share are not counts and a share, then it throws', () => {
    expect(() => sampleRatioPValue(-1, 10, 0.5)).toThrow(RangeError);
    expect(() => sampleRatioPValue(1.5, 10, 0.5)).toThrow(RangeError);
    expect(() => sampleRatioPValue(1, 10, 5)).toThrow(RangeError);
    expect(() => sampleRatioPValue(1, 10, Number.NaN)).toThrow(RangeError);
  });
});

describe('intervals', () => {
  const finite = (i: Interval | null) => i !== null && [i.estimate, i.lower, i.upper].every(Number.isFinite);

  it.each([
    [40, 1000, 20, 1000, 1, -0.11060020238359008, 3.6666518060109254],
    [50, 1000, 1, 1000, 49, 2.9871668093007964, Number.MAX_VALUE],
    [60, 1000, 1000, 19000, 0.14, -0.23031948557379028, 0.6840988352699467],
  ])(
    'when treatment has %i of %i and control %i of %i, then the interval is where the score stays within the mixture boundary',
    (xt, nt, xc, nc, estimate, lower, upper) => {
      const i = shareInterval({ units: nt, unitsWithEvent: xt }, { units: nc, unitsWithEvent: xc })!;
      expect(relativeError(i.estimate, estimate)).toBeLessThan(1e-12);
      expect(relativeError(i.lower, lower)).toBeLessThan(1e-8);
      expect(relativeError(i.upper, upper)).toBeLessThan(1e-8);
    },
  );

  it('when any counts are tested, then the ratios that pass the score test are exactly those inside the interval', () => {
    const arm = fc
      .integer({ min: 1, max: 100_000 })
      .chain((units) => fc.record({ units: fc.constant(units), unitsWithEvent: fc.integer({ min: 0, max: units }) }));
    fc.assert(
      fc.property(arm, arm, (t, c) => {
        const i = shareInterval(t, c)!;
        const [lo, hi] = [Math.log1p(i.lower), Math.log1p(i.upper)];
        const wrong: number[] = [];
        for (let theta = -15; theta <= 15; theta += 0.05) {
          const inside = theta >= lo && theta <= hi;
          const near = Math.abs(theta - lo) < 1e-6 || Math.abs(theta - hi) < 1e-6;
          if (!near && passes(t, c, Math.exp(theta)) !== inside) wrong.push(theta);
        }
        expect(wrong).toEqual([]);
      }),
      { numRuns: 150, seed: 13 },
    );
  });

  it('when the boundary is a constant 1.96, then it is the fixed-horizon score interval, narrower than the sequence at any size', () => {
    for (const n of [200, 5000, 100_000]) {
      const arm = { units: n, unitsWithEvent: n / 50 };
      const fixed = shareIntervalWithin(arm, arm, () => 1.959963984540054)!;
      const sequence = shareInterval(arm, arm)!;
      expect(sequence.lower).toBeLessThan(fixed.lower);
      expect(sequence.upper).toBeGreaterThan(fixed.upper);
      expect(fixed.lower).toBeLessThan(0);
    }
  });

  it('when an arm has no events, or neither has, then the interval is still finite and contains the estimate', () => {
    const none = { units: 500, unitsWithEvent: 0 };
    for (const [t, c] of [
      [none, none],
      [{ units: 500, unitsWithEvent: 30 }, none],
      [none, { units: 500, unitsWithEvent: 30 }],
      [
        { units: 500, unitsWithEvent: 500 },
        { units: 500, unitsWithEvent: 500 },
      ],
    ]) {
      const i = shareInterval(t, c);
      expect(finite(i)).toBe(true);
      expect(i!.lower).toBeLessThanOrEqual(i!.estimate);
      expect(i!.estimate).toBeLessThanOrEqual(i!.upper);
      expect(i!.lower).toBeGreaterThanOrEqual(-1);
    }
    expect(shareInterval(none, none)?.estimate).toBe(0);
  });

  it('when the control has no events and treatment many, then that is a regression, not a division by 0', () => {
    const t = { units: 1000, unitsWithEvent: 50 };
    const c = { units: 1000, unitsWithEvent: 0 };
    expect(verdictOf(shareInterval(t, c), t, c, guard)).toBe('regression');
  });

  it('when an arm has no units, then no interval is formed and the verdict is insufficient data', () => {
    const t = { units: 0, unitsWithEvent: 0 };
    const c = { units: 1000, unitsWithEvent: 10 };
    expect(shareInterval(t, c)).toBeNull();
    expect(verdictOf(shareInterval(t, c), t, c, { ...guard, minUnitsPerArm: 0 })).toBe('insufficient_data');
  });

  it('when the arms grow at the same shares, then the interval narrows', () => {
    const width = (n: number) => {
      const i = shareInterval({ units: n, unitsWithEvent: n / 50 }, { units: n, unitsWithEvent: n / 50 })!;
      return Math.log1p(i.upper) - Math.log1p(i.lower);
    };
    expect(width(1000)).toBeGreaterThan(width(5000));
    expect(width(5000)).toBeGreaterThan(width(50_000));
  });

  it('when alpha is larger, then the interval is narrower; alpha outside (0, 1) throws', () => {
    expect(sequenceBoundary(0.2)(0.02)).toBeLessThan(sequenceBoundary(0.05)(0.02));
    expect(sequenceBoundary()(0)).toBe(Number.POSITIVE_INFINITY);
    const arm = { units: 100, unitsWithEvent: 5 };
    expect(() => shareInterval(arm, arm, 0)).toThrow(RangeError);
    expect(() => shareInterval(arm, arm, 1)).toThrow(RangeError);
  });

  it('when a share arm is not counts, then it throws', () => {
    const ok = { units: 100, unitsWithEvent: 5 };
    expect(() => shareInterval({ units: 10, unitsWithEvent: 11 }, ok)).toThrow(RangeError);
    expect(() => shareInterval(ok, { units: -1, unitsWithEvent: 0 })).toThrow(RangeError);
    expect(() => shareInterval(ok, { units: Number.NaN, unitsWithEvent: 0 })).toThrow(RangeError);
  });

  it('when means are compared, then the interval is around their relative difference', () => {
    const arm = (values: number[]): MeanArm => ({
      units: values.length,
      sum: values.reduce((a, b) => a + b, 0),
      sumOfSquares: values.reduce((a, b) => a + b * b, 0),
    });
    const i = meanInterval(arm([110, 130, 120, 100, 140]), arm([100, 90, 110, 95, 105]))!;
    expect(i.estimate).toBeCloseTo(0.2, 12);
    expect(i.lower).toBeLessThan(0.2);
    expect(i.upper).toBeGreaterThan(0.2);
  });

  it('when every unit has the same value, then the mean interval has no width; fewer than 2 units or a mean <= 0 give none', () => {
    expect(meanInterval({ units: 10, sum: 20, sumOfSquares: 40 }, { units: 10, sum: 10, sumOfSquares: 10 })).toEqual({
      estimate: 1,
      lower: 1,
      upper: 1,
    });
    expect(meanInterval({ units: 1, sum: 2, sumOfSquares: 4 }, { units: 10, sum: 10, sumOfSquares: 10 })).toBeNull();
    expect(meanInterval({ units: 10, sum: 0, sumOfSquares: 0 }, { units: 10, sum: 10, sumOfSquares: 10 })).toBeNull();
    expect(meanInterval({ units: 10, sum: 10, sumOfSquares: 10 }, { units: 10, sum: -5, sumOfSquares: 30 })).toBeNull();
    expect(() =>
      meanInterval(
        { units: 10, sum: Number.POSITIVE_INFINITY, sumOfSquares: 0 },
        { units: 10, sum: 1, sumOfSquares: 1 },
      ),
    ).toThrow(RangeError);
  });

  it('when the variance is huge, then the upper bound is capped at the largest double, not Infinity', () => {
    const i = meanInterval(
      { units: 2, sum: 1e-300, sumOfSquares: 1e10 },
      { units: 2, sum: 1e-300, sumOfSquares: 1e10 },
    )!;
    expect(i.upper).toBe(Number.MAX_VALUE);
    expect(i.lower).toBe(-1);
  });
});

describe('verdictOf', () => {
  const units = { units: 1000 };
  const interval = (lower: number, upper: number): Interval => ({ estimate: (lower + upper) / 2, lower, upper });

  it('when lower is better and the whole interval is above the tolerance, then it is a regression', () => {
    expect(verdictOf(interval(0.11, 0.5), units, units, guard)).toBe('regression');
    expect(verdictOf(interval(0.1, 0.5), units, units, guard)).toBe('healthy');
    expect(verdictOf(interval(-0.5, -0.2), units, units, guard)).toBe('healthy');
  });

  it('when higher is better and the whole interval is below minus the tolerance, then it is a regression', () => {
    const g = { ...guard, direction: 'higher_is_better' as const };
    expect(verdictOf(interval(-0.5, -0.11), units, units, g)).toBe('regression');
    expect(verdictOf(interval(-0.5, -0.1), units, units, g)).toBe('healthy');
    expect(verdictOf(interval(0.2, 0.5), units, units, g)).toBe('healthy');
  });

  it('when an arm has fewer units than minUnitsPerArm, or there is no interval, then the data is insufficient', () => {
    expect(verdictOf(interval(1, 2), { units: 199 }, units, guard)).toBe('insufficient_data');
    expect(verdictOf(interval(1, 2), units, { units: 199 }, guard)).toBe('insufficient_data');
    expect(verdictOf(null, units, units, guard)).toBe('insufficient_data');
    expect(verdictOf(interval(1, 2), { units: 200 }, { units: 200 }, guard)).toBe('regression');
  });
});

describe('simulated guarded rollouts (base 2%, tolerance 10%, 200 units per arm, checked every 100 units up to 5,000)', () => {
  it('when the seeded generator draws binomials, then their mean and variance are n·p and n·p·(1 − p)', () => {
    const random = mulberry32(42);
    const draws = Array.from({ length: 20_000 }, () => binomial(random, 1900, 0.02));
    const mean = draws.reduce((a, b) => a + b, 0) / draws.length;
    const variance = draws.reduce((a, b) => a + (b - mean) ** 2, 0) / (draws.length - 1);
    expect(mean).toBeCloseTo(38, 0);
    expect(variance / (1900 * 0.02 * 0.98)).toBeCloseTo(1, 1);
    expect(binomial(random, 1_000_000, 0.3)).toBeGreaterThan(299_000);
  });

  it.each([1, 19])(
    'when treatment and control do not differ (arms 1:%i), then at most 5%% of 1,000 rollouts halt',
    (controlPerTreatment) => {
      const r = simulateShare(
        { controlShare: 0.02, ratio: 1, seed: 1, runs: 1000, schedule: { controlPerTreatment } },
        checkShare(guard),
      );
      expect(r.haltedShare).toBeLessThanOrEqual(0.05);
    },
  );

  it.each([1, 19])(
    'when treatment is worse by exactly the tolerance (arms 1:%i), then still at most 5%% halt',
    (controlPerTreatment) => {
      const r = simulateShare(
        { controlShare: 0.02, ratio: 1.1, seed: 2, runs: 1000, schedule: { controlPerTreatment } },
        checkShare(guard),
      );
      expect(r.haltedShare).toBeLessThanOrEqual(0.05);
    },
  );

  it('when higher is better and treatment converts 10% less, then at most 5% halt', () => {
    const g = { ...guard, direction: 'higher_is_better' as const };
    const r = simulateShare({ controlShare: 0.02, ratio: 0.9, seed: 3, runs: 1000 }, checkShare(g));
    expect(r.haltedShare).toBeLessThanOrEqual(0.05);
  });

  it.each([
    [2, 1, 2500],
    [2, 19, 1000],
    [3, 1, 1000],
    [3, 19, 500],
  ])(
    'when treatment has %ix the error share (arms 1:%i), then >= 90%% of rollouts halt by 5,000 units, half by %i',
    (ratio, controlPerTreatment, median) => {
      const r = simulateShare(
        { controlShare: 0.02, ratio, seed: 4, runs: 1000, schedule: { controlPerTreatment } },
        checkShare(guard),
      );
      expect(r.haltedShare).toBeGreaterThanOrEqual(0.9);
      expect(r.medianUnits).toBeLessThanOrEqual(median);
    },
  );

  it('when treatment converts half as often and higher is better, then >= 90% of rollouts halt', () => {
    const g = { ...guard, direction: 'higher_is_better' as const };
    const r = simulateShare({ controlShare: 0.04, ratio: 0.5, seed: 5, runs: 1000 }, checkShare(g));
    expect(r.haltedShare).toBeGreaterThanOrEqual(0.9);
  });

  it('when lognormal unit means do not differ, then at most 5% of 1,000 rollouts halt; when treatment is 1.3x, >= 90% do', () => {
    const same = simulateMean({ sigma: 1, ratio: 1, seed: 6, runs: 1000 }, checkMean(guard));
    expect(same.haltedShare).toBeLessThanOrEqual(0.05);
    const slower = simulateMean(
      { sigma: 1, ratio: 1.3, seed: 7, runs: 300, schedule: { maxUnits: 3000 } },
      checkMean(guard),
    );
    expect(slower.haltedShare).toBeGreaterThanOrEqual(0.9);
  });
});
