import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('segments', (t) => {
    t.uuid('id').primary();
    t.uuid('tenant_id').notNullable().references('tenants.id').onDelete('CASCADE');
    t.string('name', 100).notNullable();
    t.text('description').notNullable().defaultTo('');
    t.jsonb('constraints').notNullable();
    t.integer('version').notNullable().defaultTo(1);
    t.timestamp('archived_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(
    'create unique index segments_active_name on segments (tenant_id, lower(name)) where archived_at is null',
  );
  await knex.raw('create index segments_tenant_name on segments (tenant_id, name, id)');

  await knex.schema.createTable('feature_flag_rules', (t) => {
    t.uuid('id').primary();
    t.uuid('tenant_id').notNullable().references('tenants.id').onDelete('CASCADE');
    t.uuid('feature_flag_id').notNullable().references('feature_flags.id').onDelete('CASCADE');
    t.integer('position').notNullable();
    t.string('kind', 20).notNullable();
    t.jsonb('value_json').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['feature_flag_id', 'position']);
    t.index(['tenant_id']);
  });
  await knex.raw(
    `alter table feature_flag_rules add constraint feature_flag_rules_kind check (kind in ('tenant', 'segment', 'percent'))`,
  );
  await knex.raw(
    `create index feature_flag_rules_segment on feature_flag_rules (tenant_id, (value_json->>'segmentId')) where value_json \\? 'segmentId'`,
  );
  await knex.raw(
    `create unique index feature_flag_rules_plan on feature_flag_rules ((value_json->>'planId')) where value_json \\? 'planId'`,
  );

  /** Evaluations per flag and hour, flushed in batches by each api process. */
  await knex.schema.createTable('flag_evaluation_counts', (t) => {
    t.uuid('tenant_id').notNullable().references('tenants.id').onDelete('CASCADE');
    t.uuid('feature_flag_id').notNullable().references('feature_flags.id').onDelete('CASCADE');
    t.timestamp('hour', { useTz: true }).notNullable();
    t.bigInteger('count').notNullable();
    t.timestamp('last_evaluated_at', { useTz: true }).notNullable();
    t.primary(['feature_flag_id', 'hour']);
    t.index(['tenant_id', 'hour']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['flag_evaluation_counts', 'feature_flag_rules', 'segments'])
    await knex.schema.dropTableIfExists(table);
}
