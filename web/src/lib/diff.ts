export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
}

/** Fields that change on every write and say nothing on their own. */
const NOISE = new Set(['id', 'updatedAt', 'createdAt', 'version']);

/** Field order for display: the meaningful ones first. */
const ORDER = ['key', 'enabled', 'description', 'tags', 'archivedAt'];

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

/** A short, readable rendering of a snapshot value. */
export function formatValue(value: unknown): string {
  if (value === undefined || value === null) return '—';
  if (typeof value === 'boolean') return value ? 'on' : 'off';
  if (Array.isArray(value)) return value.length ? value.map((v) => String(v)).join(', ') : 'none';
  if (typeof value === 'string') return value === '' ? '(empty)' : value;
  return JSON.stringify(value);
}

export function versionChange(before: unknown, after: unknown): { from?: number; to?: number } {
  const from = asRecord(before).version;
  const to = asRecord(after).version;
  return { from: typeof from === 'number' ? from : undefined, to: typeof to === 'number' ? to : undefined };
}
