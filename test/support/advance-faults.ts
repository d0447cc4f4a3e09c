import type { Knex } from 'knex';

/**
 * A failure injected into the real database: inserting a `due` transition of a listed plan
 * raises `message`, `failures` times (a sequence counts, as it survives the rollback), so the
 * worker's real retry and failure path runs.
 */
const install = (message: string) => `
  create table if not exists test_advance_faults (plan_id uuid primary key, failures int not null, counter text not null);
  create or replace function test_fail_advance() returns trigger language plpgsql as $$
  declare f test_advance_faults;
  begin
    select * into f from test_advance_faults where plan_id = new.plan_id;
    if found and new.event = 'due' and nextval(f.counter::regclass) <= f.failures then
      raise exception '${message.replace(/'/g, "''")}';
    end if;
    return new;
  end $$;
  drop trigger if exists test_fail_advance on rollout_transitions;
  create trigger test_fail_advance before insert on rollout_transitions for each row execute function test_fail_advance();`;

export async function installAdvanceFaults(
  db: Knex,
  message = 'the billing service did not answer (injected by the test)',
): Promise<void> {
  await db.raw(install(message));
}

/** Takes the trigger out again, for a database other tests go on using. */
export async function removeAdvanceFaults(db: Knex): Promise<void> {
  await db.raw(
    'drop trigger if exists test_fail_advance on rollout_transitions; drop function if exists test_fail_advance(); drop table if exists test_advance_faults',
  );
}

/** The next `failures` advances of the plan fail; the ones after succeed. */
export async function failNextAdvances(db: Knex, planId: string, failures: number): Promise<void> {
  const counter = `test_fault_${planId.replace(/-/g, '')}`;
  await db.raw(`create sequence ${counter}`);
  await db('test_advance_faults').insert({ planId, failures, counter });
}
