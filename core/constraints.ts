import { compareSemver, parseSemver } from './semver';

/** What an evaluation is about: `targetingKey` plus attributes (`tenantId`, `userId`, custom). */
export type EvaluationContext = Readonly<Record<string, unknown>>;

export const OPERATORS = [
  'in',
  'not_in',
  'eq',
  'neq',
  'starts_with',
  'ends_with',
  'contains',
  'num_gt',
  'num_gte',
  'num_lt',
  'num_lte',
  'semver_eq',
  'semver_gt',
  'semver_lt',
  'date_after',
  'date_before',
] as const;
export type Operator = (typeof OPERATORS)[number];

/** One condition of a segment; a segment matches when all of its constraints hold. */
export interface Constraint {
  attribute: string;
  operator: Operator;
  values: string[];
}

type Attribute = string | number | boolean | undefined;

/**
 * The context's attribute as a primitive (a Date as its ISO string); anything else counts as
 * missing. Inherited members (`constructor`, `__proto__`) are functions or objects, so they
 * count as missing too.
 */
export function attributeOf(context: EvaluationContext, name: string): Attribute {
  const v = context[name];
  if (typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v))) return v;
  if (v instanceof Date && !Number.isNaN(v.getTime())) return v.toISOString();
  return undefined;
}

const textOf = (v: Attribute): string | undefined => (v === undefined ? undefined : String(v));

function numberOf(v: Attribute): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v !== 'string' || v.trim() === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}

function timeOf(v: Attribute): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v !== 'string') return undefined;
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : t;
}

const NUMBER_RE = /^-?\d+(\.\d+)?$/;
const DATE_TIME_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const LIST_OPERATORS: readonly Operator[] = ['in', 'not_in', 'starts_with', 'ends_with', 'contains'];

/** Why `values` do not fit `operator`, or undefined when they do. */
export function constraintValuesProblem(operator: Operator, values: readonly string[]): string | undefined {
  if (LIST_OPERATORS.includes(operator)) return values.length === 0 ? 'needs at least one value' : undefined;
  if (values.length !== 1) return `${operator} takes exactly one value`;
  const [v] = values;
  if (operator.startsWith('num_') && !NUMBER_RE.test(v)) return `${operator} needs a number, e.g. "42" or "-1.5"`;
  if (operator.startsWith('semver_') && !parseSemver(v)) return `${operator} needs a semantic version, e.g. "2.1.0"`;
  if (operator.startsWith('date_') && !(DATE_TIME_RE.test(v) && !Number.isNaN(Date.parse(v)))) {
    return `${operator} needs an ISO-8601 date-time with offset, e.g. "2026-12-01T00:00:00Z"`;
  }
  return undefined;
}

export type ConstraintCheck = (context: EvaluationContext) => boolean;

/**
 * Prepares a validated constraint for repeated checks. Negative operators (`not_in`, `neq`)
 * hold when the attribute is missing; every other operator needs the attribute.
 */
export function compileConstraint(c: Constraint): ConstraintCheck {
  const { attribute: name, values } = c;
  const get = (ctx: EvaluationContext) => attributeOf(ctx, name);
  const [first] = values;
  switch (c.operator) {
    case 'in': {
      const set = new Set(values);
      return (ctx) => {
        const t = textOf(get(ctx));
        return t !== undefined && set.has(t);
      };
    }
    case 'not_in': {
      const set = new Set(values);
      return (ctx) => {
        const t = textOf(get(ctx));
        return t === undefined || !set.has(t);
      };
    }
    case 'eq':
      return (ctx) => textOf(get(ctx)) === first;
    case 'neq':
      return (ctx) => textOf(get(ctx)) !== first;
    case 'starts_with':
      return (ctx) => values.some((v) => textOf(get(ctx))?.startsWith(v) === true);
    case 'ends_with':
      return (ctx) => values.some((v) => textOf(get(ctx))?.endsWith(v) === true);
    case 'contains':
      return (ctx) => values.some((v) => textOf(get(ctx))?.includes(v) === true);
    case 'num_gt':
    case 'num_gte':
    case 'num_lt':
    case 'num_lte': {
      const bound = Number(first);
      const holds = {
        num_gt: (n: number) => n > bound,
        num_gte: (n: number) => n >= bound,
        num_lt: (n: number) => n < bound,
        num_lte: (n: number) => n <= bound,
      }[c.operator];
      return (ctx) => {
        const n = numberOf(get(ctx));
        return n !== undefined && holds(n);
      };
    }
    case 'semver_eq':
    case 'semver_gt':
    case 'semver_lt': {
      const bound = parseSemver(first);
      const sign = { semver_eq: 0, semver_gt: 1, semver_lt: -1 }[c.operator];
      return (ctx) => {
        const v = get(ctx);
        const parsed = typeof v === 'string' ? parseSemver(v) : undefined;
        return parsed !== undefined && bound !== undefined && compareSemver(parsed, bound) === sign;
      };
    }
    case 'date_after':
    case 'date_before': {
      const bound = Date.parse(first);
      const after = c.operator === 'date_after';
      return (ctx) => {
        const t = timeOf(get(ctx));
        return t !== undefined && (after ? t > bound : t < bound);
      };
    }
  }
}
