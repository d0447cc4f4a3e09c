import type { Page } from 'playwright-core';
import {
  describeViolations,
  expectVisible,
  flagRow,
  screenshot,
  seriousA11yViolations,
  TestBrowser,
} from '../support/browser';
import { startE2eServer, type E2eServer } from '../support/e2e-server';

/**
 * Every main screen, as an admin sees it: a screenshot of each (test/e2e/screenshots/) and an
 * axe-core check that finds no serious or critical accessibility violation.
 */

jest.setTimeout(180_000);

let server: E2eServer;
const browser = new TestBrowser(() => server);
let planId: string;

beforeAll(async () => {
  server = await startE2eServer();
  await browser.start();
  const ops = await browser.api('ops@flagpole.test', 'acme');
  const flags = (await ops('get', '/admin/feature-flags?q=checkout.one-page')).body as { items: { id: string }[] };
  const stages = [
    { percent: 5, holdSeconds: 3600 },
    { percent: 25, holdSeconds: 3600, requiresApproval: true },
    { percent: 100, holdSeconds: 0 },
  ];
  const plan = (await ops('post', '/admin/rollout-plans', { flagId: flags.items[0].id, stages })).body as {
    id: string;
  };
  planId = plan.id;
  expect(
    (await ops('post', `/admin/rollout-plans/${planId}/actions/start`, { reason: 'Checkout team sign-off' })).status,
  ).toBe(200);
  const segment = await ops('post', '/admin/segments', {
    name: 'Enterprise merchants',
    description: 'Merchants on the enterprise plan in Europe',
    constraints: [
      { attribute: 'plan', operator: 'eq', values: ['enterprise'] },
      { attribute: 'country', operator: 'in', values: ['DE', 'FR', 'NL'] },
    ],
  });
  expect(segment.status).toBe(201);
  await browser.closeContexts();
});
afterEach(() => browser.closeContexts());
afterAll(async () => {
  await browser.stop();
  await server?.stop();
});

/** Screenshot, then axe: the check runs on exactly what the picture shows. */
async function check(page: Page, name: string): Promise<void> {
  await screenshot(page, name);
  const violations = await seriousA11yViolations(page);
  if (violations.length)
    throw new Error(`${name}: serious accessibility violations\n${describeViolations(violations)}`);
}

