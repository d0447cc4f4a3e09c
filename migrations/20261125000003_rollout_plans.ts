import type { Knex } from 'knex';

const ACTIVE = `('scheduled', 'running', 'awaiting_approval', 'paused', 'failed')`;

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('rollout_plans', (t) => {
    t.uuid('id').primary();
    t.uuid('tenant_id').notNullable().references('tenants.id').onDelete('CASCADE');
    t.uuid('flag_id').notNullable().references('feature_flags.id').onDelete('CASCADE');
    t.string('status', 20).notNullable();
    t.jsonb('stages').notNullable();
    t.string('stickiness', 100).notNullable().defaultTo('targetingKey');
    t.integer('current_stage').notNullable().defaultTo(-1);
    t.timestamp('start_at', { useTz: true });
    t.timestamp('next_advance_at', { useTz: true });
    t.double('rollback_percent').notNullable().defaultTo(0);
    t.string('pause_reason', 20);
    t.jsonb('last_failure');
    t.integer('attempts').notNullable().defaultTo(0);
    t.jsonb('created_by').notNullable();
    t.jsonb('approved_by');
    t.integer('version').notNullable().defaultTo(1);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['tenant_id', 'created_at', 'id']);
    t.index(['tenant_id', 'flag_id']);
  });
  await knex.raw(`alter table rollout_plans add constraint rollout_plans_status check (status in
    ('draft', 'scheduled', 'running', 'awaiting_approval', 'paused', 'failed', 'completed', 'aborted'))`);
  await knex.raw(
    `create unique index rollout_plans_one_active_per_flag on rollout_plans (flag_id) where status in ${ACTIVE}`,
  );
  await knex.raw(
    `create index rollout_plans_due on rollout_plans (next_advance_at) where status in ('scheduled', 'running')`,
  );

  await knex.schema.createTable('rollout_transitions', (t) => {
    t.uuid('id').primary();
    t.uuid('tenant_id').notNullable().references('tenants.id').onDelete('CASCADE');
    t.uuid('plan_id').notNullable().references('rollout_plans.id').onDelete('CASCADE');
    t.integer('seq').notNullable();
    t.string('event', 20).notNullable();
    t.string('from_status', 20).notNullable();
    t.string('to_status', 20).notNullable();
    t.integer('from_stage').notNullable();
    t.integer('to_stage').notNullable();
    t.double('from_percent');
    t.double('to_percent');
    t.jsonb('actor').notNullable();
    t.string('job_id', 200);
    t.integer('attempt');
    t.text('reason');
    t.timestamp('at', { useTz: true }).notNullable();
    t.unique(['plan_id', 'seq']);
  });

  await knex.schema.createTable('notifications', (t) => {
    t.uuid('id').primary();
    t.uuid('tenant_id').notNullable().references('tenants.id').onDelete('CASCADE');
    t.string('event', 40).notNullable();
    t.string('title', 300).notNullable();
    t.jsonb('payload').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('read_at', { useTz: true });
    t.string('read_by', 254);
    t.index(['tenant_id', 'created_at', 'id']);
  });

  await knex.schema.createTable('webhooks', (t) => {
    t.uuid('id').primary();
    t.uuid('tenant_id').notNullable().references('tenants.id').onDelete('CASCADE');
    t.text('url').notNullable();
    t.text('secret').notNullable();
    t.specificType('events', 'text[]').notNullable();
    t.boolean('enabled').notNullable().defaultTo(true);
    t.integer('version').notNullable().defaultTo(1);
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
    t.index(['tenant_id', 'created_at', 'id']);
  });

  await knex.schema.createTable('webhook_deliveries', (t) => {
    t.uuid('id').primary();
    t.uuid('tenant_id').notNullable().references('tenants.id').onDelete('CASCADE');
    t.uuid('webhook_id').notNullable().references('webhooks.id').onDelete('CASCADE');
    t.string('event', 40).notNullable();
    t.jsonb('payload').notNullable();
    t.string('status', 20).notNullable().defaultTo('pending');
    t.integer('attempts').notNullable().defaultTo(0);
    t.integer('last_status_code');
    t.text('last_error');
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
    t.timestamp('delivered_at', { useTz: true });
    t.index(['tenant_id', 'webhook_id', 'created_at', 'id']);
  });
  await knex.raw(
    `alter table webhook_deliveries add constraint webhook_deliveries_status check (status in ('pending', 'delivered', 'failed'))`,
  );
  await knex.raw(`create index webhook_deliveries_pending on webhook_deliveries (created_at) where status = 'pending'`);
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['webhook_deliveries', 'webhooks', 'notifications', 'rollout_transitions', 'rollout_plans']) {
    await knex.schema.dropTableIfExists(table);
  }
}
