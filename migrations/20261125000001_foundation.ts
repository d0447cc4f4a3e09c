import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('tenants', (t) => {
    t.uuid('id').primary();
    t.string('slug', 63).notNullable().unique();
    t.string('name', 200).notNullable();
    t.string('kind', 20).notNullable().defaultTo('merchant');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(`alter table tenants add constraint tenants_slug_format check (slug ~ '^[a-z0-9][a-z0-9-]{0,62}$')`);
  await knex.raw(`alter table tenants add constraint tenants_kind check (kind in ('merchant', 'platform'))`);

  await knex.schema.createTable('users', (t) => {
    t.uuid('id').primary();
    t.string('email', 254).notNullable();
    t.string('name', 200).notNullable();
    t.text('password_hash').notNullable();
    t.timestamp('disabled_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw('create unique index users_email_unique on users (lower(email))');

  await knex.schema.createTable('memberships', (t) => {
    t.uuid('user_id').notNullable().references('users.id').onDelete('CASCADE');
    t.uuid('tenant_id').notNullable().references('tenants.id').onDelete('CASCADE');
    t.string('role', 20).notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['user_id', 'tenant_id']);
  });
  await knex.raw(
    `alter table memberships add constraint memberships_role check (role in ('viewer', 'editor', 'operator', 'admin'))`,
  );

  await knex.schema.createTable('sessions', (t) => {
    t.uuid('id').primary();
    t.string('token_hash', 64).notNullable().unique();
    t.uuid('user_id').notNullable().references('users.id').onDelete('CASCADE');
    t.string('csrf_token', 64).notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.timestamp('revoked_at', { useTz: true });
    t.index(['user_id']);
  });

  await knex.schema.createTable('api_tokens', (t) => {
    t.uuid('id').primary();
    t.uuid('tenant_id').notNullable().references('tenants.id').onDelete('CASCADE');
    t.string('name', 100).notNullable();
    t.string('scope', 20).notNullable();
    t.string('role', 20);
    t.string('token_hash', 64).notNullable().unique();
    t.string('token_prefix', 16).notNullable();
    t.string('created_by', 200).notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('last_used_at', { useTz: true });
    t.timestamp('expires_at', { useTz: true });
    t.timestamp('revoked_at', { useTz: true });
    t.index(['tenant_id', 'created_at']);
  });
  await knex.raw(`alter table api_tokens add constraint api_tokens_scope check (
    (scope = 'admin' and role in ('viewer', 'editor', 'operator', 'admin')) or (scope = 'evaluation' and role is null))`);

  await knex.schema.createTable('feature_flags', (t) => {
    t.uuid('id').primary();
    t.uuid('tenant_id').notNullable().references('tenants.id').onDelete('CASCADE');
    t.string('key', 128).notNullable();
    t.boolean('enabled').notNullable().defaultTo(false);
    t.text('description').notNullable().defaultTo('');
    t.specificType('tags', 'text[]').notNullable().defaultTo('{}');
    t.integer('version').notNullable().defaultTo(1);
    t.timestamp('archived_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['tenant_id', 'key']);
    t.index(['tenant_id', 'updated_at']);
  });
  await knex.raw(
    `alter table feature_flags add constraint feature_flags_key_format check (key ~ '^[a-z0-9][a-z0-9._-]{0,127}$')`,
  );
  await knex.raw('create index feature_flags_tags on feature_flags using gin (tags)');

  await knex.schema.createTable('audit_log', (t) => {
    t.uuid('id').primary();
    t.uuid('tenant_id').references('tenants.id').onDelete('RESTRICT');
    t.string('actor_type', 10).notNullable();
    t.string('actor_id', 200).notNullable();
    t.string('actor_label', 254).notNullable();
    t.string('action', 80).notNullable();
    t.string('resource_type', 50).notNullable();
    t.string('resource_id', 200).notNullable();
    t.jsonb('before');
    t.jsonb('after');
    t.string('request_id', 100);
    t.string('job_id', 200);
    t.string('idempotency_key', 255);
    t.text('reason');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(
    `alter table audit_log add constraint audit_log_actor_type check (actor_type in ('user', 'token', 'system'))`,
  );
  await knex.raw(
    'create index audit_log_resource_latest on audit_log (tenant_id, resource_type, resource_id, created_at desc, id desc)',
  );
  await knex.raw('create index audit_log_tenant_latest on audit_log (tenant_id, created_at desc, id desc)');
  await knex.raw(`
    create function audit_log_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'audit_log is append-only (% refused)', tg_op using errcode = 'insufficient_privilege';
    end $$;
    create trigger audit_log_no_update before update or delete on audit_log
      for each row execute function audit_log_append_only();
    create trigger audit_log_no_truncate before truncate on audit_log
      for each statement execute function audit_log_append_only();
  `);

  await knex.schema.createTable('idempotency_keys', (t) => {
    t.uuid('id').primary();
    t.uuid('tenant_id').notNullable().references('tenants.id').onDelete('CASCADE');
    t.string('credential', 250).notNullable();
    t.string('key', 255).notNullable();
    t.string('fingerprint', 64).notNullable();
    t.string('state', 20).notNullable();
    t.integer('response_status');
    t.jsonb('response_headers');
    t.jsonb('response_body');
    t.timestamp('locked_at', { useTz: true }).notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['tenant_id', 'credential', 'key']);
    t.index(['created_at']);
  });

  await knex.schema.createTable('settings', (t) => {
    t.uuid('id').primary();
    t.uuid('tenant_id').references('tenants.id').onDelete('CASCADE');
    t.string('key', 80).notNullable();
    t.jsonb('value').notNullable();
    t.integer('version').notNullable().defaultTo(1);
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.string('updated_by', 254);
  });
  await knex.raw('create unique index settings_scope_key on settings (tenant_id, key) nulls not distinct');
}

export async function down(knex: Knex): Promise<void> {
  for (const table of [
    'settings',
    'idempotency_keys',
    'audit_log',
    'feature_flags',
    'api_tokens',
    'sessions',
    'memberships',
    'users',
    'tenants',
  ]) {
    await knex.schema.dropTableIfExists(table);
  }
  await knex.raw('drop function if exists audit_log_append_only()');
}
