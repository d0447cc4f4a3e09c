import {
  compileConstraint,
  constraintValuesProblem,
  OPERATORS,
  type Constraint,
  type Operator,
} from '../../core/constraints';
import { compileFlag, evaluate, explain, segmentMap, type Rule, type Segment } from '../../core/evaluate';
import { compareSemver, parseSemver } from '../../core/semver';

const flag = { key: 'new-checkout', enabled: true };
const holds = (operator: Operator, values: string[], attribute: unknown) =>
  compileConstraint({ attribute: 'a', operator, values })(attribute === undefined ? {} : { a: attribute });

describe('constraint operators', () => {
  it.each<[Operator, string[], unknown, boolean]>([
    ['in', ['DE', 'FR'], 'FR', true],
    ['in', ['DE', 'FR'], 'US', false],
    ['in', ['DE'], undefined, false],
    ['in', ['42'], 42, true],
    ['not_in', ['DE', 'FR'], 'US', true],
    ['not_in', ['DE', 'FR'], 'DE', false],
    ['not_in', ['DE'], undefined, true],
    ['eq', ['enterprise'], 'enterprise', true],
    ['eq', ['enterprise'], 'Enterprise', false],
    ['eq', ['true'], true, true],
    ['neq', ['free'], 'pro', true],
    ['neq', ['free'], 'free', false],
    ['neq', ['free'], undefined, true],
    ['starts_with', ['ops@', 'qa@'], 'qa@acme.test', true],
    ['starts_with', ['ops@'], 'dev@acme.test', false],
    ['ends_with', ['@acme.test'], 'erin@acme.test', true],
    ['ends_with', ['@acme.test'], undefined, false],
    ['contains', ['beta'], 'public-beta-2', true],
    ['contains', ['beta'], 'stable', false],
    ['num_gt', ['10'], 11, true],
    ['num_gt', ['10'], 10, false],
    ['num_gte', ['10'], '10', true],
    ['num_lt', ['-1.5'], -2, true],
    ['num_lt', ['10'], 'ten', false],
    ['num_lte', ['10'], 10, true],
    ['num_lte', ['10'], '', false],
    ['semver_eq', ['2.1.0'], '2.1.0', true],
    ['semver_eq', ['2.1.0'], '2.1.0+build.5', true],
    ['semver_gt', ['2.1.0'], '2.10.0', true],
    ['semver_gt', ['2.1.0'], '2.1.0-rc.1', false],
    ['semver_lt', ['2.1.0'], '2.1.0-rc.1', true],
    ['semver_lt', ['2.1.0'], 'not-a-version', false],
    ['date_after', ['2026-12-01T00:00:00Z'], '2026-12-01T00:00:01Z', true],
    ['date_after', ['2026-12-01T00:00:00Z'], '2026-11-30T23:59:59Z', false],
    ['date_before', ['2026-12-01T00:00:00Z'], new Date('2026-11-01T00:00:00Z'), true],
    ['date_before', ['2026-12-01T00:00:00Z'], 'yesterday', false],
  ])('when %s %j meets %j, then it holds: %s', (operator, values, attribute, expected) => {
    expect(holds(operator, values, attribute)).toBe(expected);
  });

  it('when the attribute is an object, an array or null, then it counts as missing', () => {
    for (const v of [{ x: 1 }, ['DE'], null]) expect(holds('in', ['DE'], v)).toBe(false);
    expect(holds('not_in', ['DE'], null)).toBe(true);
  });

  it('when an attribute is only inherited (e.g. constructor), then it counts as missing', () => {
    expect(compileConstraint({ attribute: 'constructor', operator: 'contains', values: ['Object'] })({})).toBe(false);
  });

  it('when values are checked against each operator, then wrong counts and formats are named', () => {
    expect(constraintValuesProblem('in', [])).toMatch(/at least one/);
    expect(constraintValuesProblem('eq', ['a', 'b'])).toMatch(/exactly one/);
    expect(constraintValuesProblem('num_gt', ['1e3'])).toMatch(/number/);
    expect(constraintValuesProblem('semver_lt', ['2.1'])).toMatch(/semantic version/);
    expect(constraintValuesProblem('date_after', ['2026-12-01'])).toMatch(/ISO-8601/);
    expect(constraintValuesProblem('date_after', ['2026-13-45T00:00:00Z'])).toMatch(/ISO-8601/);
    const ok: Record<Operator, string[]> = {
      in: ['a', 'b'],
      not_in: ['a'],
      eq: ['a'],
      neq: ['a'],
      starts_with: ['a'],
      ends_with: ['a'],
      contains: ['a'],
      num_gt: ['1'],
      num_gte: ['-2.5'],
      num_lt: ['0'],
      num_lte: ['3'],
      semver_eq: ['1.0.0'],
      semver_gt: ['1.0.0-rc.1'],
      semver_lt: ['v2.0.0'],
      date_after: ['2026-12-01T00:00:00Z'],
      date_before: ['2026-12-01T00:00:00.000+01:00'],
    };
    for (const op of OPERATORS) expect(constraintValuesProblem(op, ok[op])).toBeUndefined();
  });
});

