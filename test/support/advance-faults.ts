import type { Knex } from 'knex';

/**
 * A failure injected into the real database for browser tests: inserting a `due` transition of
 * a listed plan raises, `failures` times (a sequence counts, as it survives the rollback), so
 * the worker's real retry and failure path runs.
 */
const INSTALL = `
  create table if not exists e2e_advance_faults (plan_id uuid primary key, failures int not null, counter text not null);
  create or replace function e2e_fail_advance() returns trigger language plpgsql as $$
  declare f e2e_advance_faults;
  begin
    select * into f from e2e_advance_faults where plan_id = new.plan_id;
    if found and new.event = 'due' and nextval(f.counter::regclass) <= f.failures then
      raise exception 'the billing service did not answer (injected by the test)';
    end if;
    return new;
  end $$;
  drop trigger if exists e2e_fail_advance on rollout_transitions;
  create trigger e2e_fail_advance before insert on rollout_transitions for each row execute function e2e_fail_advance();`;

export async function installAdvanceFaults(db: Knex): Promise<void> {
  await db.raw(INSTALL);
}

/** The next `failures` advances of the plan fail; the ones after succeed. */
export async function failNextAdvances(db: Knex, planId: string, failures: number): Promise<void> {
  const counter = `e2e_fault_${planId.replace(/-/g, '')}`;
  await db.raw(`create sequence ${counter}`);
  await db('e2e_advance_faults').insert({ planId, failures, counter });
}
