import { systemActor } from '../../core/actor';
import { expectVisible, flagRow, PASSWORD, screenshot, TestBrowser } from '../support/browser';
import { startE2eServer, type E2eServer } from '../support/e2e-server';

/** What a viewer sees: everything, and no control that would change anything. */

jest.setTimeout(180_000);

let server: E2eServer;
const browser = new TestBrowser(() => server);
let planId: string;

const STAGES = [
  { percent: 5, holdSeconds: 3600 },
  { percent: 100, holdSeconds: 0 },
];

beforeAll(async () => {
  server = await startE2eServer();
  await browser.start();
  // a running plan in acme and one in the platform workspace (its advance job waits in the queue)
  for (const [tenant, key] of [
    ['acme', 'checkout.one-page'],
    ['platform', 'platform.edge-cache'],
  ]) {
    const ops = await browser.api('ops@flagpole.test', tenant);
    const flags = (await ops('get', `/admin/feature-flags?q=${key}`)).body as { items: { id: string }[] };
    const plan = (await ops('post', '/admin/rollout-plans', { flagId: flags.items[0].id, stages: STAGES })).body as {
      id: string;
    };
    expect((await ops('post', `/admin/rollout-plans/${plan.id}/actions/start`, {})).status).toBe(200);
    if (tenant === 'acme') planId = plan.id;
  }
  await server.c.users.ensureUser(systemActor('e2e', 'e2e setup'), {
    email: 'watcher@flagpole.test',
    name: 'Wanda Watcher',
    password: PASSWORD,
    roles: { platform: 'viewer' },
  });
  await browser.closeContexts();
});
afterEach(() => browser.closeContexts());
afterAll(async () => {
  await browser.stop();
  await server?.stop();
});

describe('a viewer', () => {
  test('when a viewer walks through every screen, then they see the data and no control that writes', async () => {
    const page = await browser.newPage();
    await browser.signIn(page, 'viewer@acme.test');

    // flags: no create, no bulk selection; the rollout shows
    await expectVisible(flagRow(page, 'checkout.one-page').getByRole('progressbar'));
    expect(await page.getByRole('button', { name: 'New flag' }).count()).toBe(0);
    expect(await page.getByRole('checkbox').count()).toBe(0);

    // the drawer: no switch, rules read-only, "try it" allowed (it only reads)
    await flagRow(page, 'checkout.one-page').click();
    const drawer = page.getByTestId('flag-drawer');
    await expectVisible(drawer.getByTestId('read-only-note'));
    expect(await drawer.getByRole('button', { name: /^(Enable|Disable|Edit|Plan a rollout)$/ }).count()).toBe(0);
    await drawer.getByRole('tab', { name: 'Targeting' }).click();
    await expectVisible(drawer.getByTestId('rules-readonly').getByTestId('rule-line'));
    expect(await drawer.getByTestId('add-rule').count()).toBe(0);
    expect(await drawer.getByTestId('save-rules').count()).toBe(0);
    await screenshot(page, 'viewer-rules');
    await drawer.getByRole('tab', { name: 'Try it' }).click();
    await drawer.getByTestId('try-run').click();
    await expectVisible(drawer.getByTestId('try-result'));
    await page.keyboard.press('Escape');

    // rollouts: the plan and its progress, no actions
    await page.getByTestId('nav-rollouts').click();
    await expectVisible(page.getByTestId('plan-row').getByText('checkout.one-page'));
    expect(await page.getByRole('button', { name: 'New plan' }).count()).toBe(0);
    await page.goto(`${browser.url}/rollouts/${planId}?tenant=acme`);
    await expectVisible(page.getByTestId('plan-status').getByText('Running'));
    expect(await page.getByTestId('plan-actions').count()).toBe(0);
    await screenshot(page, 'viewer-plan');
    await page.goto(`${browser.url}/rollouts/new?tenant=acme`);
    await expectVisible(page.getByTestId('needs-operator'));

    // segments, settings, queues
    await page.getByTestId('nav-segments').click();
    await expectVisible(page.getByTestId('read-only-badge'));
    expect(await page.getByRole('button', { name: 'New segment' }).count()).toBe(0);
    expect(await page.getByTestId('nav-settings').count()).toBe(0);
    await page.goto(`${browser.url}/settings?tenant=acme`);
    await expectVisible(page.getByTestId('needs-admin'));
    expect(await page.getByTestId('nav-queues').count()).toBe(0);
    const board = await page.request.get(`${browser.url}/admin/queues`);
    expect(board.status()).toBe(403);
  });

  test('when a viewer of the platform workspace opens the job dashboard from the navigation, then it shows the queues and offers no action', async () => {
    const page = await browser.newPage();
    await browser.signIn(page, 'watcher@flagpole.test', { landing: /\/feature-flags\?tenant=platform/ });
    await page.getByTestId('nav-queues').click();
    await page.waitForURL(/\/admin\/queues/);
    await expectVisible(page.getByText('Flagpole jobs'));
    await page.goto(`${browser.url}/admin/queues/queue/rollout-advances?status=delayed`);
    await expectVisible(page.getByText(/advance-/));
    await screenshot(page, 'queues-viewer');
    for (const action of [/retry/i, /promote/i, /clean/i, /pause/i, /empty/i, /add/i]) {
      expect(await page.getByRole('button', { name: action }).count()).toBe(0);
    }
    // and the dashboard's API refuses the writes its UI hides
    const refused = await page.request.put(`${browser.url}/admin/queues/api/queues/rollout-advances/promote`, {
      headers: { Origin: browser.url },
    });
    expect(refused.status()).toBe(403);
  });
});
