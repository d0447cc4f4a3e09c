/**
 * The statistics of an event guard (see the glossary's "guarded rollout"): is the treatment arm
 * (units inside the plan's percent) worse than the control arm (units that matched the plan rule
 * but fell outside its percent)? Pure: counts in, an interval and a verdict out.
 *
 * The worker checks a guard every few seconds, so the same comparison is looked at hundreds of
 * times in a stage. A fixed-horizon interval (estimate ± 1.96·se) checked that often raises false
 * alarms far above its 5%; the interval here is a confidence sequence instead: with probability at
 * least 1 − alpha it covers the true difference at every check at once, however many there are.
 *
 * Scale. The difference is relative, (t − c) / c, and worked out on the log scale, θ = log(t / c),
 * with the delta-method variance v = Var(log t̂) + Var(log ĉ); bounds map back with exp(x) − 1.
 * On this scale the noise of the control's estimate counts as much as the treatment's, which a
 * difference t̂ − ĉ divided by ĉ leaves out.
 *
 * Boundary. The normal-mixture boundary of Robbins, as in the asymptotic confidence sequences of
 * Waudby-Smith et al. (2023, "Time-uniform central limit theory and asymptotic confidence
 * sequences") and the mixture SPRT of Johari et al. (2017, "Peeking at A/B tests"), written in
 * information time I = 1/v so that unequal arms (1:19 at a 5% stage) need no special case. A
 * value θ₀ stays in the sequence while the standardized statistic Z(θ₀) satisfies
 *
 *     |Z(θ₀)| ≤ b(v),   b(v)² = (v + ρ²)/ρ² · (2·log(1/alpha) + log(1 + ρ²/v))
 *
 * which is where the mixture likelihood ratio ∫ exp(λS − λ²I/2) dN(λ; 0, ρ²) of the score S stays
 * below 1/alpha; Ville's inequality bounds the chance that it ever exceeds 1/alpha by alpha.
 *   - event_mean (the units' own mean values; metrics with a positive mean such as latency):
 *     Z(θ₀) = (θ̂ − θ₀)/√v with θ̂ = log(mean t / mean c) and Var(log mean) = s²/(n · mean²), so the
 *     sequence is θ̂ ± √v · b(v), the Wald form.
 *   - event_share: the Wald form needs Var(log share) = 1/x − 1/n, which explodes when an arm has
 *     few events: with no control events (an error only the new code throws) no continuity
 *     correction makes it small, so the guard could never fire. Instead Z(θ₀) is the score
 *     statistic of Farrington & Manning (1990) for the ratio R₀ = exp(θ₀),
 *         Z = (t̂ − R₀·ĉ) / √(t̃(1 − t̃)/n_t + R₀²·c̃(1 − c̃)/n_c),
 *     with t̃ = R₀·c̃ the shares that fit the data best when the ratio is R₀ (its restricted
 *     maximum likelihood, from both arms' events), and v = (1 − t̃)/(n_t·t̃) + (1 − c̃)/(n_c·c̃) the
 *     delta-method variance of log(t̂/ĉ) at those shares. The interval is the set of θ₀ that pass,
 *     found by bisection (one interval: the unit test checks that on random counts).
 * The bound is asymptotic (variances are estimated, statistics only nearly normal), which is why
 * a guard waits for `minUnitsPerArm` and why the unit test simulates the false-alarm rate at
 * realistic sizes. At the tolerance's edge, 2–5% shares and 1:19 arms checked after every single
 * treatment unit, it stayed under 3% with 200 units per arm and under 4% with no minimum.
 *
 * Mixing parameter. ρ = MIXING_SD = 0.5, fixed in advance: the spread of the log-ratio effects the
 * guard is tuned for. b is smallest where ρ²·I ≈ 2·log(1/alpha) + log(1 + 2·log(1/alpha)) ≈ 7.9
 * (alpha = 0.05), i.e. at I ≈ 32 (about 3,100 units per arm for a 2% share), where √v·b ≈ 0.54: an
 * effect of exp(0.54)·1.1 ≈ 1.9× the control is caught by about then against a 10% tolerance, larger
 * ones sooner, smaller ones later. A smaller ρ favours small effects late, a larger one large effects
 * early; any ρ keeps the guarantee, as long as it is not taken from the data.
 *
 * One guard at `alpha` falsely halts a stage with probability at most alpha; several guards on a
 * plan add up (split alpha between them to bound the plan's total).
 */

// Bound once: a simulation calls these millions of times, and a global lookup per call is slow in jest's vm contexts.
const { abs, exp, expm1, log, log1p, max, min, sqrt, trunc } = Math;

