import type { Page } from 'playwright-core';
import { failNextAdvances, installAdvanceFaults } from '../support/advance-faults';
import { eventually, expectVisible, flagRow, screenshot, SCREENSHOTS, TestBrowser } from '../support/browser';
import { startE2eServer, type E2eServer } from '../support/e2e-server';

/**
 * Rollouts in the browser, with the real rollout worker running in the api's process: plans
 * advance on their own, and the pages follow without a reload.
 */

jest.setTimeout(180_000);

let server: E2eServer;
const browser = new TestBrowser(() => server);

beforeAll(async () => {
  server = await startE2eServer({ workers: true });
  await installAdvanceFaults(server.c.db);
  await browser.start();
});
afterEach(() => browser.closeContexts());
afterAll(async () => {
  await browser.stop();
  await server?.stop();
});

/** Fills the plan form's stages: percents with the same hold, in seconds. */
async function setStages(page: Page, percents: number[], holdSeconds: number): Promise<void> {
  const stages = page.getByTestId('plan-stage');
  while ((await stages.count()) < percents.length) await page.getByTestId('add-stage').click();
  while ((await stages.count()) > percents.length)
    await stages
      .last()
      .getByRole('button', { name: /Remove stage/ })
      .click();
  for (const [i, p] of percents.entries()) {
    const row = stages.nth(i);
    await row.getByTestId('stage-percent').locator('input').fill(String(p));
    if (i < percents.length - 1) {
      await row.getByTestId('stage-hold').locator('input').fill(String(holdSeconds));
      await row.getByTestId('stage-unit').getByText('sec', { exact: true }).click();
    }
  }
}

/** The progress bar's value, as assistive technology reads it. */
async function progressOf(page: Page, key: string): Promise<number | null> {
  const bar = flagRow(page, key).getByRole('progressbar');
  if (!(await bar.count())) return null;
  return Number(await bar.getAttribute('aria-valuenow'));
}

const transitionEvents = (page: Page) => () => page.getByTestId('transition-event').allTextContents();

async function confirmAction(page: Page, action: string, reason?: string): Promise<void> {
  await page.getByTestId(`plan-action-${action}`).click();
  const dialog = page.getByTestId('confirm-dialog');
  await expectVisible(dialog);
  if (reason) await dialog.getByLabel('Reason').fill(reason);
  await dialog.getByTestId('confirm-submit').click();
  const closed = dialog.waitFor({ state: 'hidden' }).then(() => true);
  const refused = dialog
    .getByTestId('error-message')
    .waitFor()
    .then(() => false);
  closed.catch(() => undefined);
  refused.catch(() => undefined);
  if (!(await Promise.race([closed, refused])))
    throw new Error(`${action} was refused: ${(await dialog.getByTestId('error-message').textContent())?.trim()}`);
}

