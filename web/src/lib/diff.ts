import type { Constraint, Guard, GuardEvidence, Rule, Stage } from '@/api/types';
import { describeConstraint, describeRule, describeStages, type SegmentNames } from './describe';
import { formatPercent } from './format';
import { describeEvidence, describeGuard, GUARD_PAUSE_LABELS } from './guard-text';
import { absoluteTime } from './time';

export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
}

/** Fields that change on every write and say nothing on their own. */
const NOISE = new Set(['id', 'updatedAt', 'createdAt', 'version', 'tenantId', 'flagId', 'flagKey']);

/** Field order for display: the meaningful ones first. */
const ORDER = [
  'key',
  'name',
  'enabled',
  'status',
  'currentPercent',
  'currentStage',
  'description',
  'tags',
  'rules',
  'constraints',
  'stages',
  'archivedAt',
];

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function asRecord(v: unknown): Record<string, unknown> {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

/**
 * The fields that differ between two snapshots. When one side is missing (a creation or a
 * deletion) the non-empty fields of the other side are listed.
 */
export function changedFields(before: unknown, after: unknown): FieldChange[] {
  const b = asRecord(before);
  const a = asRecord(after);
  const fields = new Set([...Object.keys(b), ...Object.keys(a)]);
  const changes: FieldChange[] = [];
  for (const field of fields) {
    if (NOISE.has(field)) continue;
    const bv = before == null ? undefined : b[field];
    const av = after == null ? undefined : a[field];
    if (same(bv, av)) continue;
    // on creation, leave out fields that were created empty
    if (before == null && (av === '' || av === null || (Array.isArray(av) && av.length === 0))) continue;
    changes.push({ field, before: bv, after: av });
  }
  const rank = (f: string) => (ORDER.includes(f) ? ORDER.indexOf(f) : ORDER.length);
  return changes.sort((x, y) => rank(x.field) - rank(y.field) || x.field.localeCompare(y.field));
}

const ISO_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

/** A short, readable rendering of a snapshot value. */
export function formatValue(value: unknown, field?: string): string {
  if (value === undefined || value === null) return '—';
  if (typeof value === 'boolean') return value ? 'on' : 'off';
  if (typeof value === 'number' && field && /percent/i.test(field)) return formatPercent(value);
  if (field === 'stages' && Array.isArray(value)) return describeStages(value as Stage[]);
  if (field === 'guards' && Array.isArray(value))
    return value.length ? (value as Guard[]).map(describeGuard).join('; ') : 'none';
  if (field === 'evidence' && typeof value === 'object') return describeEvidence(value as GuardEvidence);
  if (field === 'pauseReason' && typeof value === 'string') return GUARD_PAUSE_LABELS[value] ?? value;
  if (field === 'currentStage' && typeof value === 'number') return value < 0 ? 'not started' : `stage ${value + 1}`;
  if (Array.isArray(value))
    return value.length ? value.map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v))).join(', ') : 'none';
  if (typeof value === 'string') return value === '' ? '(empty)' : ISO_RE.test(value) ? absoluteTime(value) : value;
  const rec = asRecord(value);
  if (typeof rec.label === 'string') return rec.label;
  if (typeof rec.code === 'string' && typeof rec.message === 'string') return `${rec.code}: ${rec.message}`;
  return JSON.stringify(value);
}

export function versionChange(before: unknown, after: unknown): { from?: number; to?: number } {
  const from = asRecord(before).version;
  const to = asRecord(after).version;
  return { from: typeof from === 'number' ? from : undefined, to: typeof to === 'number' ? to : undefined };
}

/** Fields whose value is a list of conditions, shown line by line as removed and added. */
export const LIST_FIELDS = new Set(['rules', 'constraints']);

export interface LineChange {
  removed: string[];
  added: string[];
  kept: number;
}

function linesOf(field: string, value: unknown, names?: SegmentNames): string[] {
  if (!Array.isArray(value)) return [];
  if (field === 'rules') return (value as Rule[]).map((r) => describeRule(r, names));
  return (value as Constraint[]).map(describeConstraint);
}

/** Which lines went and which came, each line compared as text (a repeated line counts twice). */
export function lineChanges(field: string, before: unknown, after: unknown, names?: SegmentNames): LineChange {
  const b = linesOf(field, before, names);
  const a = linesOf(field, after, names);
  const left = [...b];
  const added: string[] = [];
  for (const line of a) {
    const i = left.indexOf(line);
    if (i >= 0) left.splice(i, 1);
    else added.push(line);
  }
  return { removed: left, added, kept: a.length - added.length };
}
