import fc from 'fast-check';
import { bucketer, bucketOf, isPercent, murmur3, thresholdOf } from '../../core/bucketing';
import { compileFlag, evaluate, type Rule } from '../../core/evaluate';

describe('murmur3', () => {
  it('when hashing the reference strings, then it gives MurmurHash3 x86 32-bit values', () => {
    expect(murmur3('')).toBe(0);
    expect(murmur3('', 1)).toBe(0x514e28b7);
    expect(murmur3('hello')).toBe(613153351);
    expect(murmur3('Hello, world!', 1234)).toBe(0xfaf6cdb3);
    expect(murmur3('The quick brown fox jumps over the lazy dog')).toBe(0x2e4ff723);
  });

  it('when a string is not ASCII, then its UTF-8 bytes are hashed', () => {
    const bytes = Buffer.from('zürich-€', 'utf8');
    expect(bytes.length).toBeGreaterThan('zürich-€'.length);
    expect(murmur3('zürich-€')).not.toBe(murmur3('zrich-'));
    expect(murmur3('zürich-€')).toBe(murmur3('zürich-€'));
  });
});

describe('bucketing', () => {
  it.each([
    ['1', 49],
    ['3', 4],
    ['174', 48],
    ['499', 82],
  ])(
    'when userId %s is hashed in group rollout-flag, then it lands where Unleash puts it (normalized %i)',
    (id, unleash) => {
      expect((murmur3(`rollout-flag:${id}`) % 100) + 1).toBe(unleash);
      expect(Math.floor(bucketOf('rollout-flag', id) / 100) + 1).toBe(unleash);
    },
  );

  it('when the percent is whole, then a context is in exactly when Unleash flexibleRollout says so', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 30 }), fc.integer({ min: 0, max: 100 }), (key, percent) => {
        const unleashIn = (murmur3(`g:${key}`) % 100) + 1 <= percent;
        expect(bucketOf('g', key) < thresholdOf(percent)).toBe(unleashIn);
      }),
    );
  });

  it('when percents are checked, then 0–100 in 0.01 steps pass and others fail', () => {
    expect([0, 0.01, 12.5, 33.33, 100].every(isPercent)).toBe(true);
    expect([-0.01, 100.01, 0.001, 12.345, Number.NaN, Number.POSITIVE_INFINITY].some(isPercent)).toBe(false);
  });
});

const percentRule = (percent: number): Rule => ({ kind: 'percent', percent });
const on = (percent: number, targetingKey: string, enabled = true) =>
  evaluate({ key: 'checkout', enabled }, [percentRule(percent)], [], { targetingKey }).value;

/** Random 16-hex-digit keys from a seeded xorshift32, so a failing run can be replayed. */
function randomKeys(seed: number): () => string {
  let x = seed | 0 || 1;
  const next = () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0).toString(16).padStart(8, '0');
  };
  return () => next() + next();
}

describe('percent rollout properties', () => {
  it('when the percent is raised, then no context that was on turns off', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1 }),
        fc.integer({ min: 0, max: 10000 }),
        fc.integer({ min: 0, max: 10000 }),
        (key, a, b) => {
          const [low, high] = a < b ? [a / 100, b / 100] : [b / 100, a / 100];
          if (on(low, key)) expect(on(high, key)).toBe(true);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('when 100,000 random keys are evaluated at p%, then the share that is on is within 0.5 points of p', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10000 }), fc.integer(), (hundredths, seed) => {
        const p = hundredths / 100;
        const flag = compileFlag({ key: 'checkout', enabled: true }, [percentRule(p)], new Map());
        const random = randomKeys(seed);
        let count = 0;
        for (let i = 0; i < 100_000; i++) if (flag.evaluate({ targetingKey: random() }).value) count++;
        expect(Math.abs(count / 1000 - p)).toBeLessThanOrEqual(0.5);
      }),
      { numRuns: 8 },
    );
  });

  it('when a flag is disabled, then it is off whatever its rules and the context', () => {
    const rules = fc.array(
      fc.oneof(
        fc.record({
          kind: fc.constant('percent' as const),
          percent: fc.integer({ min: 0, max: 10000 }).map((h) => h / 100),
        }),
        fc.record({ kind: fc.constant('tenant' as const), tenantIds: fc.array(fc.string(), { minLength: 1 }) }),
      ),
    );
    fc.assert(
      fc.property(
        rules,
        fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.integer(), fc.boolean())),
        (rs, context) => {
          const r = evaluate({ key: 'k', enabled: false }, rs, [], context);
          expect(r).toMatchObject({ value: false, reason: 'DISABLED', variant: 'off' });
        },
      ),
    );
  });
});

describe('bucketer', () => {
  it('when a group hashes many values, then it gives exactly bucketOf, for ASCII and other text, short and long groups', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 40 }), (groupId, value) => {
        expect(bucketer(groupId)(value)).toBe(bucketOf(groupId, value));
      }),
      { numRuns: 3000 },
    );
  });
});