export interface ShareArm {
  units: number;
  unitsWithEvent: number;
}

/** Over the units' own mean values: `sum` of them and `sumOfSquares` of them. */
export interface MeanArm {
  units: number;
  sum: number;
  sumOfSquares: number;
}

/**
 * Of the relative difference (treatment − control) / control. `lower` is −1 and `upper` is
 * Number.MAX_VALUE when the data bounds the difference on one side only (no events in an arm).
 */
export interface Interval {
  estimate: number;
  lower: number;
  upper: number;
}

export type GuardVerdict = 'insufficient_data' | 'healthy' | 'regression';

export interface GuardInput {
  /** A regression is a relative change worse than this, e.g. 0.10: 10% more errors than control. */
  maxRelativeIncrease: number;
  /** `lower_is_better` (the default) for errors and latency, `higher_is_better` for conversions. */
  direction?: 'lower_is_better' | 'higher_is_better';
  minUnitsPerArm: number;
}

/** The largest |Z| a value may have and stay in the interval, given the delta-method variance v of log(t̂/ĉ). */
export type Boundary = (variance: number) => number;

export const DEFAULT_ALPHA = 0.05;
/** ρ, the mixture's standard deviation on the log-ratio scale (see the file's comment). */
export const MIXING_SD = 0.5;

/** b(v) of the confidence sequence; infinite at v = 0 and v = ∞ (no information either way). */
export function sequenceBoundary(alpha = DEFAULT_ALPHA, rho = MIXING_SD): Boundary {
  checkAlpha(alpha);
  const rho2 = rho * rho;
  const level = 2 * log(1 / alpha);
  return (v) => sqrt(((v + rho2) / rho2) * (level + log1p(rho2 / v)));
}

/** The confidence sequence of (t − c) / c for event_share (see the file's comment). */
export function shareInterval(t: ShareArm, c: ShareArm, alpha = DEFAULT_ALPHA): Interval | null {
  return shareIntervalWithin(t, c, sequenceBoundary(alpha));
}

/** The confidence sequence of (t − c) / c for event_mean (see the file's comment). */
export function meanInterval(t: MeanArm, c: MeanArm, alpha = DEFAULT_ALPHA): Interval | null {
  return meanIntervalWithin(t, c, sequenceBoundary(alpha));
}

/**
 * event_share with any boundary (a constant 1.96 gives the fixed-horizon score interval). Null
 * when an arm has no units. With no events at all the interval is (−1, MAX_VALUE). The estimate is
 * t̂/ĉ − 1; without control events, where that is infinite, it adds half an event and half a
 * non-event to each arm.
 */
export function shareIntervalWithin(t: ShareArm, c: ShareArm, boundary: Boundary): Interval | null {
  checkShareArm(t);
  checkShareArm(c);
  if (t.units === 0 || c.units === 0) return null;
  if (t.unitsWithEvent + c.unitsWithEvent === 0) return { estimate: 0, lower: -1, upper: Number.MAX_VALUE };
  const share = (a: ShareArm) => a.unitsWithEvent / a.units;
  const corrected = (a: ShareArm) => (a.unitsWithEvent + 0.5) / (a.units + 1);
  const estimate = c.unitsWithEvent > 0 ? share(t) / share(c) - 1 : corrected(t) / corrected(c) - 1;
  // |log R| never exceeds log(n_t · n_c) for a ratio of shares: past `reach` every θ₀ is settled
  const reach = log(t.units) + log(c.units) + 20;
  const rejected = (theta: number) => scoreExcess(t, c, exp(theta), boundary) > 0;
  // the score is 0 (so θ₀ passes) at the observed ratio; without events in an arm, at that end
  const inside = t.unitsWithEvent === 0 ? -reach : c.unitsWithEvent === 0 ? reach : log(share(t) / share(c));
  return {
    estimate,
    lower: rejected(-reach) ? expm1(edge(-reach, inside, rejected)) : -1,
    upper: rejected(reach) ? min(expm1(edge(reach, inside, rejected)), Number.MAX_VALUE) : Number.MAX_VALUE,
  };
}

