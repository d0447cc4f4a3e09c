import type { Page } from 'playwright-core';
import { expectVisible, flagRow, screenshot, TestBrowser } from '../support/browser';
import { startE2eServer, type E2eServer } from '../support/e2e-server';

/** Targeting in the browser: rules with the API's validation, "Try it", segments, and the audit diff. */

jest.setTimeout(180_000);

let server: E2eServer;
const browser = new TestBrowser(() => server);

beforeAll(async () => {
  server = await startE2eServer();
  await browser.start();
});
afterEach(() => browser.closeContexts());
afterAll(async () => {
  await browser.stop();
  await server?.stop();
});

async function addRule(page: Page, kind: 'Tenants' | 'Segment' | 'Percentage'): Promise<void> {
  await page.getByTestId('add-rule').click();
  await page.getByRole('menuitem', { name: kind }).click();
}

async function tryContext(page: Page, attributes: Record<string, string>) {
  const tryIt = page.getByTestId('try-it');
  const rows = tryIt.getByTestId('context-row');
  for (const [i, [name, value]] of Object.entries(attributes).entries()) {
    if ((await rows.count()) <= i) await tryIt.getByRole('button', { name: 'Add attribute' }).click();
    await rows.nth(i).getByTestId('context-name').fill(name);
    await rows.nth(i).getByTestId('context-value').fill(value);
  }
  const result = tryIt.getByTestId('try-result');
  const run = (await result.count()) ? Number(await result.getAttribute('data-run')) : 0;
  await tryIt.getByTestId('try-run').click();
  await expectVisible(tryIt.locator(`[data-testid="try-result"][data-run="${run + 1}"]`));
  return {
    value: (await tryIt.getByTestId('try-value').textContent())?.trim(),
    reason: (await tryIt.getByTestId('try-reason').textContent())?.trim(),
    outcomes: await tryIt.getByTestId('try-rule').evaluateAll((els) => els.map((e) => e.getAttribute('data-outcome'))),
  };
}

