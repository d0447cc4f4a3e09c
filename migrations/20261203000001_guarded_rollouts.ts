import type { Knex } from 'knex';

/**
 * Guarded rollouts. A plan carries its guards; the api records which units (the plan's
 * stickiness values) were exposed in which stage and arm, and what events they sent; the worker
 * stores every guard check with its evidence. Exposures and events are keyed by unit, so
 * distinct units are counted exactly however often a unit evaluates or repeats an event.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('rollout_plans', (t) => {
    t.jsonb('guards').notNullable().defaultTo('[]');
    t.integer('guard_check_seconds').notNullable().defaultTo(15);
    t.string('on_insufficient_data', 10).notNullable().defaultTo('pause');
    t.integer('max_hold_seconds');
    t.string('pause_reason', 40).alter();
  });
  await knex.schema.alterTable('rollout_transitions', (t) => {
    t.jsonb('evidence');
  });

  await knex.schema.createTable('plan_exposures', (t) => {
    t.uuid('plan_id').notNullable().references('rollout_plans.id').onDelete('CASCADE');
    t.integer('stage').notNullable();
    t.text('unit').notNullable();
    t.uuid('tenant_id').notNullable().references('tenants.id').onDelete('CASCADE');
    t.string('arm', 10).notNullable();
    t.timestamp('first_seen_at', { useTz: true }).notNullable();
    t.primary(['plan_id', 'stage', 'unit']);
  });
  await knex.raw(
    `alter table plan_exposures add constraint plan_exposures_arm check (arm in ('treatment', 'control'))`,
  );

  await knex.schema.createTable('plan_unit_events', (t) => {
    t.uuid('plan_id').notNullable().references('rollout_plans.id').onDelete('CASCADE');
    t.integer('stage').notNullable();
    t.string('event', 200).notNullable();
    t.text('unit').notNullable();
    t.uuid('tenant_id').notNullable().references('tenants.id').onDelete('CASCADE');
    t.integer('events').notNullable();
    t.integer('value_count').notNullable();
    t.double('value_sum').notNullable();
    t.primary(['plan_id', 'stage', 'event', 'unit']);
  });

  await knex.schema.createTable('plan_guard_checks', (t) => {
    t.uuid('id').primary();
    t.uuid('tenant_id').notNullable().references('tenants.id').onDelete('CASCADE');
    t.uuid('plan_id').notNullable().references('rollout_plans.id').onDelete('CASCADE');
    t.integer('stage').notNullable();
    /** The check's number in its stage: the n of job id guard-<plan>-<stage>-<n>. */
    t.integer('seq').notNullable();
    /** The guard's index in the plan's guards; -1 for the sample-ratio check. */
    t.integer('guard').notNullable();
    t.string('verdict', 20).notNullable();
    t.jsonb('evidence').notNullable();
    t.timestamp('checked_at', { useTz: true }).notNullable();
    t.unique(['plan_id', 'stage', 'seq', 'guard']);
  });
  await knex.raw(`alter table plan_guard_checks add constraint plan_guard_checks_verdict
    check (verdict in ('insufficient_data', 'healthy', 'regression', 'inconclusive'))`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('plan_guard_checks');
  await knex.schema.dropTable('plan_unit_events');
  await knex.schema.dropTable('plan_exposures');
  await knex.schema.alterTable('rollout_transitions', (t) => {
    t.dropColumn('evidence');
  });
  await knex.schema.alterTable('rollout_plans', (t) => {
    t.dropColumn('guards');
    t.dropColumn('guard_check_seconds');
    t.dropColumn('on_insufficient_data');
    t.dropColumn('max_hold_seconds');
  });
}
