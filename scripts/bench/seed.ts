import { systemActor } from '../../core/actor';
import type { Rule } from '../../core/evaluate';
import type { Guard } from '../../core/guards';
import type { Container } from '../../modules/platform/container';
import { createPlanBody } from '../../modules/rollout-plans/rollout-plans.schemas';

export interface BenchTenant {
  tenantId: string;
  clientSecret: string;
  editorSecret: string;
  /** An enabled flag with no rules, toggled to measure propagation. */
  toggleFlag: { id: string; key: string };
}

/**
 * A tenant shaped like a real one: 50 flags, mostly percent rollouts (some per merchant,
 * some limited to a segment), a few tenant-targeted flags, a segment rule, one static flag
 * and one switched off.
 */
export async function seedBenchTenant(c: Container, slug: string): Promise<BenchTenant> {
  const tenant = await c.repos.tenants.upsert({ slug, name: 'Benchmark merchant', kind: 'merchant' });
  const ctx = { tenantId: tenant.id, actor: systemActor('bench', 'benchmark seed') };
  const segment = await c.segments.create(ctx, {
    name: 'EU enterprise',
    description: '',
    constraints: [
      { attribute: 'country', operator: 'in', values: ['DE', 'FR', 'NL'] },
      { attribute: 'plan', operator: 'eq', values: ['enterprise'] },
    ],
  });
  const rulesFor = (i: number): Rule[] => {
    if (i < 30) return [{ kind: 'percent', percent: 25 }];
    if (i < 36) return [{ kind: 'percent', percent: 25, stickiness: 'tenantId' }];
    if (i < 40) return [{ kind: 'percent', percent: 50, segmentId: segment.id }];
    if (i < 45)
      return [
        { kind: 'tenant', tenantIds: ['acme', 'globex', 'initech'] },
        { kind: 'percent', percent: 10 },
      ];
    if (i < 48) return [{ kind: 'segment', segmentId: segment.id }];
    return [];
  };
  let toggleFlag = { id: '', key: '' };
  for (let i = 0; i < 50; i++) {
    const key = `bench.flag-${String(i).padStart(2, '0')}`;
    const flag = await c.flags.create(ctx, { key, description: '', tags: [], enabled: i !== 49 });
    const rules = rulesFor(i);
    if (rules.length > 0) await c.rules.replace(ctx, flag.id, rules);
    if (i === 48) toggleFlag = { id: flag.id, key };
  }
  const client = await c.auth.createToken(ctx, { name: 'bench sdk', scope: 'evaluation' });
  const editor = await c.auth.createToken(ctx, { name: 'bench editor', scope: 'admin', role: 'editor' });
  return { tenantId: tenant.id, clientSecret: client.secret, editorSecret: editor.secret, toggleFlag };
}

/** Flags of the planned tenants with a running rollout plan (of their 50; the first ten percent rollouts). */
export const GUARDED_FLAGS = 10;

/**
 * The same tenant, plus a running rollout plan on ten of its percent flags, held at 5%. With
 * guards (an error share and a mean on events of its own, `bench.error-<i>` and
 * `bench.amount-<i>`), every evaluation of those flags puts the unit in an arm and records its
 * exposure, and tracking events for them are kept; without, the same rules cost the same
 * evaluation and nothing is recorded.
 */
export async function seedPlannedTenant(
  c: Container,
  slug: string,
  options: { guarded: boolean },
): Promise<BenchTenant> {
  const seeded = await seedBenchTenant(c, slug);
  const ctx = { tenantId: seeded.tenantId, actor: systemActor('bench', 'benchmark seed') };
  for (let i = 0; i < GUARDED_FLAGS; i++) {
    const flag = (await c.repos.flags.findByKey(seeded.tenantId, `bench.flag-${String(i).padStart(2, '0')}`))!;
    const stages = [
      { percent: 5, holdSeconds: 24 * 3600 },
      { percent: 100, holdSeconds: 0 },
    ];
    const plan = await c.rollouts.create(ctx, createPlanBody.parse({ flagId: flag.id, stages }));
    await c.rollouts.act(ctx, plan.id, 'start');
    if (!options.guarded) continue;
    const guards: Guard[] = [
      {
        kind: 'event_share',
        event: `bench.error-${i}`,
        maxRelativeIncrease: 0.1,
        minUnitsPerArm: 200,
        direction: 'lower_is_better',
        onRegression: 'pause',
      },
      {
        kind: 'event_mean',
        event: `bench.amount-${i}`,
        maxRelativeIncrease: 0.1,
        minUnitsPerArm: 200,
        direction: 'higher_is_better',
        onRegression: 'pause',
      },
    ];
    // guards are set on the row until plans take them through the API
    await c
      .db('rollout_plans')
      .where({ id: plan.id })
      .update({ guards: JSON.stringify(guards), version: c.db.raw('version + 1') });
  }
  return seeded;
}
