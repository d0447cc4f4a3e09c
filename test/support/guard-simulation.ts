/**
 * Simulated guarded rollouts for the guard statistics (core/guard-stats.ts): a seeded generator,
 * binomial and normal draws from it, and a loop that lets units arrive into both arms and checks
 * the guard after every step, as the worker does every few seconds. Deterministic for a seed, so
 * the rates a test asserts are the same on every run.
 */
import type { GuardVerdict, MeanArm, ShareArm } from '../../core/guard-stats';

// Bound once: a global lookup per call is slow in jest's vm contexts, and these run millions of times.
const { cos, exp, floor, imul, log, pow, sin, sqrt } = Math;
const TWO_PI = 2 * Math.PI;

/** Uniform on [0, 1). */
export type Random = () => number;

/** mulberry32 (Tommy Ettinger): 32 bits of state, fast, good enough for simulations. */
export function mulberry32(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = imul(a ^ (a >>> 15), 1 | a);
    t = (t + imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Binomial(n, p) by inversion: walk the probability function from 0 until it passes a uniform,
 * about n·p + 1 steps. When (1 − p)^n would underflow, the draw is split into two halves.
 */
export function binomial(random: Random, n: number, p: number): number {
  if (n === 0 || p <= 0) return 0;
  if (p >= 1) return n;
  if (p > 0.5) return n - binomial(random, n, 1 - p);
  const q = 1 - p;
  let pmf = pow(q, n);
  if (pmf < 1e-250) {
    const half = floor(n / 2);
    return binomial(random, half, p) + binomial(random, n - half, p);
  }
  const u = random();
  let k = 0;
  let cdf = pmf;
  while (u > cdf && k < n) {
    pmf *= ((n - k) / (k + 1)) * (p / q);
    k++;
    cdf += pmf;
  }
  return k;
}

/** Standard normal draws by Box–Muller, using both values of each pair. */
export function normals(random: Random): () => number {
  let spare: number | null = null;
  return () => {
    if (spare !== null) {
      const z = spare;
      spare = null;
      return z;
    }
    const radius = sqrt(-2 * log(1 - random()));
    const angle = TWO_PI * random();
    spare = radius * sin(angle);
    return radius * cos(angle);
  };
}

export interface Schedule {
  /** Treatment units added before each check (the control arm gets `controlPerTreatment` times as many). */
  stepUnits: number;
  /** The last check is at this many treatment units. */
  maxUnits: number;
  /** 1 for equal arms, 19 for a 5% stage (treatment : control = 5 : 95). */
  controlPerTreatment: number;
  /** `every_step`: the guard's repeated checks; `final`: one look at maxUnits (a fixed-horizon test). */
  looks: 'every_step' | 'final';
}

export const DEFAULT_SCHEDULE: Schedule = {
  stepUnits: 100,
  maxUnits: 5000,
  controlPerTreatment: 1,
  looks: 'every_step',
};

export interface SimulationResult {
  runs: number;
  halted: number;
  haltedShare: number;
  /** Median over all runs of the treatment units at the first `regression`; Infinity when fewer than half halted. */
  medianUnits: number;
}

type Check<A> = (t: A, c: A) => GuardVerdict;

/** One arm's data, grown by `add(arm, units)` draws. */
interface ArmModel<A> {
  empty(): A;
  add(arm: A, units: number, treatment: boolean): void;
}

function simulate<A>(model: ArmModel<A>, check: Check<A>, schedule: Schedule, runs: number): SimulationResult {
  const haltedAt: number[] = [];
  for (let run = 0; run < runs; run++) {
    const t = model.empty();
    const c = model.empty();
    let at = Infinity;
    for (let units = schedule.stepUnits; units <= schedule.maxUnits; units += schedule.stepUnits) {
      model.add(t, schedule.stepUnits, true);
      model.add(c, schedule.stepUnits * schedule.controlPerTreatment, false);
      if (schedule.looks === 'final' && units + schedule.stepUnits <= schedule.maxUnits) continue;
      if (check(t, c) === 'regression') {
        at = units;
        break;
      }
    }
    haltedAt.push(at);
  }
  const halted = haltedAt.filter(Number.isFinite).length;
  haltedAt.sort((a, b) => a - b);
  return { runs, halted, haltedShare: halted / runs, medianUnits: haltedAt[floor((runs - 1) / 2)] };
}

/** event_share rollouts: each unit sends the event with probability `controlShare`, or `controlShare · ratio` in treatment. */
export function simulateShare(
  o: { controlShare: number; ratio: number; seed: number; runs: number; schedule?: Partial<Schedule> },
  check: Check<ShareArm>,
): SimulationResult {
  const random = mulberry32(o.seed);
  const model: ArmModel<ShareArm> = {
    empty: () => ({ units: 0, unitsWithEvent: 0 }),
    add(arm, units, treatment) {
      arm.units += units;
      arm.unitsWithEvent += binomial(random, units, treatment ? o.controlShare * o.ratio : o.controlShare);
    },
  };
  return simulate(model, check, { ...DEFAULT_SCHEDULE, ...o.schedule }, o.runs);
}

/**
 * event_mean rollouts: each unit's mean value is lognormal, exp(μ + σ·Z) (skewed as latencies
 * and order values are), with its mean multiplied by `ratio` in treatment.
 */
export function simulateMean(
  o: { sigma: number; ratio: number; seed: number; runs: number; schedule?: Partial<Schedule> },
  check: Check<MeanArm>,
): SimulationResult {
  const z = normals(mulberry32(o.seed));
  const model: ArmModel<MeanArm> = {
    empty: () => ({ units: 0, sum: 0, sumOfSquares: 0 }),
    add(arm, units, treatment) {
      const shift = treatment ? log(o.ratio) : 0;
      for (let i = 0; i < units; i++) {
        const value = exp(shift + o.sigma * z());
        arm.sum += value;
        arm.sumOfSquares += value * value;
      }
      arm.units += units;
    },
  };
  return simulate(model, check, { ...DEFAULT_SCHEDULE, ...o.schedule }, o.runs);
}

/**
 * Sample-ratio checks on a correct split: units arrive `stepUnits` at a time, each in treatment
 * with probability `treatmentShare`, and the p-value is checked after every step. Returns the
 * share of runs in which some check fell below `threshold`.
 */
export function simulateSampleRatio(
  o: { treatmentShare: number; stepUnits: number; maxUnits: number; threshold: number; seed: number; runs: number },
  pValueOf: (treatment: number, control: number, share: number) => number,
): number {
  const random = mulberry32(o.seed);
  let alarms = 0;
  for (let run = 0; run < o.runs; run++) {
    let treatment = 0;
    for (let units = o.stepUnits; units <= o.maxUnits; units += o.stepUnits) {
      treatment += binomial(random, o.stepUnits, o.treatmentShare);
      if (pValueOf(treatment, units - treatment, o.treatmentShare) < o.threshold) {
        alarms++;
        break;
      }
    }
  }
  return alarms / o.runs;
}
