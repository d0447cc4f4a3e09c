import path from 'node:path';
import type { Page } from 'playwright-core';
import {
  describeViolations,
  eventually,
  expectVisible,
  flagRow,
  SCREENSHOTS,
  seriousA11yViolations,
  TestBrowser,
  type ApiCall,
} from '../support/browser';
import { startE2eServer, type E2eServer } from '../support/e2e-server';
import { GuardTraffic, type Behaviour } from '../support/guard-traffic';

/**
 * Guarded rollouts in the browser: plans with guards created and started through the API, the
 * worker's guard checks run on recorded traffic (ten healthy checks for one plan, a regression
 * for another), then the plan page's panels and charts, the tripped guard's explanation, the
 * flag list's marks and the plan form's guards card, each with a screenshot and an axe check.
 */

jest.setTimeout(240_000);

let server: E2eServer;
const browser = new TestBrowser(() => server);
let ops: ApiCall;
const plans: Record<'healthy' | 'tripped', string> = { healthy: '', tripped: '' };

const HEALTHY_KEY = 'checkout.one-page';
const TRIPPED_KEY = 'orders.partial-refunds';
const STAGES = [
  { percent: 5, holdSeconds: 3600 },
  { percent: 25, holdSeconds: 3600 },
  { percent: 100, holdSeconds: 0 },
];
const ERROR_SHARE = { kind: 'event_share', event: 'checkout.error', maxRelativeIncrease: 0.1 };
const GUARDS = [
  ERROR_SHARE,
  { kind: 'event_mean', event: 'checkout.latency_ms', maxRelativeIncrease: 0.2 },
  {
    kind: 'event_share',
    event: 'checkout.completed',
    maxRelativeIncrease: 0.05,
    direction: 'higher_is_better',
    onRegression: 'rollback',
  },
];
const SAME: Behaviour = {
  shares: { 'checkout.error': 0.02, 'checkout.completed': 0.3 },
  means: { 'checkout.latency_ms': 180 },
};

async function flagId(key: string): Promise<string> {
  const page = (await ops('get', `/admin/feature-flags?q=${encodeURIComponent(key)}`)).body as {
    items: { id: string }[];
  };
  return page.items[0].id;
}

async function startGuarded(key: string, guards: object[]): Promise<string> {
  const created = await ops('post', '/admin/rollout-plans', { flagId: await flagId(key), stages: STAGES, guards });
  expect(created.status).toBe(201);
  const id = (created.body as { id: string }).id;
  expect((await ops('post', `/admin/rollout-plans/${id}/actions/start`, {})).status).toBe(200);
  return id;
}

beforeAll(async () => {
  server = await startE2eServer();
  await browser.start();
  ops = await browser.api('ops@flagpole.test', 'acme');
  const tenant = await server.c.db('tenants').where({ slug: 'acme' }).first();

  plans.healthy = await startGuarded(HEALTHY_KEY, GUARDS);
  const healthy = new GuardTraffic(server.c, tenant.id, plans.healthy);
  for (let i = 0; i < 10; i++) expect(await healthy.step(2000, 5, SAME, SAME)).toMatchObject({ outcome: 'checked' });
  await healthy.spreadChecks(15);

  // treatment errors two and a half times as often as control: a check trips once the evidence is clear
  plans.tripped = await startGuarded(TRIPPED_KEY, [ERROR_SHARE]);
  const tripped = new GuardTraffic(server.c, tenant.id, plans.tripped, 7);
  const worse: Behaviour = { shares: { 'checkout.error': 0.05 }, means: {} };
  const outcomes: string[] = [];
  while (!outcomes.includes('tripped') && outcomes.length < 20)
    outcomes.push((await tripped.step(1000, 5, worse, SAME)).outcome);
  expect(outcomes[outcomes.length - 1]).toBe('tripped');
  expect(outcomes.length).toBeGreaterThan(3);
  await tripped.spreadChecks(15);
  await browser.closeContexts();
});
afterEach(() => browser.closeContexts());
afterAll(async () => {
  await browser.stop();
  await server?.stop();
});

/** A screenshot (the whole page from its top, unless `viewport`), then axe on exactly what the picture shows. */
async function check(page: Page, name: string, viewport = false): Promise<void> {
  if (!viewport) await page.evaluate(() => window.scrollTo(0, 0));
  await page.waitForTimeout(400);
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: !viewport });
  const violations = await seriousA11yViolations(page);
  if (violations.length)
    throw new Error(`${name}: serious accessibility violations\n${describeViolations(violations)}`);
}

const texts = (page: Page, testid: string) => page.getByTestId(testid).allTextContents();

