import type { Knex } from 'knex';

/** Failed sign-ins per (email, address), for the login throttle; kept in PostgreSQL so it works with or without Redis. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('login_failures', (t) => {
    t.string('key', 64).primary(); // sha256 of lower(email)|ip: neither is stored
    t.integer('failures').notNullable();
    t.timestamp('window_ends_at', { useTz: true }).notNullable().index();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('login_failures');
}