/** |Z(R₀)| − b(v(R₀)) of the file's comment: above 0 when the ratio R₀ is out of the interval. */
function scoreExcess(t: ShareArm, c: ShareArm, ratio: number, boundary: Boundary): number {
  const [nt, xt, nc, xc] = [t.units, t.unitsWithEvent, c.units, c.unitsWithEvent];
  // c̃ is the smaller root of A·p² + B·p + C, written as 2C / (−B + √(B² − 4AC)) to avoid cancellation
  const a = ratio * (nt + nc);
  const b = -(ratio * (nt + xc) + nc + xt);
  const cc = xt + xc;
  const pc = (2 * cc) / (-b + sqrt(max(0, b * b - 4 * a * cc)));
  const pt = min(1, ratio * pc);
  const difference = xt / nt - (ratio * xc) / nc;
  const variance = (pt * (1 - pt)) / nt + (ratio * ratio * pc * (1 - pc)) / nc;
  // every unit had the event in both arms: the data is exactly the ratio 1
  if (variance === 0) return difference === 0 ? -1 : 1;
  const logVariance = (1 - pt) / (nt * pt) + (1 - pc) / (nc * pc);
  return abs(difference) / sqrt(variance) - boundary(logVariance);
}

/** Bisects between a rejected θ and an accepted one down to 1e-10 on the log scale; returns the accepted end. */
function edge(rejectedTheta: number, acceptedTheta: number, rejected: (theta: number) => boolean): number {
  let out = rejectedTheta;
  let inside = acceptedTheta;
  while (abs(out - inside) > 1e-10) {
    const middle = (out + inside) / 2;
    if (rejected(middle)) out = middle;
    else inside = middle;
  }
  return inside;
}

/**
 * event_mean with any boundary. Null when an arm has fewer than 2 units (no variance) or a mean
 * that is not positive (no log ratio: the guard cannot say how much worse, so it reports
 * insufficient data rather than guess). Every unit with the same value gives a zero-width interval.
 */
export function meanIntervalWithin(t: MeanArm, c: MeanArm, boundary: Boundary): Interval | null {
  checkMeanArm(t);
  checkMeanArm(c);
  if (t.units < 2 || c.units < 2) return null;
  const mean = (a: MeanArm) => a.sum / a.units;
  if (mean(t) <= 0 || mean(c) <= 0) return null;
  // s² from the two sums loses digits when values are large and alike; it is never below 0
  const varianceOfLog = (a: MeanArm) =>
    max(0, (a.sumOfSquares - a.sum * mean(a)) / (a.units - 1)) / (a.units * mean(a) ** 2);
  const logRatio = log(mean(t)) - log(mean(c));
  const v = varianceOfLog(t) + varianceOfLog(c);
  const radius = v === 0 ? 0 : sqrt(v) * boundary(v);
  return {
    estimate: expm1(logRatio),
    lower: expm1(logRatio - radius),
    upper: min(expm1(logRatio + radius), Number.MAX_VALUE),
  };
}

/**
 * Regression when the whole interval is worse than the tolerance: above +maxRelativeIncrease when
 * lower is better, below −maxRelativeIncrease when higher is better. Insufficient data while an
 * arm has fewer than `minUnitsPerArm` units or no interval could be formed; healthy otherwise.
 */
export function verdictOf(
  interval: Interval | null,
  t: { units: number },
  c: { units: number },
  g: GuardInput,
): GuardVerdict {
  if (interval === null || t.units < g.minUnitsPerArm || c.units < g.minUnitsPerArm) return 'insufficient_data';
  const worse =
    (g.direction ?? 'lower_is_better') === 'lower_is_better'
      ? interval.lower > g.maxRelativeIncrease
      : interval.upper < -g.maxRelativeIncrease;
  return worse ? 'regression' : 'healthy';
}

/**
 * Sample ratio mismatch: the chi-square goodness-of-fit p-value (1 degree of freedom) of the
 * observed split against the expected one, `treatmentShare` = the stage's percent / 100 of the
 * units that matched the rule. A small p-value says the arms are not what the percent makes them
 * (exposures lost or counted twice in one arm), so their comparison cannot be trusted.
 * No units: 1. A share of 0 or 1 with units in the arm that should be empty: 0.
 */
export function sampleRatioPValue(treatmentUnits: number, controlUnits: number, treatmentShare: number): number {
  checkCount(treatmentUnits, 'treatmentUnits');
  checkCount(controlUnits, 'controlUnits');
  if (!(treatmentShare >= 0 && treatmentShare <= 1))
    throw new RangeError(`treatmentShare must be in [0, 1], got ${treatmentShare}`);
  const total = treatmentUnits + controlUnits;
  if (total === 0) return 1;
  if (treatmentShare === 0) return treatmentUnits === 0 ? 1 : 0;
  if (treatmentShare === 1) return controlUnits === 0 ? 1 : 0;
  const expectedT = total * treatmentShare;
  const expectedC = total - expectedT;
  const statistic = (treatmentUnits - expectedT) ** 2 / expectedT + (controlUnits - expectedC) ** 2 / expectedC;
  return chiSquare1Tail(statistic);
}

