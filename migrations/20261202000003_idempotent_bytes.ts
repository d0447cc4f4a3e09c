import type { Knex } from 'knex';

/**
 * The exact bytes of an idempotent response: jsonb reorders keys, so a replay read from it
 * differed from the first answer (and so did its ETag). Rows written before keep their
 * `response_body`, which is served as before.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('idempotency_keys', (t) => {
    t.text('response_text');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('idempotency_keys', (t) => {
    t.dropColumn('response_text');
  });
}