describe('semver precedence', () => {
  it('when versions are sorted, then they follow semver.org precedence', () => {
    const ordered = [
      '1.0.0-alpha',
      '1.0.0-alpha.1',
      '1.0.0-alpha.beta',
      '1.0.0-beta',
      '1.0.0-beta.2',
      '1.0.0-beta.11',
      '1.0.0-rc.1',
      '1.0.0',
      '1.2.0',
      '1.10.0',
      '2.0.0',
    ];
    const parsed = ordered.map((v) => parseSemver(v)!);
    for (let i = 1; i < parsed.length; i++) expect(compareSemver(parsed[i - 1], parsed[i])).toBe(-1);
    expect(parseSemver('01.0.0')).toBeUndefined();
  });
});

const segment = (id: string, constraints: Constraint[]): Segment => ({ id, constraints });
const enterpriseEu = segment('seg-1', [
  { attribute: 'country', operator: 'in', values: ['DE', 'FR'] },
  { attribute: 'plan', operator: 'eq', values: ['enterprise'] },
]);

describe('evaluate', () => {
  it('when a flag is disabled, then it is off with reason DISABLED whatever its rules', () => {
    expect(
      evaluate({ ...flag, enabled: false }, [{ kind: 'tenant', tenantIds: ['acme'] }], [], { tenantId: 'acme' }),
    ).toEqual({
      value: false,
      reason: 'DISABLED',
      variant: 'off',
      ruleIndex: null,
    });
  });

  it('when an enabled flag has no rules, then it is on for everyone with reason STATIC', () => {
    expect(evaluate(flag, [], [], {})).toEqual({ value: true, reason: 'STATIC', variant: 'on', ruleIndex: null });
  });

  it('when the subject tenant is listed, then TARGETING_MATCH names the rule; else DEFAULT', () => {
    const rules: Rule[] = [
      { kind: 'tenant', tenantIds: ['globex'] },
      { kind: 'tenant', tenantIds: ['acme', 'initech'] },
    ];
    expect(evaluate(flag, rules, [], { tenantId: 'acme' })).toEqual({
      value: true,
      reason: 'TARGETING_MATCH',
      variant: 'on',
      ruleIndex: 1,
    });
    expect(evaluate(flag, rules, [], { tenantId: 'umbrella' })).toEqual({
      value: false,
      reason: 'DEFAULT',
      variant: 'off',
      ruleIndex: null,
    });
    expect(evaluate(flag, rules, [], {})).toMatchObject({ value: false, reason: 'DEFAULT' });
  });

  it('when a segment rule meets a context, then all constraints must hold', () => {
    const rules: Rule[] = [{ kind: 'segment', segmentId: 'seg-1' }];
    expect(evaluate(flag, rules, [enterpriseEu], { country: 'DE', plan: 'enterprise' })).toMatchObject({
      value: true,
      reason: 'TARGETING_MATCH',
      ruleIndex: 0,
    });
    expect(evaluate(flag, rules, [enterpriseEu], { country: 'DE', plan: 'free' })).toMatchObject({
      value: false,
      reason: 'DEFAULT',
    });
    expect(evaluate(flag, rules, [], { country: 'DE', plan: 'enterprise' })).toMatchObject({
      value: false,
      reason: 'DEFAULT',
    });
  });

  it('when a percent rule decides, then the reason is SPLIT both in and out', () => {
    const rules: Rule[] = [{ kind: 'percent', percent: 50, groupId: 'rollout-flag' }];
    // buckets: userId 3 → 314 (in at 50%), userId 499 → 8156 (out)
    expect(evaluate(flag, rules, [], { targetingKey: '3' })).toEqual({
      value: true,
      reason: 'SPLIT',
      variant: 'on',
      ruleIndex: 0,
    });
    expect(evaluate(flag, rules, [], { targetingKey: '499' })).toEqual({
      value: false,
      reason: 'SPLIT',
      variant: 'off',
      ruleIndex: null,
    });
  });

  it('when percent is 0 or 100, then nobody or everybody is in', () => {
    expect(evaluate(flag, [{ kind: 'percent', percent: 0 }], [], { targetingKey: '3' }).value).toBe(false);
    expect(evaluate(flag, [{ kind: 'percent', percent: 100 }], [], { targetingKey: '499' }).value).toBe(true);
  });

  it('when groupId is not given, then the flag key is the group', () => {
    const withKey = evaluate({ key: 'rollout-flag', enabled: true }, [{ kind: 'percent', percent: 5 }], [], {
      targetingKey: '3',
    });
    expect(withKey.value).toBe(true);
  });

  it('when stickiness is tenantId, then whole subject tenants are in or out', () => {
    const rules: Rule[] = [{ kind: 'percent', percent: 30, stickiness: 'tenantId' }];
    const a = evaluate(flag, rules, [], { tenantId: 'acme', targetingKey: 'u1' });
    for (const targetingKey of ['u2', 'u3', 'u4'])
      expect(evaluate(flag, rules, [], { tenantId: 'acme', targetingKey })).toEqual(a);
  });

  it('when the targetingKey is missing for a percent rule, then TARGETING_KEY_MISSING; another attribute gives INVALID_CONTEXT', () => {
    expect(evaluate(flag, [{ kind: 'percent', percent: 50 }], [], {})).toMatchObject({
      value: false,
      reason: 'ERROR',
      errorCode: 'TARGETING_KEY_MISSING',
      ruleIndex: 0,
    });
    expect(evaluate(flag, [{ kind: 'percent', percent: 50 }], [], { targetingKey: '' })).toMatchObject({
      errorCode: 'TARGETING_KEY_MISSING',
    });
    expect(
      evaluate(flag, [{ kind: 'percent', percent: 50, stickiness: 'tenantId' }], [], { targetingKey: 'x' }),
    ).toMatchObject({
      errorCode: 'INVALID_CONTEXT',
      errorDetails: expect.stringContaining('"tenantId"'),
    });
  });

  it('when another rule matches despite a percent rule missing its attribute, then the flag is on', () => {
    const rules: Rule[] = [
      { kind: 'percent', percent: 50 },
      { kind: 'tenant', tenantIds: ['acme'] },
    ];
    expect(evaluate(flag, rules, [], { tenantId: 'acme' })).toMatchObject({
      value: true,
      reason: 'TARGETING_MATCH',
      ruleIndex: 1,
    });
  });

  it('when a percent rule has a segment, then only contexts in the segment are bucketed', () => {
    const rules: Rule[] = [{ kind: 'percent', percent: 100, segmentId: 'seg-1' }];
    expect(
      evaluate(flag, rules, [enterpriseEu], { country: 'FR', plan: 'enterprise', targetingKey: 'u' }),
    ).toMatchObject({ value: true, reason: 'SPLIT' });
    expect(
      evaluate(flag, rules, [enterpriseEu], { country: 'US', plan: 'enterprise', targetingKey: 'u' }),
    ).toMatchObject({ value: false, reason: 'DEFAULT' });
    expect(evaluate(flag, rules, [enterpriseEu], { country: 'US' })).toMatchObject({ value: false, reason: 'DEFAULT' });
  });

  it('when compiled, then every answer is one of the precomputed results', () => {
    const rules: Rule[] = [
      { kind: 'tenant', tenantIds: ['acme'] },
      { kind: 'percent', percent: 40 },
    ];
    const compiled = compileFlag(flag, rules, segmentMap([]));
    for (const ctx of [{ tenantId: 'acme' }, { targetingKey: 'a' }, { targetingKey: 'b' }, {}]) {
      expect(compiled.results).toContain(compiled.evaluate(ctx));
    }
  });

  it('when explained, then each evaluated rule shows its outcome and percent rules their bucket', () => {
    const rules: Rule[] = [
      { kind: 'segment', segmentId: 'seg-1' },
      { kind: 'percent', percent: 25, groupId: 'rollout-flag' },
      { kind: 'tenant', tenantIds: ['acme'] },
    ];
    const why = explain(flag, rules, [enterpriseEu], { targetingKey: '3', country: 'US' });
    expect(why).toMatchObject({ value: true, reason: 'SPLIT', ruleIndex: 1 });
    expect(why.trace).toEqual([
      { index: 0, kind: 'segment', outcome: 'no_match', segmentMatched: false },
      { index: 1, kind: 'percent', outcome: 'match', stickiness: 'targetingKey', bucket: 314, threshold: 2500 },
    ]);
  });
});
