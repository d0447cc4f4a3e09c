import { bucketOf, thresholdOf } from '../../core/bucketing';
import {
  compileFlag,
  evaluate,
  segmentMap,
  type CompiledFlag,
  type Rule,
  type RuleTrace,
  type Segment,
} from '../../core/evaluate';
import { compileArms, MAX_UNIT_LENGTH, unitOf, type ArmAssignment } from '../../core/guard-arms';

/** mulberry32: a seeded generator, so a failing run replays with the same contexts. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const flag = { key: 'checkout.one-page', enabled: true };
const eu: Segment = { id: 'eu', constraints: [{ attribute: 'country', operator: 'in', values: ['DE', 'FR'] }] };
const pro: Segment = { id: 'pro', constraints: [{ attribute: 'plan', operator: 'eq', values: ['pro'] }] };
const segments = [eu, pro];
const planRule = (percent: number, extra: Partial<Extract<Rule, { kind: 'percent' }>> = {}): Rule => ({
  kind: 'percent',
  percent,
  planId: 'plan-1',
  ...extra,
});

/** What the arm must be, read from the evaluation's own trace (what `explain` shows) and the bucket itself. */
function expectedArm(
  compiled: CompiledFlag,
  rules: Rule[],
  planIndex: number,
  context: Record<string, unknown>,
): ArmAssignment | null {
  const trace: RuleTrace[] = [];
  const r = compiled.evaluate(context, trace);
  const rule = rules[planIndex] as Extract<Rule, { kind: 'percent' }>;
  const stickiness = rule.stickiness ?? 'targetingKey';
  const unit =
    context[stickiness] === undefined || context[stickiness] === '' ? undefined : String(context[stickiness]);
  if (unit === undefined || r.errorCode) return null;
  const bucket = bucketOf(rule.groupId ?? flag.key, unit);
  if (r.value && r.ruleIndex === planIndex) {
    expect(bucket).toBeLessThan(thresholdOf(rule.percent));
    return { arm: 'treatment', unit };
  }
  const step = trace.find((t) => t.index === planIndex);
  if (!r.value && step?.outcome === 'no_match' && step.bucket !== undefined) {
    expect(bucket).toBeGreaterThanOrEqual(thresholdOf(rule.percent));
    return { arm: 'control', unit };
  }
  return null;
}

function randomContext(random: () => number, i: number): Record<string, unknown> {
  const pick = <T>(xs: T[]) => xs[Math.floor(random() * xs.length)];
  const context: Record<string, unknown> = {};
  if (random() > 0.03) context.targetingKey = `u-${Math.floor(random() * 1e9)}-${i}`;
  if (random() > 0.1) context.tenantId = pick(['acme', 'globex', 'initech', 'umbrella']);
  context.country = pick(['DE', 'FR', 'US', 'NL']);
  context.plan = pick(['pro', 'free']);
  return context;
}

