import type { Container } from '../../modules/platform/container';

/** Tables whose rows belong to no tenant, compared by row count (login failures, people, sessions). */
const GLOBAL_TABLES = ['users', 'memberships', 'sessions', 'login_failures', 'tenants'];
/** Columns a read may touch (a token's last use), left out so that only writes change the fingerprint. */
const VOLATILE = ['last_used_at', 'lastUsedAt'];

let tenantTables: Promise<string[]> | undefined;

/**
 * Everything a request could have written, as one comparable value: each tenant table's rows
 * of `tenantIds` hashed, and the row counts of the global tables. Equal before and after a
 * request means the request wrote nothing.
 */
export async function writtenState(c: Container, tenantIds: string[]): Promise<Record<string, string>> {
  tenantTables ??= c.db
    .raw<{ rows: { table_name: string }[] }>(
      "select table_name from information_schema.columns where table_schema = 'public' and column_name = 'tenant_id' order by table_name",
    )
    .then((r) => r.rows.map((row) => row.table_name));
  const tables = await tenantTables;
  const hashes = tables.map(
    () => `select ?::text as name, md5(coalesce(string_agg((to_jsonb(t) - ?::text[])::text, ',' order by t::text), '')) as h
             from ?? t where tenant_id = any(?::uuid[]) or tenant_id is null`,
  );
  const counts = GLOBAL_TABLES.map(() => 'select ?::text as name, count(*)::text as h from ??');
  const { rows } = await c.db.raw<{ rows: { name: string; h: string }[] }>([...hashes, ...counts].join(' union all '), [
    ...tables.flatMap((table) => [table, VOLATILE, table, tenantIds]),
    ...GLOBAL_TABLES.flatMap((table) => [table, table]),
  ]);
  const state: Record<string, string> = {};
  for (const row of rows) state[row.name] = row.h;
  return state;
}