describe('targeting a flag', () => {
  test('when an editor creates a flag, adds a 10% rule and a tenant rule and tries contexts, then each answer says why and the audit shows the rules before → after', async () => {
    const page = await browser.newPage();
    await browser.signIn(page, 'editor@acme.test');
    const key = 'checkout.gift-cards';

    await page.getByRole('button', { name: 'New flag' }).click();
    const dialog = page.getByRole('dialog', { name: 'New flag' });
    await dialog.getByLabel('Key').fill(key);
    await dialog.getByLabel('Description').fill('Pay with gift cards at checkout');
    await dialog.getByRole('button', { name: 'Create flag' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await flagRow(page, key).click();
    const drawer = page.getByTestId('flag-drawer');
    await expectVisible(drawer.getByTestId('drawer-key').getByText(key));
    await drawer.getByTestId('edit-about').click();
    await drawer.getByLabel('Tags').fill('checkout, gift-cards');
    await drawer.getByTestId('save-about').click();
    await expectVisible(drawer.getByTestId('drawer-tags').getByText('gift-cards'));
    await drawer.getByRole('button', { name: 'Enable' }).click();
    await expectVisible(drawer.getByTestId('drawer-state').getByText('ON'));

    // targeting: a percentage the API refuses, then a good one, and a tenant list
    await drawer.getByRole('tab', { name: 'Targeting' }).click();
    await page.waitForURL(/[?&]tab=targeting/);
    await expectVisible(drawer.getByTestId('rules-empty'));
    await addRule(page, 'Percentage');
    const percent = drawer.getByTestId('rule').nth(0).getByTestId('rule-percent').locator('input');
    await percent.fill('150');
    await addRule(page, 'Tenants');
    await drawer.getByTestId('rule').nth(1).getByLabel('Subject tenants').fill('acme, globex');
    await drawer.getByTestId('save-rules').click();
    const refusal = drawer.getByTestId('rule').nth(0).getByTestId('rule-error');
    await expectVisible(refusal);
    expect(await refusal.textContent()).toMatch(/0–100/);
    await screenshot(page, 'drawer-rules-validation');

    await percent.fill('10');
    await drawer.getByTestId('save-rules').click();
    await expectVisible(drawer.getByText(/Saved \(version \d+\)/));
    expect(await drawer.getByTestId('rule-error').count()).toBe(0);
    await screenshot(page, 'drawer-targeting');

    // try it: a listed tenant is in by the tenant rule; an unlisted one is decided by the percentage
    await drawer.getByRole('tab', { name: 'Try it' }).click();
    const listed = await tryContext(page, { targetingKey: 'user-42', tenantId: 'globex' });
    expect(listed).toMatchObject({ value: 'ON', reason: 'TARGETING_MATCH' });
    expect(listed.outcomes).toEqual(['no_match', 'match']);
    const unlisted = await tryContext(page, { targetingKey: 'user-42', tenantId: 'initech' });
    expect(unlisted.reason).toBe('SPLIT');
    expect(unlisted.value).toBe(unlisted.outcomes[0] === 'match' ? 'ON' : 'OFF');
    await expectVisible(drawer.getByTestId('try-bucket').getByText(/bucket \d+ of 10000/));
    await screenshot(page, 'drawer-try-it');

    // the audit trail: the rules as they were → as they are
    await drawer.getByRole('tab', { name: 'Overview' }).click();
    const event = drawer.locator('[data-testid="audit-event"][data-action="feature_flag.rules_replaced"]');
    await expectVisible(event);
    const added = (await event.getByTestId('audit-line-added').allTextContents()).map((t) => t.trim());
    expect(added).toEqual(['+ 10% of contexts by targetingKey', '+ tenant is one of acme, globex']);
    expect(await event.getByTestId('audit-line-removed').count()).toBe(0);
    await event.scrollIntoViewIfNeeded();
    await screenshot(page, 'drawer-audit-diff');
  });

  test('when an editor defines a segment and targets it, then the segment lists the flag that uses it and the playground explains each constraint', async () => {
    const page = await browser.newPage();
    await browser.signIn(page, 'editor@acme.test');

    await page.getByTestId('nav-segments').click();
    await page.waitForURL(/\/segments\?tenant=acme/);
    await expectVisible(page.getByTestId('segments-empty'));
    await page.getByRole('button', { name: 'New segment' }).first().click();
    await page.getByLabel('Name').fill('EU enterprise');
    const first = page.getByTestId('constraint').nth(0);
    await first.getByLabel('Values 1').fill('DE, FR');
    await page.getByTestId('add-constraint').click();
    const second = page.getByTestId('constraint').nth(1);
    await second.getByRole('combobox').first().fill('seats');
    await second.getByTestId('constraint-operator').click();
    await page.getByRole('option', { name: /^>\s+\(num_gt\)/ }).click();
    await second.getByLabel('Values 2').fill('many');
    await page.getByTestId('segment-save').click();
    // the API's message lands on the constraint it is about
    await expectVisible(second.getByTestId('constraint-error').getByText(/needs a number/));
    await second.getByLabel('Values 2').fill('50');
    await page.getByTestId('segment-save').click();
    await page.waitForURL(/\/segments\/[0-9a-f-]{36}\?tenant=acme/);
    await expectVisible(page.getByRole('heading', { name: 'EU enterprise' }));
    await expectVisible(page.getByTestId('segment-used-by').getByText(/No flag/));

    // target it from a flag
    await page.goto(`${browser.url}/feature-flags?tenant=acme&q=apple-pay`);
    await flagRow(page, 'checkout.apple-pay').click();
    const drawer = page.getByTestId('flag-drawer');
    await drawer.getByRole('tab', { name: 'Targeting' }).click();
    await addRule(page, 'Segment');
    await drawer.getByTestId('rule-segment').click();
    await page.getByRole('option', { name: 'EU enterprise' }).click();
    await drawer.getByTestId('save-rules').click();
    await expectVisible(drawer.getByText(/Saved \(version \d+\)/));

    await drawer.getByRole('tab', { name: 'Try it' }).click();
    const result = await tryContext(page, { targetingKey: 'merchant-7', country: 'FR', seats: '12' });
    expect(result).toMatchObject({ value: 'OFF', reason: 'DEFAULT', outcomes: ['no_match'] });
    const constraints = drawer.getByTestId('try-rule').locator('li');
    expect(await constraints.evaluateAll((els) => els.map((e) => e.className))).toEqual(['holds', 'fails']);

    // the segment now says where it is used
    await page.goto(`${browser.url}/segments?tenant=acme`);
    await page.getByTestId('segment-name').getByText('EU enterprise').click();
    await expectVisible(page.getByTestId('segment-used-by').getByText('checkout.apple-pay'));
    await screenshot(page, 'segment-editor');
  });
});