describe('rollouts', () => {
  test('when an operator starts a 5 → 25 → 100 plan with short holds, then the flag’s progress bar climbs to 100% without a reload', async () => {
    const page = await browser.newPage();
    await browser.signIn(page, 'ops@flagpole.test', { start: '/feature-flags?tenant=acme' });
    const key = 'checkout.apple-pay';

    // from the flag's drawer to a new plan for it
    await page.getByLabel('Search flags').fill('apple-pay');
    await flagRow(page, key).click();
    const drawer = page.getByTestId('flag-drawer');
    await drawer.getByTestId('plan-rollout').click();
    await page.waitForURL(/\/rollouts\/new\?/);
    expect(await page.getByTestId('plan-flag').locator('input').inputValue()).toBe(key);
    await page.getByTestId('plan-template').click();
    await page.getByRole('option', { name: /^5% → 25% → 100%, one hour/ }).click();
    await setStages(page, [5, 25, 100], 3);
    await screenshot(page, 'rollout-new-plan');
    await page.getByTestId('plan-create-start').click();

    // the plan page: running at 5%, counting down to 25%
    await page.waitForURL(/\/rollouts\/[0-9a-f-]{36}\?tenant=acme/);
    await expectVisible(page.getByTestId('plan-status').getByText('Running'));
    await expectVisible(page.locator('[data-testid="stage"][data-state="current"]').getByText('5%'));
    await expectVisible(page.getByTestId('stage-note').getByText(/next step in \d:\d\d/));
    await screenshot(page, 'rollout-plan-running');

    // the flag list follows the plan on its own: no reload from here on
    await page.getByTestId('nav-feature-flags').click();
    await page.waitForURL(/\/feature-flags\?tenant=acme/);
    await page.evaluate(() => ((window as unknown as { sameDocument: boolean }).sameDocument = true));
    await page.getByTestId('rollout-filter').getByText('Rolling out', { exact: true }).click();
    await expectVisible(flagRow(page, key).getByRole('progressbar'));
    await page.getByTestId('rollout-filter').getByText('Any', { exact: true }).click();
    const seen = new Set<number>();
    let midway = false;
    await eventually(
      async () => {
        const value = await progressOf(page, key);
        if (value !== null) seen.add(value);
        if (value === 25 && !midway) {
          midway = true;
          await page.screenshot({ path: `${SCREENSHOTS}/rollout-progress-live.png` });
        }
        return value;
      },
      (value) => value === 100,
      'the progress bar to reach 100%',
      30_000,
    );
    expect([...seen].sort((a, b) => a - b)).toEqual(expect.arrayContaining([25, 100]));
    expect([...seen].every((v) => [5, 25, 100].includes(v))).toBe(true);
    expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);
    const done = flagRow(page, key).getByTestId('rollout-progress');
    expect(await done.getAttribute('data-status')).toBe('completed');
    await screenshot(page, 'rollout-progress-complete');

    // the plan's history: who moved it, and the worker's job for each step
    await page.getByTestId('nav-rollouts').click();
    await page.getByTestId('plan-state-filter').getByText('Completed', { exact: true }).click();
    await page.getByTestId('plan-flag').getByText(key).first().click();
    await eventually(transitionEvents(page), (e) => e.length === 3, 'the three transitions');
    expect(await transitionEvents(page)()).toEqual(['Advanced on schedule', 'Advanced on schedule', 'Started']);
    expect(
      await page
        .getByTestId('transitions')
        .getByText(/^advance-/)
        .count(),
    ).toBe(2);
    await screenshot(page, 'rollout-plan-completed');
  });

  test('when a plan’s step keeps failing, then its page shows the failure reason, and retry runs it on', async () => {
    const page = await browser.newPage();
    await browser.signIn(page, 'ops@flagpole.test', {
      start: '/rollouts/new?tenant=acme',
      landing: /\/rollouts\/new\?tenant=acme/,
    });
    const key = 'orders.partial-refunds';
    await page.getByTestId('plan-flag').locator('input').fill('partial');
    await page.getByRole('option', { name: new RegExp(key) }).click();
    await page.getByTestId('plan-template').click();
    await page.getByRole('option', { name: 'Custom' }).click();
    await setStages(page, [10, 100], 1);
    await page.getByTestId('plan-save-draft').click();
    await page.waitForURL(/\/rollouts\/[0-9a-f-]{36}\?tenant=acme/);
    await expectVisible(page.getByTestId('plan-status').getByText('Draft'));
    const planId = new URL(page.url()).pathname.split('/').pop()!;

    // every attempt of the next step fails (the worker tries three times)
    await failNextAdvances(server.c.db, planId, 3);
    await confirmAction(page, 'start');
    await expectVisible(page.getByTestId('plan-status').getByText('Failed'));
    const failure = page.getByTestId('plan-failure');
    await expectVisible(failure);
    expect(await failure.getByTestId('failure-code').textContent()).toBe('INTERNAL');
    expect(await failure.getByTestId('failure-message').textContent()).toContain('the billing service did not answer');
    expect(await failure.textContent()).toContain('Attempt 3');
    await expectVisible(page.getByRole('progressbar', { name: `Rollout of ${key}` }));
    await screenshot(page, 'rollout-plan-failed');

    // the list of plans puts it first, as needing attention
    await page.getByTestId('nav-rollouts').click();
    await expectVisible(page.getByTestId('plan-row').first().getByTestId('plan-status').getByText('Failed'));
    await screenshot(page, 'rollouts-list');
    await page.getByTestId('plan-row').first().getByTestId('plan-flag').click();

    // retry: the step runs again and the plan completes
    await confirmAction(page, 'retry');
    await expectVisible(page.getByTestId('plan-status').getByText('Completed'));
    expect(await page.getByTestId('plan-failure').count()).toBe(0);
    await eventually(transitionEvents(page), (e) => e.length === 4, 'the four transitions');
    expect(await transitionEvents(page)()).toEqual(['Advanced on schedule', 'Retried', 'Failed', 'Started']);
  });
});
