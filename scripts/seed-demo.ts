import { systemActor } from '../core/actor';
import { loadConfigOrExit, type Config } from '../modules/platform/config';
import { createContainer, type Container } from '../modules/platform/container';
import { ensureDatabase, migrateLatest } from '../modules/platform/db';
import { DEMO_TENANTS, DEMO_USERS, demoFlagsFor } from './demo-data';
import { createPlanBody } from '../modules/rollout-plans/rollout-plans.schemas';

/** The rollout `npm start` shows advancing: 5% → 25% → 50% → 100% of merchants, half a minute per step. */
export const DEMO_ROLLOUT = {
  tenant: 'platform',
  flag: 'platform.edge-cache',
  stages: [
    { percent: 5, holdSeconds: 30, requiresApproval: false },
    { percent: 25, holdSeconds: 30, requiresApproval: false },
    { percent: 50, holdSeconds: 30, requiresApproval: false },
    { percent: 100, holdSeconds: 0, requiresApproval: false },
  ],
};

/** Starts the demo rollout, once: a flag that ever had a plan gets none again. */
async function seedDemoRollout(c: Container, actor: ReturnType<typeof systemActor>): Promise<void> {
  const tenant = (await c.repos.tenants.find(DEMO_ROLLOUT.tenant))!;
  const flag = (await c.repos.flags.findByKey(tenant.id, DEMO_ROLLOUT.flag))!;
  if (await c.db('rollout_plans').where({ flagId: flag.id }).first()) return;
  const ctx = { tenantId: tenant.id, actor };
  const plan = await c.rollouts.create(ctx, createPlanBody.parse({ flagId: flag.id, stages: DEMO_ROLLOUT.stages }));
  await c.rollouts.act(ctx, plan.id, 'start');
}

/** Idempotent: running it again creates nothing twice. `rollout` also starts the demo rollout (npm start; browser tests leave it out). */
export async function seedDemo(c: Container, options: { rollout?: boolean } = {}): Promise<void> {
  const actor = systemActor('seed', 'demo seed');
  for (const t of DEMO_TENANTS) await c.repos.tenants.upsert(t);
  for (const u of DEMO_USERS) await c.users.ensureUser(actor, { ...u, password: c.config.demoPassword });
  for (const t of DEMO_TENANTS) {
    const tenant = (await c.repos.tenants.find(t.slug))!;
    const ctx = { tenantId: tenant.id, actor };
    for (const f of demoFlagsFor(t.slug)) {
      if (await c.repos.flags.findByKey(tenant.id, f.key)) continue;
      const first = f.history?.[0] ?? f.enabled;
      const flag = await c.flags.create(ctx, { key: f.key, description: f.description, tags: f.tags, enabled: first });
      for (const enabled of f.history?.slice(1) ?? []) await c.flags.setEnabled(ctx, flag.id, enabled);
    }
  }
  if (options.rollout) await seedDemoRollout(c, actor);
}

/** Creates the database if needed, migrates it and seeds the demo. */
export async function prepareDatabase(config: Config, options: { seed: boolean }): Promise<void> {
  const created = await ensureDatabase(config.databaseUrl);
  const c = createContainer(config, { name: 'flagpole-setup' });
  try {
    const applied = await migrateLatest(c.db);
    if (created) c.logger.info({ database: new URL(config.databaseUrl).pathname.slice(1) }, 'database created');
    if (applied.length) c.logger.info({ applied }, 'migrations applied');
    if (options.seed) await seedDemo(c, { rollout: true });
  } finally {
    await c.close();
  }
}

if (require.main === module) {
  const config = loadConfigOrExit();
  prepareDatabase(config, { seed: true })
    .then(() => {
      if (!process.argv.includes('--quiet'))
        console.log(
          `Demo data is in place. Accounts (password "${config.demoPassword}"): ${DEMO_USERS.map((u) => u.email).join(', ')}`,
        );
    })
    .catch((err) => {
      console.error(err);
      process.exit(1);
    });
}
