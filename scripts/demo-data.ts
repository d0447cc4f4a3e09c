import type { Config } from '../modules/platform/config';
import type { Role } from '../core/permissions';

/** The demo world: two merchants and the platform's own ops workspace. */
export const DEMO_TENANTS = [
  { slug: 'acme', name: 'Acme Outfitters', kind: 'merchant' as const },
  { slug: 'globex', name: 'Globex Market', kind: 'merchant' as const },
  { slug: 'platform', name: 'Flagpole Platform Ops', kind: 'platform' as const },
];

const everywhere = (role: Role) => Object.fromEntries(DEMO_TENANTS.map((t) => [t.slug, role])) as Record<string, Role>;

export const DEMO_USERS: Array<{ email: string; name: string; roles: Record<string, Role> }> = [
  { email: 'admin@flagpole.test', name: 'Ada Admin', roles: everywhere('admin') },
  { email: 'ops@flagpole.test', name: 'Oskar Ops', roles: everywhere('operator') },
  { email: 'editor@acme.test', name: 'Erin Editor', roles: { acme: 'editor' } },
  { email: 'viewer@acme.test', name: 'Victor Viewer', roles: { acme: 'viewer' } },
  { email: 'editor@globex.test', name: 'Gina Globex', roles: { globex: 'editor' } },
];

type DemoFlag = { key: string; description: string; tags: string[]; enabled: boolean; history?: boolean[] };

const MERCHANT_FLAGS: DemoFlag[] = [
  {
    key: 'checkout.one-page',
    description: 'Single-page checkout replacing the three-step flow',
    tags: ['checkout', 'payments'],
    enabled: true,
    history: [false, true],
  },
  {
    key: 'checkout.apple-pay',
    description: 'Offer Apple Pay at checkout on Safari',
    tags: ['checkout', 'payments'],
    enabled: true,
  },
  {
    key: 'checkout.address-autocomplete',
    description: 'Autocomplete shipping addresses as the shopper types',
    tags: ['checkout'],
    enabled: false,
  },
  {
    key: 'search.semantic-ranking',
    description: 'Rank search results with the semantic model',
    tags: ['search'],
    enabled: false,
    history: [true, false],
  },
  {
    key: 'search.typo-tolerance',
    description: 'Forgive one typo per word in product search',
    tags: ['search'],
    enabled: true,
  },
  {
    key: 'catalog.bulk-editor',
    description: 'Spreadsheet-style bulk product editor for merchants',
    tags: ['catalog', 'beta'],
    enabled: false,
  },
  {
    key: 'catalog.ai-descriptions',
    description: 'Draft product descriptions from product attributes',
    tags: ['catalog', 'beta'],
    enabled: false,
  },
  {
    key: 'orders.partial-refunds',
    description: 'Refund single line items of an order',
    tags: ['orders', 'payments'],
    enabled: true,
  },
  {
    key: 'orders.split-shipments',
    description: 'Ship one order in several parcels',
    tags: ['orders', 'fulfilment'],
    enabled: false,
  },
  {
    key: 'marketing.abandoned-cart-email',
    description: 'Email shoppers who left items in their cart',
    tags: ['marketing'],
    enabled: true,
    history: [false, true],
  },
  {
    key: 'storefront.dark-mode',
    description: 'Dark theme for the storefront',
    tags: ['storefront', 'ui'],
    enabled: false,
  },
  {
    key: 'storefront.new-product-page',
    description: 'Redesigned product detail page with larger media',
    tags: ['storefront', 'ui'],
    enabled: false,
  },
];

const PLATFORM_FLAGS: DemoFlag[] = [
  {
    key: 'platform.new-billing-engine',
    description: 'Route invoicing through the new billing engine, merchant by merchant',
    tags: ['billing', 'rollout'],
    enabled: true,
  },
  {
    key: 'platform.edge-cache',
    description: 'Serve storefront assets from the edge cache',
    tags: ['infra', 'rollout'],
    enabled: true,
  },
  {
    key: 'platform.fraud-scoring-v2',
    description: 'Score payments with the v2 fraud model',
    tags: ['payments', 'risk'],
    enabled: false,
  },
  {
    key: 'platform.read-replicas',
    description: 'Send merchant reports to read replicas',
    tags: ['infra'],
    enabled: true,
  },
  {
    key: 'platform.webhook-batching',
    description: 'Batch outgoing merchant webhooks every second',
    tags: ['infra'],
    enabled: false,
  },
  {
    key: 'platform.admin-audit-export',
    description: 'Let merchants export their audit log as CSV',
    tags: ['compliance'],
    enabled: false,
  },
  {
    key: 'platform.sso-saml',
    description: 'SAML single sign-on for merchant staff',
    tags: ['auth', 'enterprise'],
    enabled: false,
  },
  {
    key: 'platform.multi-currency',
    description: 'Charge shoppers in their local currency',
    tags: ['payments'],
    enabled: true,
    history: [false, true],
  },
  { key: 'platform.status-page', description: 'Public status page integration', tags: ['ops'], enabled: true },
  {
    key: 'platform.rate-limit-v2',
    description: 'Token-bucket rate limits per merchant API key',
    tags: ['infra', 'rollout'],
    enabled: false,
  },
  {
    key: 'platform.gdpr-auto-delete',
    description: 'Delete shopper data 30 days after a request',
    tags: ['compliance'],
    enabled: true,
  },
  {
    key: 'platform.new-onboarding',
    description: 'Guided onboarding for new merchants',
    tags: ['growth'],
    enabled: false,
  },
];

export const demoFlagsFor = (slug: string): DemoFlag[] => (slug === 'platform' ? PLATFORM_FLAGS : MERCHANT_FLAGS);

export function printDemoAccounts(config: Config): void {
  const url = `http://${config.host === '0.0.0.0' || config.host === '127.0.0.1' ? 'localhost' : config.host}:${config.port}`;
  console.log(`\nFlagpole is running at ${url}  (API docs: ${url}/docs, queues: ${url}/admin/queues)`);
  const database = config.databaseMode === 'embedded' ? 'embedded PostgreSQL' : 'PostgreSQL';
  console.log(
    `Running on ${database}, with queues on ${config.queueBackend === 'postgres' ? 'PostgreSQL (no Redis found)' : 'Redis'}.`,
  );
  console.log(`Demo accounts (password "${config.demoPassword}"):`);
  for (const u of DEMO_USERS) {
    console.log(
      `  ${u.email.padEnd(22)} ${Object.entries(u.roles)
        .map(([t, r]) => `${r} in ${t}`)
        .join(', ')}`,
    );
  }
}