/** P(X > x) for X chi-square with 1 degree of freedom: X = Z², so P(|Z| > √x) = erfc(√(x/2)). */
export function chiSquare1Tail(x: number): number {
  return x <= 0 ? 1 : erfc(sqrt(x / 2));
}

/** P(Z > z) for a standard normal Z. */
export function normalTail(z: number): number {
  return erfc(z / Math.SQRT2) / 2;
}

/*
 * erfc by W. J. Cody's rational Chebyshev approximations ("Rational Chebyshev approximations for
 * the error function", Math. Comp. 23, 1969; the coefficients of Netlib's specfun CALERF, to the
 * nearest double): relative error near double precision, in three ranges of |x|.
 */
const ERF_A = [3.1611237438705655, 113.86415415105016, 377.485237685302, 3209.3775891384694, 0.18577770618460315];
const ERF_B = [23.601290952344122, 244.02463793444417, 1282.6165260773723, 2844.236833439171];
const ERFC_C = [
  0.5641884969886701, 8.883149794388377, 66.11919063714163, 298.6351381974001, 881.952221241769, 1712.0476126340707,
  2051.0783778260716, 1230.3393547979972, 2.1531153547440383e-8,
];
const ERFC_D = [
  15.744926110709835, 117.6939508913125, 537.1811018620099, 1621.3895745666903, 3290.7992357334597, 4362.619090143247,
  3439.3676741437216, 1230.3393548037495,
];
const ERFC_P = [
  0.30532663496123236, 0.36034489994980445, 0.12578172611122926, 0.016083785148742275, 0.0006587491615298378,
  0.016315387137302097,
];
const ERFC_Q = [2.568520192289822, 1.8729528499234604, 0.5279051029514285, 0.06051834131244132, 0.0023352049762686918];
const ONE_OVER_SQRT_PI = 1 / Math.sqrt(Math.PI);

/** The complementary error function, 1 − erf(x) = (2/√π) ∫ₓ^∞ exp(−t²) dt, without the cancellation of 1 − erf(x). */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  const y = abs(x);
  let result: number;
  if (y <= 0.46875) {
    // erf(x) = x · A(x²) / B(x²), small enough that 1 − erf loses nothing
    const z = y * y;
    let num = ERF_A[4] * z;
    let den = z;
    for (let i = 0; i < 3; i++) {
      num = (num + ERF_A[i]) * z;
      den = (den + ERF_B[i]) * z;
    }
    return 1 - (x * (num + ERF_A[3])) / (den + ERF_B[3]);
  } else if (y <= 4) {
    let num = ERFC_C[8] * y;
    let den = y;
    for (let i = 0; i < 7; i++) {
      num = (num + ERFC_C[i]) * y;
      den = (den + ERFC_D[i]) * y;
    }
    result = expMinusSquare(y) * ((num + ERFC_C[7]) / (den + ERFC_D[7]));
  } else if (y >= 26.543) {
    result = 0; // below the smallest double
  } else {
    const z = 1 / (y * y);
    let num = ERFC_P[5] * z;
    let den = z;
    for (let i = 0; i < 4; i++) {
      num = (num + ERFC_P[i]) * z;
      den = (den + ERFC_Q[i]) * z;
    }
    result = (expMinusSquare(y) * (ONE_OVER_SQRT_PI - (z * (num + ERFC_P[4])) / (den + ERFC_Q[4]))) / y;
  }
  return x < 0 ? 2 - result : result;
}

/** exp(−y²), with y² split as Cody does so that the rounding of y² is not magnified by exp. */
function expMinusSquare(y: number): number {
  const head = trunc(y * 16) / 16;
  return exp(-head * head) * exp(-(y - head) * (y + head));
}

function checkAlpha(alpha: number): void {
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must be in (0, 1), got ${alpha}`);
}

function checkCount(n: number, name: string): void {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`${name} must be a whole number >= 0, got ${n}`);
}

function checkShareArm(a: ShareArm): void {
  checkCount(a.units, 'units');
  checkCount(a.unitsWithEvent, 'unitsWithEvent');
  if (a.unitsWithEvent > a.units)
    throw new RangeError(`unitsWithEvent (${a.unitsWithEvent}) exceeds units (${a.units})`);
}

function checkMeanArm(a: MeanArm): void {
  checkCount(a.units, 'units');
  if (!Number.isFinite(a.sum) || !Number.isFinite(a.sumOfSquares) || a.sumOfSquares < 0) {
    throw new RangeError(
      `sum and sumOfSquares must be finite and sumOfSquares >= 0, got ${a.sum} and ${a.sumOfSquares}`,
    );
  }
}