describe('every screen', () => {
  test('when an admin opens each main screen, then it renders and has no serious accessibility violation', async () => {
    const page = await browser.newPage();
    await page.goto(`${browser.url}/login`);
    await expectVisible(page.getByRole('heading', { name: 'Sign in' }));
    await check(page, 'screen-login');
    await browser.signIn(page, 'admin@flagpole.test', { start: '/feature-flags?tenant=acme' });

    await expectVisible(flagRow(page, 'checkout.one-page').getByRole('progressbar'));
    expect(await page.getByTestId('service-mode').textContent()).toContain(
      'Running on PostgreSQL, with queues on Redis.',
    );
    await check(page, 'screen-flags');

    await flagRow(page, 'checkout.one-page').click();
    const drawer = page.getByTestId('flag-drawer');
    await expectVisible(drawer.getByTestId('drawer-rollout').getByRole('progressbar'));
    await check(page, 'screen-flag-drawer');
    await drawer.getByRole('tab', { name: 'Targeting' }).click();
    await expectVisible(drawer.getByTestId('plan-rule'));
    await check(page, 'screen-flag-targeting');
    await drawer.getByRole('tab', { name: 'Try it' }).click();
    await drawer.getByTestId('try-run').click();
    await expectVisible(drawer.getByTestId('try-result'));
    await check(page, 'screen-flag-try-it');
    await page.keyboard.press('Escape');

    await page.getByTestId('nav-rollouts').click();
    await expectVisible(page.getByTestId('plan-row'));
    await check(page, 'screen-rollouts');
    await page.getByTestId('plan-row').first().getByTestId('plan-flag').click();
    await expectVisible(page.getByTestId('plan-status').getByText('Running'));
    await check(page, 'screen-plan');
    await page.getByTestId('plan-action-pause').click();
    await expectVisible(page.getByTestId('confirm-explain'));
    await check(page, 'screen-plan-confirm');
    await page.getByRole('button', { name: 'Cancel' }).click();

    await page.goto(`${browser.url}/rollouts/new?tenant=acme`);
    await expectVisible(page.getByTestId('plan-stage'));
    await check(page, 'screen-new-plan');

    await page.getByTestId('nav-segments').click();
    await expectVisible(page.getByTestId('segment-row'));
    await check(page, 'screen-segments');
    await page.getByTestId('segment-name').first().click();
    await expectVisible(page.getByTestId('constraint'));
    await check(page, 'screen-segment');

    await page.getByTestId('nav-audit').click();
    await expectVisible(page.getByTestId('audit-event'));
    await check(page, 'screen-audit');
    await page.getByTestId('audit-resource-type').click();
    await page.getByRole('option', { name: 'Rollout plans' }).click();
    await page.waitForURL(/resourceType=rollout_plan/);
    await expectVisible(page.locator('[data-testid="audit-event"][data-action="rollout_plan.started"]'));
    await check(page, 'screen-audit-filtered');

    await page.getByTestId('nav-notifications').click();
    await expectVisible(page.getByTestId('notification'));
    await check(page, 'screen-notifications');

    await page.getByTestId('nav-settings').click();
    await expectVisible(page.getByTestId('switch-writes'));
    await check(page, 'screen-settings-switches');
  });

  test('when an admin creates an API token and a webhook, then the secret shows once and the delivery log opens', async () => {
    const page = await browser.newPage();
    await browser.signIn(page, 'admin@flagpole.test', {
      start: '/settings?tenant=acme&tab=tokens',
      landing: /\/settings\?tenant=acme&tab=tokens/,
    });
    await page.getByTestId('new-token').click();
    await page.getByTestId('token-name').fill('storefront-production');
    await page.getByTestId('token-create').click();
    const secret = page.getByTestId('token-secret');
    await expectVisible(secret);
    expect(await secret.textContent()).toMatch(/^fp_/);
    await check(page, 'screen-settings-token-secret');
    await page.getByTestId('token-secret-done').click();
    await expectVisible(page.getByTestId('tokens-table').getByText('storefront-production'));
    await check(page, 'screen-settings-tokens');

    await page.getByTestId('settings-tab-webhooks').click();
    await page.getByTestId('new-webhook').click();
    const dialog = page.getByTestId('webhook-dialog');
    await dialog.getByLabel('URL').fill('https://hooks.example.com/flagpole');
    await dialog.getByLabel('Signing secret').fill('short');
    await dialog.getByRole('button', { name: 'Add webhook' }).click();
    await expectVisible(dialog.getByText('must be at least 16 characters'));
    await dialog.getByLabel('Signing secret').fill('a-long-enough-signing-secret');
    await dialog.getByRole('button', { name: 'Add webhook' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByRole('button', { name: 'Show deliveries' }).first().click();
    await expectVisible(page.getByTestId('deliveries'));
    await check(page, 'screen-settings-webhooks');
  });

  test('when a page has nothing to show or cannot load, then it says so, with the request id of the failure', async () => {
    const page = await browser.newPage();
    await browser.signIn(page, 'admin@flagpole.test', {
      start: '/rollouts?tenant=globex',
      landing: /\/rollouts\?tenant=globex/,
    });
    await expectVisible(page.getByTestId('plans-empty'));
    await check(page, 'screen-empty-rollouts');
    await page.goto(`${browser.url}/rollouts/01a00000-0000-7000-8000-000000000000?tenant=globex`);
    const error = page.getByTestId('error-message');
    await expectVisible(error.getByText('This rollout plan could not be loaded.'));
    expect(await error.getByTestId('error-request-id').textContent()).toMatch(/Request ID\s+\S+/);
    await check(page, 'screen-error');
  });
});
