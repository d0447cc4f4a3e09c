import { systemActor } from '../../core/actor';
import type { Rule } from '../../core/evaluate';
import type { Container } from '../../modules/platform/container';

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
