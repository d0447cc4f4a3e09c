import type { ContextValue, FlagExplanation, RuleExplanation } from '@/api/types';
import { formatPercent } from './format';

/** One row of the context a person tries a flag with. */
export interface ContextAttribute {
  uid: number;
  name: string;
  value: string;
}

let uid = 0;

export function attributeOf(name = '', value = ''): ContextAttribute {
  return { uid: ++uid, name, value };
}

/** What the context says, as the API gets it: blank attributes are left out. */
export function contextOf(attributes: ContextAttribute[]): Record<string, ContextValue> {
  const out: Record<string, ContextValue> = {};
  for (const a of attributes) if (a.name.trim() && a.value !== '') out[a.name.trim()] = a.value;
  return out;
}

const REASONS: Record<string, string> = {
  DISABLED: 'The flag is off (kill switch), whatever its rules say.',
  STATIC: 'The flag is on and has no rules: on for everyone.',
  TARGETING_MATCH: 'A targeting rule matched.',
  SPLIT: 'A percentage rule decided.',
  SPLIT_ON: 'A percentage rule put this context in.',
  SPLIT_OFF: 'No rule matched; a percentage rule left this context out.',
  DEFAULT: 'No rule matched, so the flag is off for this context.',
  ERROR: 'The context could not be evaluated.',
};

/** Why the flag answered as it did, in a sentence; a split says which way it went. */
export function reasonText(result: Pick<FlagExplanation, 'reason' | 'value'>): string {
  const key = result.reason === 'SPLIT' ? (result.value ? 'SPLIT_ON' : 'SPLIT_OFF') : result.reason;
  return REASONS[key] ?? '';
}

export const OUTCOMES: Record<RuleExplanation['outcome'], { text: string; severity: string }> = {
  match: { text: 'matched', severity: 'success' },
  no_match: { text: 'no match', severity: 'secondary' },
  missing_attribute: { text: 'attribute missing', severity: 'warn' },
  not_evaluated: { text: 'not needed', severity: 'secondary' },
};

/** Where a percentage rule put the context: "userId lands in bucket 4512 of 10000; the first 1000 (10%) are out". */
export function bucketText(r: Pick<RuleExplanation, 'bucket' | 'threshold' | 'stickiness'>): string {
  if (r.bucket === undefined || r.threshold === undefined) return '';
  const inside = r.bucket < r.threshold;
  return `${r.stickiness ?? 'targetingKey'} lands in bucket ${r.bucket} of 10000; the first ${r.threshold} (${formatPercent(r.threshold / 100)}) are ${inside ? 'in' : 'out'}`;
}