describe('guarded rollouts', () => {
  test('when a guarded plan has ten healthy checks, then its page shows each guard’s verdict, arms, interval and charts', async () => {
    const page = await browser.newPage();
    await browser.signIn(page, 'ops@flagpole.test', {
      start: `/rollouts/${plans.healthy}?tenant=acme`,
      landing: /\/rollouts\/[0-9a-f-]{36}\?tenant=acme/,
    });
    const panels = page.getByTestId('guard-panel');
    await expectVisible(panels);
    expect(await panels.count()).toBe(3);
    expect((await texts(page, 'guard-verdict')).map((t) => t.trim())).toEqual(['Healthy', 'Healthy', 'Healthy']);
    expect(await panels.nth(0).locator('h3').textContent()).toBe(
      'Share of units sending checkout.error must not rise by more than 10%',
    );
    expect(await panels.nth(2).locator('h3').textContent()).toBe(
      'Share of units sending checkout.completed must not fall by more than 5%',
    );
    // 10 checks of 2,000 units at 5%: 1,000 in treatment, 19,000 in control
    expect(await panels.nth(0).getByTestId('guard-treatment').textContent()).toContain('1,000 units');
    expect(await panels.nth(0).getByTestId('guard-control').textContent()).toContain('19,000 units');
    expect(await panels.nth(1).getByTestId('guard-treatment').textContent()).toMatch(/\d{3}(\.\d)?\s*1,000 units/);
    expect(await panels.nth(0).getByTestId('guard-change').textContent()).toMatch(/interval [−+]\d+(\.\d)?% to \+/);
    const ratio = page.getByTestId('sample-ratio');
    expect(await ratio.getAttribute('data-verdict')).toBe('healthy');
    expect(await ratio.textContent()).toContain('1,000 treatment / 19,000 control units; expected ≈ 1,000');
    // two charts per event guard, drawn on canvas by chart.js
    const canvases = page.getByTestId('guard-chart').locator('canvas');
    await eventually(
      () => canvases.count(),
      (n) => n === 6,
      'six charts',
    );
    const name = await page.getByTestId('guard-chart').first().locator('canvas').getAttribute('aria-label');
    expect(name).toMatch(/^Share per arm at the latest of 10 checks: treatment \d/);
    expect(await page.getByTestId('plan-guard-tripped').count()).toBe(0);
    await check(page, 'screen-plan-guards');
  });

  test('when a guard trips, then the plan page says what happened and what can be done, and the flag list marks it red', async () => {
    const page = await browser.newPage();
    await browser.signIn(page, 'ops@flagpole.test', {
      start: `/rollouts/${plans.tripped}?tenant=acme`,
      landing: /\/rollouts\/[0-9a-f-]{36}\?tenant=acme/,
    });
    const notice = page.getByTestId('plan-guard-tripped');
    await expectVisible(notice);
    expect(await notice.getByTestId('trip-headline').textContent()).toBe('Paused at 5%: guard 1 found a regression.');
    expect(await notice.getByTestId('trip-reason').textContent()).toMatch(
      /^Guard 1 \(event_share of checkout\.error\) regressed: \+[\d.]+% vs control \(interval \+[\d.]+% to \+[\d.]+%\), beyond the 10% allowed\.$/,
    );
    const advice = await notice.getByTestId('trip-advice').textContent();
    expect(advice).toContain('Resume holds this stage again');
    expect(advice).toContain('Abort ends the plan and sets the flag to its rollback percentage, 0%.');
    const panel = page.getByTestId('guard-panel');
    expect(await panel.getAttribute('data-verdict')).toBe('regression');
    expect(await panel.getAttribute('class')).toContain('guard--tripped');
    expect(await panel.getByTestId('guard-verdict').textContent()).toBe('Regression');
    expect(await page.getByTestId('transition-event').first().textContent()).toBe('Paused by a guard');
    await check(page, 'screen-plan-guard-tripped');

    await page.getByTestId('nav-feature-flags').click();
    await page.waitForURL(/\/feature-flags\?tenant=acme/);
    const healthyMark = flagRow(page, HEALTHY_KEY).getByTestId('flag-guard-mark');
    const trippedMark = flagRow(page, TRIPPED_KEY).getByTestId('flag-guard-mark');
    await expectVisible(trippedMark);
    expect(await healthyMark.getAttribute('data-tripped')).toBe('false');
    expect(await healthyMark.getAttribute('aria-label')).toBe('Guarded: 3 guards compare treatment with control');
    expect(await trippedMark.getAttribute('data-tripped')).toBe('true');
    expect(await trippedMark.getAttribute('aria-label')).toBe('Paused: a guard found a regression');
    expect(await flagRow(page, 'search.typo-tolerance').getByTestId('flag-guard-mark').count()).toBe(0);
    await trippedMark.hover();
    await expectVisible(page.getByRole('tooltip'));
    await check(page, 'screen-flags-guards', true); // a full-page picture resizes the window, which hides the tooltip

    // the audit log words what the guard saw
    await page.goto(`${browser.url}/audit?tenant=acme&resourceType=rollout_plan`);
    const tripEvent = page.locator('[data-testid="audit-event"][data-action="rollout_plan.guard_tripped"]');
    await expectVisible(tripEvent);
    expect(await tripEvent.getByTestId('audit-action').textContent()).toBe('stopped the rollout on a guard');
    expect(await tripEvent.locator('[data-field="evidence"]').textContent()).toMatch(
      /What the guard saw.*Guard 1 at 5%: regression \(checkout\.error\); treatment [\d.]+% of 400 units, control [\d.]+% of 7,600 units; change \+/,
    );
    await check(page, 'screen-audit-guard-tripped');
  });

  test('when an operator adds guards from the ready choices, then a wrong field is named in its row and the plan saves with them', async () => {
    const page = await browser.newPage();
    ops = await browser.api('ops@flagpole.test', 'acme');
    const id = await flagId('checkout.apple-pay');
    await browser.signIn(page, 'ops@flagpole.test', {
      start: `/rollouts/new?tenant=acme&flag=${id}`,
      landing: /\/rollouts\/new\?tenant=acme/,
    });
    await expectVisible(page.getByTestId('no-guards'));
    for (const choice of [
      'Error share must not rise by more than 10%',
      'Mean latency must not rise by more than 20%',
      'Conversion must not fall by more than 5%',
      'A Prometheus query must stay below a bound',
    ]) {
      await page.getByTestId('add-guard').click();
      await page.getByRole('menuitem', { name: choice }).click();
    }
    const rows = page.getByTestId('guard-row');
    expect(await rows.count()).toBe(4);
    await rows.nth(0).getByTestId('guard-event').fill('checkout.error');
    await rows.nth(1).getByTestId('guard-event').fill('checkout.latency_ms');
    await rows.nth(2).getByTestId('guard-event').fill('checkout.completed');
    await rows.nth(2).getByTestId('guard-on-regression').getByText('Roll back').click();
    await rows.nth(3).getByTestId('guard-query').fill('sum(rate(checkout_http_errors_total[1m]))');
    await rows.nth(3).getByTestId('guard-bound').locator('input').fill('0.5');
    await page.getByTestId('guard-check-seconds').locator('input').fill('10');

    expect(await rows.nth(1).textContent()).toContain('Mean latency must not rise by more than 20%');
    expect(await rows.nth(3).textContent()).toContain('The query must stay below 0.5');
    await check(page, 'screen-new-plan-guards');

    // the API's message for guards[0].event shows in that row, under that field
    await rows.nth(0).getByTestId('guard-event').fill('Checkout Error!');
    await page.getByTestId('plan-save-draft').click();
    const message = rows.nth(0).locator('.field__error');
    await expectVisible(message);
    expect(await message.textContent()).toContain('must match');
    expect(await rows.nth(1).locator('.field__error').count()).toBe(0);
    await page.getByTestId('plan-guards-card').scrollIntoViewIfNeeded();
    await check(page, 'screen-new-plan-guard-error', true);
    await rows.nth(0).getByTestId('guard-event').fill('checkout.error');

    await page.getByTestId('plan-save-draft').click();
    await page.waitForURL(/\/rollouts\/[0-9a-f-]{36}\?tenant=acme/);
    await expectVisible(page.getByTestId('plan-guards'));
    expect(await page.getByTestId('guards-stage-note').textContent()).toContain('first stage');
    const planId = new URL(page.url()).pathname.split('/').pop()!;
    const saved = (await ops('get', `/admin/rollout-plans/${planId}`)).body as Record<string, unknown>;
    expect(saved).toMatchObject({
      guardCheckSeconds: 10,
      onInsufficientData: 'pause',
      guards: [
        { kind: 'event_share', event: 'checkout.error', maxRelativeIncrease: 0.1, direction: 'lower_is_better' },
        { kind: 'event_mean', event: 'checkout.latency_ms', maxRelativeIncrease: 0.2, minUnitsPerArm: 200 },
        { kind: 'event_share', direction: 'higher_is_better', maxRelativeIncrease: 0.05, onRegression: 'rollback' },
        { kind: 'prometheus', query: 'sum(rate(checkout_http_errors_total[1m]))', max: 0.5 },
      ],
    });
  });
});