describe('arm assignment of a guarded plan', () => {
  const cases: Array<[string, Rule[], number]> = [
    ['the plan rule alone', [planRule(5)], 0],
    ['a tenant rule ahead of the plan rule', [{ kind: 'tenant', tenantIds: ['acme'] }, planRule(25)], 1],
    ['a segment rule ahead', [{ kind: 'segment', segmentId: 'pro' }, planRule(12.5)], 1],
    ['the plan rule limited to a segment', [planRule(50, { segmentId: 'eu' })], 0],
    [
      'an ordinary percent rule ahead (released by an earlier plan)',
      [{ kind: 'percent', percent: 10 }, planRule(30)],
      1,
    ],
    [
      'an ordinary percent rule ahead and the plan rule limited to a segment',
      [{ kind: 'percent', percent: 10 }, planRule(30, { segmentId: 'eu' })],
      1,
    ],
    ['a per-merchant plan (stickiness tenantId)', [planRule(50, { stickiness: 'tenantId' })], 0],
    [
      'a percent rule on another attribute ahead',
      [{ kind: 'percent', percent: 20, stickiness: 'tenantId' }, planRule(40)],
      1,
    ],
    ['a group id of its own', [planRule(5, { groupId: 'checkout-2026' })], 0],
  ];

  it.each(cases)(
    'when %s, then every context gets the arm its evaluation implies, for the compiled and the result-index forms',
    (_name, rules, planIndex) => {
      const map = segmentMap(segments);
      const compiled = compileFlag(flag, rules, map);
      const arms = compileArms(flag, rules, map, planIndex, compiled);
      const random = seeded(13);
      const seen = { treatment: 0, control: 0, none: 0 };
      for (let i = 0; i < 5_000; i++) {
        const context = randomContext(random, i);
        const expected = expectedArm(compiled, rules, planIndex, context);
        expect(arms(context)).toEqual(expected);
        expect(arms.ofResult(context, compiled.resultIndex(context))).toEqual(expected);
        seen[expected?.arm ?? 'none']++;
      }
      expect(seen.treatment).toBeGreaterThan(0);
      expect(seen.control).toBeGreaterThan(0);
    },
  );

  it('when 100,000 seeded units meet a 5% plan rule, then the treatment share of the units with an arm is within 0.3 points of 5%', () => {
    const rules = [planRule(5)];
    const arms = compileArms(flag, rules, segmentMap([]), 0);
    const random = seeded(2026);
    let treatment = 0;
    let control = 0;
    for (let i = 0; i < 100_000; i++) {
      const a = arms({ targetingKey: `user-${Math.floor(random() * 1e12)}` });
      if (a?.arm === 'treatment') treatment++;
      else if (a?.arm === 'control') control++;
    }
    expect(treatment + control).toBe(100_000);
    expect(Math.abs((100 * treatment) / (treatment + control) - 5)).toBeLessThan(0.3);
  });

  it('when the plan rule is limited to a segment, then units outside the segment are in no arm, and the share holds among those inside', () => {
    const rules = [planRule(20, { segmentId: 'eu' })];
    const arms = compileArms(flag, rules, segmentMap(segments), 0);
    const random = seeded(7);
    const inside = { treatment: 0, control: 0 };
    for (let i = 0; i < 30_000; i++) {
      const country = random() < 0.5 ? 'DE' : 'US';
      const a = arms({ targetingKey: `k${i}-${random()}`, country });
      if (country === 'US') expect(a).toBeNull();
      else inside[a!.arm]++;
    }
    expect(Math.abs((100 * inside.treatment) / (inside.treatment + inside.control) - 20)).toBeLessThan(1);
  });

  it('when the kill switch is on, another rule serves the flag, or the stickiness attribute is missing, then no arm', () => {
    const rules: Rule[] = [{ kind: 'tenant', tenantIds: ['acme'] }, planRule(50)];
    const map = segmentMap([]);
    expect(
      compileArms({ ...flag, enabled: false }, rules, map, 1)({ targetingKey: 'u-1', tenantId: 'globex' }),
    ).toBeNull();
    const arms = compileArms(flag, rules, map, 1);
    expect(arms({ targetingKey: 'u-1', tenantId: 'acme' })).toBeNull();
    expect(arms({ tenantId: 'globex' })).toBeNull();
    expect(arms({ targetingKey: '', tenantId: 'globex' })).toBeNull();
    expect(evaluate(flag, rules, [], { tenantId: 'globex' }).errorCode).toBe('TARGETING_KEY_MISSING');
  });

  it('when the unit is a number or a boolean, then it is the text bucketing hashes; a unit past the length limit is in no arm', () => {
    const arms = compileArms(flag, [planRule(50, { stickiness: 'accountId' })], segmentMap([]), 0);
    expect(arms({ accountId: 42 })).toEqual({ arm: expect.any(String), unit: '42' });
    expect(unitOf({ accountId: true }, 'accountId')).toBe('true');
    expect(unitOf({ accountId: 'x'.repeat(MAX_UNIT_LENGTH) }, 'accountId')).toHaveLength(MAX_UNIT_LENGTH);
    expect(arms({ accountId: 'x'.repeat(MAX_UNIT_LENGTH + 1) })).toBeNull();
  });

  it('when the named rule is not a percent rule, then compiling refuses', () => {
    expect(() => compileArms(flag, [{ kind: 'tenant', tenantIds: ['acme'] }], segmentMap([]), 0)).toThrow(
      'not a percent rule',
    );
    expect(() => compileArms(flag, [planRule(5)], segmentMap([]), 3)).toThrow('not a percent rule');
  });
});
