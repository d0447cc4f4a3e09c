/**
 * `npx tsx scripts/guard-simulation.ts`: what the guard statistics (core/guard-stats.ts) do on
 * simulated rollouts, next to a fixed-horizon test. 1,000 rollouts per row; units arrive into
 * both arms and the guard is checked every 100 treatment units up to 5,000 (the control arm gets
 * as many, or 19 times as many at a 5% stage); a rollout halts at its first `regression`.
 *  - confidence sequence: the guard as built, checked at every step;
 *  - fixed horizon: the same interval with a constant boundary of 1.96, looked at once at 5,000 units;
 *  - fixed, peeking: that interval checked at every step, as a naive guard would.
 * Then rare events (a 0.1% share, where the control often has no events), event_mean, the width
 * the sequence pays at 5,000 units, and how often the sample-ratio check pauses a correct split.
 * Rates are of halted rollouts; "median units" is the median treatment units at the halt over
 * all rollouts (">5000" when fewer than half halted). Deterministic (seeded). Not a test.
 */
import {
  DEFAULT_ALPHA,
  meanInterval,
  meanIntervalWithin,
  sampleRatioPValue,
  shareInterval,
  shareIntervalWithin,
  verdictOf,
  type GuardInput,
  type GuardVerdict,
  type Interval,
  type MeanArm,
  type ShareArm,
} from '../core/guard-stats';
import {
  simulateMean,
  simulateSampleRatio,
  simulateShare,
  type Schedule,
  type SimulationResult,
} from '../test/support/guard-simulation';

const RUNS = 1000;
const BASE = 0.02;
const Z_975 = 1.959963984540054;
const guard: GuardInput = { maxRelativeIncrease: 0.1, minUnitsPerArm: 200 };

const fixedBoundary = () => Z_975;
interface Method {
  name: string;
  looks: Schedule['looks'];
  share: (t: ShareArm, c: ShareArm) => GuardVerdict;
  mean: (t: MeanArm, c: MeanArm) => GuardVerdict;
}
const methods: Method[] = [
  {
    name: 'confidence sequence',
    looks: 'every_step',
    share: (t, c) => verdictOf(shareInterval(t, c), t, c, guard),
    mean: (t, c) => verdictOf(meanInterval(t, c), t, c, guard),
  },
  {
    name: 'fixed horizon',
    looks: 'final',
    share: (t, c) => verdictOf(shareIntervalWithin(t, c, fixedBoundary), t, c, guard),
    mean: (t, c) => verdictOf(meanIntervalWithin(t, c, fixedBoundary), t, c, guard),
  },
  {
    name: 'fixed, peeking',
    looks: 'every_step',
    share: (t, c) => verdictOf(shareIntervalWithin(t, c, fixedBoundary), t, c, guard),
    mean: (t, c) => verdictOf(meanIntervalWithin(t, c, fixedBoundary), t, c, guard),
  },
];

const pct = (r: SimulationResult) => `${(100 * r.haltedShare).toFixed(1)}%`.padStart(6);
const units = (r: SimulationResult) => (Number.isFinite(r.medianUnits) ? String(r.medianUnits) : '>5000').padStart(5);
const cells = (rs: SimulationResult[]) => rs.map((r, i) => (i < 2 ? pct(r) : `${pct(r)} ${units(r)}`)).join(' | ');

console.log(
  `event_share, base ${100 * BASE}%, maxRelativeIncrease ${guard.maxRelativeIncrease}, minUnitsPerArm ${guard.minUnitsPerArm}, alpha ${DEFAULT_ALPHA}`,
);
console.log(
  `${'method'.padEnd(20)} arms | no diff | 1.1x (edge) | 1.5x: halted, median | 2x: halted, median | 3x: halted, median`,
);
for (const controlPerTreatment of [1, 19]) {
  for (const m of methods) {
    const schedule = { controlPerTreatment, looks: m.looks };
    const rs = [1, 1.1, 1.5, 2, 3].map((ratio, i) =>
      simulateShare({ controlShare: BASE, ratio, seed: 1000 + i, runs: RUNS, schedule }, m.share),
    );
    console.log(`${m.name.padEnd(20)} 1:${String(controlPerTreatment).padEnd(2)} | ${cells(rs)}`);
  }
}

console.log('\nrare events (0.1% base: few or no control events), confidence sequence');
for (const controlPerTreatment of [1, 19]) {
  const schedule = { controlPerTreatment };
  const rs = [1, 1.1, 5, 10].map((ratio, i) =>
    simulateShare({ controlShare: 0.001, ratio, seed: 4000 + i, runs: RUNS, schedule }, methods[0].share),
  );
  console.log(
    `  1:${String(controlPerTreatment).padEnd(2)} no diff ${pct(rs[0])}, 1.1x ${pct(rs[1])}, 5x ${pct(rs[2])} ${units(rs[2])}, 10x ${pct(rs[3])} ${units(rs[3])}`,
  );
}

console.log('\nevent_mean, lognormal unit values (sigma 1), equal arms');
console.log(`${'method'.padEnd(20)}      | no diff | 1.1x (edge) | 1.3x: halted, median | 1.5x: halted, median`);
for (const m of methods) {
  const rs = [1, 1.1, 1.3, 1.5].map((ratio, i) =>
    simulateMean({ sigma: 1, ratio, seed: 2000 + i, runs: RUNS, schedule: { looks: m.looks } }, m.mean),
  );
  console.log(`${m.name.padEnd(20)}      | ${cells(rs)}`);
}

// the price of looking at every check: the interval's width at 5,000 units per arm, no difference
const arm = { units: 5000, unitsWithEvent: 100 };
const sequence = shareInterval(arm, arm)!;
const fixedAtEnd = shareIntervalWithin(arm, arm, fixedBoundary)!;
const show = (i: Interval) => `[${(100 * i.lower).toFixed(1)}%, ${(100 * i.upper).toFixed(1)}%]`;
const logWidth = (i: Interval) => Math.log1p(i.upper) - Math.log1p(i.lower);
const widthRatio = logWidth(sequence) / logWidth(fixedAtEnd);
console.log(
  `\ninterval at 5,000 units per arm, 100 events in each: confidence sequence ${show(sequence)}, fixed horizon ${show(fixedAtEnd)}:`,
);
console.log(
  `${widthRatio.toFixed(2)}x as wide on the log scale, the width a fixed test has with about ${Math.round(5000 / widthRatio ** 2)} units per arm`,
);

console.log('\nsample ratio check (p < 0.001) on a correct split, checked every 100 treatment units up to 5,000:');
for (const [share, stepUnits] of [
  [0.5, 200],
  [0.05, 2000],
]) {
  const rate = simulateSampleRatio(
    { treatmentShare: share, stepUnits, maxUnits: stepUnits * 50, threshold: 0.001, seed: 3000, runs: RUNS },
    sampleRatioPValue,
  );
  console.log(`  ${100 * share}% stage: ${(100 * rate).toFixed(1)}% of rollouts paused falsely`);
}
