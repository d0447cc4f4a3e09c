import type { Page } from 'playwright-core';
import { startE2eServer, type E2eServer } from '../support/e2e-server';
import {
  expectVisible,
  flagRow as rowFor,
  flagRows as rows,
  screenshot,
  signOut,
  TestBrowser,
} from '../support/browser';

/**
 * The web app in a real browser, against the real api serving the built web/dist,
 * on a fresh database with the demo seed.
 */

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

const newPage = () => browser.newPage();
const signIn = (page: Page, email: string, options?: Parameters<TestBrowser['signIn']>[2]) =>
  browser.signIn(page, email, options);

/** Waits until the table shows exactly the given keys, in any order. */
async function expectKeys(page: Page, expected: (keys: string[]) => boolean, what: string): Promise<string[]> {
  const deadline = Date.now() + 10_000;
  let keys: string[] = [];
  while (Date.now() < deadline) {
    keys = await page.getByTestId('flag-key').allTextContents();
    if (expected(keys)) return keys;
    await page.waitForTimeout(100);
  }
  throw new Error(`the flag list never showed ${what}; it showed ${JSON.stringify(keys)}`);
}

async function auditEvents(page: Page) {
  const items = page.getByTestId('flag-drawer').getByTestId('audit-event');
  const out: Array<{
    action: string | null;
    actor: string;
    changes: Record<string, { before: string | null; after: string }>;
    reason: string | null;
  }> = [];
  for (const item of await items.all()) {
    const changes: Record<string, { before: string | null; after: string }> = {};
    for (const change of await item.getByTestId('audit-change').all()) {
      const field = (await change.getAttribute('data-field'))!;
      const before = change.getByTestId('audit-before');
      changes[field] = {
        before: (await before.count()) ? (await before.textContent())!.trim() : null,
        after: (await change.getByTestId('audit-after').textContent())!.trim(),
      };
    }
    const reason = item.getByTestId('audit-reason');
    out.push({
      action: await item.getAttribute('data-action'),
      actor: (await item.getByTestId('audit-actor').textContent())!.trim(),
      changes,
      reason: (await reason.count()) ? (await reason.textContent())!.trim() : null,
    });
  }
  return out;
}

describe('the feature flags page', () => {
  test('when an editor runs the five-minute demo, then the flag they create, disable and enable shows both changes in its audit trail', async () => {
    const page = await newPage();

    // unauthenticated: sent to the login page, then back to the page asked for
    await signIn(page, 'editor@acme.test', { screenshotAs: 'login' });
    const header = page.getByRole('banner');
    await expectVisible(header.getByText('Flagpole', { exact: true }));
    await expectVisible(header.getByRole('link', { name: 'Feature flags' }));
    expect((await page.getByTestId('current-role').textContent())?.trim()).toBe('editor');
    await expectVisible(rowFor(page, 'checkout.one-page'));
    expect(await rows(page).count()).toBeGreaterThanOrEqual(12);
    await screenshot(page, 'list');

    // search: the list narrows to the matching flags, and the URL carries the query
    await page.getByLabel('Search flags').fill('checkout');
    const found = await expectKeys(
      page,
      (keys) => keys.length === 3 && keys.every((k) => k.startsWith('checkout.')),
      'the three checkout flags',
    );
    expect(found.sort()).toEqual(['checkout.address-autocomplete', 'checkout.apple-pay', 'checkout.one-page']);
    await page.waitForURL(/[?&]q=checkout/);

    // filter: only the enabled ones among them
    await page.getByTestId('enabled-filter').getByText('On', { exact: true }).click();
    await expectKeys(
      page,
      (keys) => keys.length === 2 && !keys.includes('checkout.address-autocomplete'),
      'the two enabled checkout flags',
    );
    await page.getByTestId('enabled-filter').getByText('All', { exact: true }).click();

    // a search that matches nothing says so
    await page.getByLabel('Search flags').fill('no-such-flag-anywhere');
    await expectVisible(page.getByTestId('flags-empty').getByText('No flags match'));
    await page.getByLabel('Search flags').fill('');
    await expectKeys(page, (keys) => keys.length >= 12, 'every flag again');

    // create: the API's validation message shows next to the field
    await page.getByRole('button', { name: 'New flag' }).click();
    const dialog = page.getByRole('dialog', { name: 'New flag' });
    await expectVisible(dialog);
    await dialog.getByLabel('Key').fill('Checkout Express');
    await dialog.getByLabel('Description').fill('Express checkout for returning shoppers');
    await dialog.getByLabel('Tags').fill('checkout, express');
    await dialog.getByRole('button', { name: 'Create flag' }).click();
    await expectVisible(dialog.getByTestId('field-error-key'));
    expect(await dialog.getByTestId('field-error-key').textContent()).toMatch(/lowercase/);
    await screenshot(page, 'create-dialog');

    const key = 'checkout.express';
    await dialog.getByLabel('Key').fill(key);
    await dialog.getByRole('button', { name: 'Create flag' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expectVisible(rowFor(page, key));
    expect((await rowFor(page, key).getByTestId('flag-state').textContent())?.trim()).toBe('OFF');

    // open its drawer from the list
    await page.getByLabel('Search flags').fill('express');
    await expectKeys(page, (keys) => keys.length === 1 && keys[0] === key, `only ${key}`);
    await rowFor(page, key).click();
    const drawer = page.getByTestId('flag-drawer');
    await expectVisible(drawer);
    await expectVisible(drawer.getByTestId('drawer-key').getByText(key));
    await expectVisible(drawer.getByText('Express checkout for returning shoppers'));
    await expectVisible(drawer.getByTestId('drawer-tags').getByText('express'));
    expect((await drawer.getByTestId('drawer-state').textContent())?.trim()).toBe('OFF');
    await page.waitForURL(/[?&]flag=/);

    // a new flag starts off: turn it on so the kill switch has something to do
    await drawer.getByRole('button', { name: 'Enable' }).click();
    await expectVisible(drawer.getByTestId('drawer-state').getByText('ON'));
    await expectVisible(rowFor(page, key).getByTestId('flag-state').getByText('ON'));

    // disable, with a reason
    await drawer.getByRole('button', { name: 'Disable' }).click();
    await drawer.getByLabel('Reason').fill('Payment errors after the release');
    await drawer.getByRole('button', { name: 'Disable flag' }).click();
    await expectVisible(drawer.getByTestId('drawer-state').getByText('OFF'));
    await expectVisible(rowFor(page, key).getByTestId('flag-state').getByText('OFF'));

    // and enable it again
    await drawer.getByRole('button', { name: 'Enable' }).click();
    await expectVisible(drawer.getByTestId('drawer-state').getByText('ON'));
    await expectVisible(rowFor(page, key).getByTestId('flag-state').getByText('ON'));
    expect((await drawer.getByTestId('drawer-version').textContent())?.trim()).toBe('4');

    // the audit trail, newest first: who did what, before → after
    await expectVisible(drawer.getByTestId('audit-event').nth(3));
    const events = await auditEvents(page);
    expect(events.map((e) => e.action)).toEqual([
      'feature_flag.enabled',
      'feature_flag.disabled',
      'feature_flag.enabled',
      'feature_flag.created',
    ]);
    for (const e of events) expect(e.actor).toBe('editor@acme.test');
    expect(events[0].changes).toEqual({ enabled: { before: 'off', after: 'on' } });
    expect(events[1].changes).toEqual({ enabled: { before: 'on', after: 'off' } });
    expect(events[1].reason).toBe('Payment errors after the release');
    expect(events[3].changes.key).toEqual({ before: null, after: key });
    await screenshot(page, 'drawer');

    // closing the drawer with Escape keeps the search
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'hidden' });
    expect(new URL(page.url()).searchParams.get('flag')).toBeNull();
    expect(new URL(page.url()).searchParams.get('q')).toBe('express');
  });

  test('when a viewer opens the feature flags, then the list shows and the create, enable and disable buttons are absent', async () => {
    const page = await newPage();
    await signIn(page, 'viewer@acme.test');

    expect((await page.getByTestId('current-role').textContent())?.trim()).toBe('viewer');
    await expectVisible(rowFor(page, 'checkout.one-page'));
    expect(await rows(page).count()).toBeGreaterThanOrEqual(12);
    expect(await page.getByRole('button', { name: 'New flag' }).count()).toBe(0);
    await screenshot(page, 'viewer-list');

    // one flag that is on and one that is off: neither offers a switch
    for (const key of ['checkout.one-page', 'checkout.address-autocomplete']) {
      await rowFor(page, key).click();
      const drawer = page.getByTestId('flag-drawer');
      await expectVisible(drawer.getByTestId('drawer-key').getByText(key));
      await expectVisible(drawer.getByTestId('audit-event'));
      expect(await drawer.getByRole('button', { name: 'Enable' }).count()).toBe(0);
      expect(await drawer.getByRole('button', { name: /^Disable/ }).count()).toBe(0);
      if (key === 'checkout.one-page') await screenshot(page, 'viewer-drawer');
      await page.keyboard.press('Escape');
      await drawer.waitFor({ state: 'hidden' });
    }
  });

  test('when an admin follows a link to another tenant or switches tenant, then the list, the role and the URL follow, and a banner says when writes are off', async () => {
    const page = await newPage();
    await signIn(page, 'admin@flagpole.test', { landing: /\/feature-flags\?tenant=[a-z]+/ });

    // a pasted link opens the tenant it names
    await page.goto(`${server.url}/feature-flags?tenant=platform`);
    await expectVisible(rowFor(page, 'platform.edge-cache'));
    expect((await page.getByTestId('tenant-current').textContent())?.trim()).toContain('Flagpole Platform Ops');
    expect((await page.getByTestId('current-role').textContent())?.trim()).toBe('admin');

    // the switcher lists every tenant of the user with their role in it
    await page.getByRole('combobox', { name: 'Tenant' }).click();
    const options = page.getByRole('option');
    await expectVisible(options.filter({ hasText: 'Acme Outfitters' }));
    expect(await options.count()).toBe(3);
    for (const option of await options.all()) expect(await option.textContent()).toMatch(/admin$/);
    await screenshot(page, 'tenant-switcher');
    await options.filter({ hasText: 'Acme Outfitters' }).click();
    await page.waitForURL(/[?&]tenant=acme/);
    await expectVisible(rowFor(page, 'checkout.one-page'));
    expect(await rowFor(page, 'platform.edge-cache').count()).toBe(0);

    // the last tenant used is remembered when the URL names none
    await page.goto(`${server.url}/feature-flags`);
    await page.waitForURL(/[?&]tenant=acme/);

    // writes switched off in globex: a banner says so, and the create button is disabled
    const me = await (await page.request.get(`${server.url}/auth/me`)).json();
    const switchWrites = (action: 'disable-writes' | 'enable-writes') =>
      page.request.post(`${server.url}/admin/settings/actions/${action}`, {
        headers: {
          'X-CSRF-Token': me.csrfToken,
          'X-Tenant-Id': 'globex',
          'Idempotency-Key': `e2e-${action}-${Date.now()}`,
        },
        data: action === 'disable-writes' ? { reason: 'Quarterly release freeze' } : {},
      });
    expect((await switchWrites('disable-writes')).status()).toBe(200);
    try {
      await page.goto(`${server.url}/feature-flags?tenant=globex`);
      const banner = page.getByTestId('writes-off-banner');
      await expectVisible(banner);
      expect(await banner.textContent()).toContain('Quarterly release freeze');
      expect(await page.getByRole('button', { name: 'New flag' }).isDisabled()).toBe(true);
      await screenshot(page, 'writes-off-banner');
      await page.goto(`${server.url}/feature-flags?tenant=acme`);
      await expectVisible(rowFor(page, 'checkout.one-page'));
      expect(await page.getByTestId('writes-off-banner').count()).toBe(0);
    } finally {
      await switchWrites('enable-writes');
    }
  });

  test('when a signed-out user opens a link to a flag, then after signing in the same flag opens', async () => {
    const page = await newPage();
    await signIn(page, 'editor@acme.test');
    const flag = (
      await (
        await page.request.get(`${server.url}/admin/feature-flags?q=apple-pay`, { headers: { 'X-Tenant-Id': 'acme' } })
      ).json()
    ).items[0];
    await signOut(page);
    await page.waitForURL(/\/login$/);

    const link = `/feature-flags?tenant=acme&q=checkout&flag=${flag.id}`;
    await signIn(page, 'viewer@acme.test', {
      start: link,
      landing: (url) => url.pathname === '/feature-flags' && url.searchParams.get('flag') === flag.id,
    });
    const drawer = page.getByTestId('flag-drawer');
    await expectVisible(drawer.getByTestId('drawer-key').getByText('checkout.apple-pay'));
    expect(await page.getByLabel('Search flags').inputValue()).toBe('checkout');
    await expectVisible(drawer.getByTestId('read-only-note'));
  });

  test('when an editor ticks four flags and disables them, then the confirmation lists the three that change, and those three turn off', async () => {
    const page = await newPage();
    await signIn(page, 'editor@acme.test');
    const on = ['marketing.abandoned-cart-email', 'orders.partial-refunds', 'search.typo-tolerance'];
    const alreadyOff = 'storefront.dark-mode';
    for (const key of [...on, alreadyOff]) {
      await expectVisible(rowFor(page, key));
      await rowFor(page, key).getByRole('checkbox').check();
    }
    const bar = page.getByTestId('bulk-bar');
    await expectVisible(bar.getByText('4', { exact: true }));
    await bar.getByRole('button', { name: 'Disable' }).click();

    const dialog = page.getByRole('dialog', { name: 'Disable 4 flags' });
    await expectVisible(dialog);
    const changes = (await dialog.getByTestId('bulk-change-key').allTextContents()).map((t) => t.trim());
    expect(changes.sort()).toEqual(on);
    expect(await dialog.getByTestId('bulk-unchanged').textContent()).toContain(alreadyOff);
    await dialog.getByLabel('Reason').fill('Freeze before the sale');
    await screenshot(page, 'bulk-disable');
    await dialog.getByRole('button', { name: 'Disable 3 flags' }).click();
    await dialog.waitFor({ state: 'hidden' });

    for (const key of on) await expectVisible(rowFor(page, key).getByTestId('flag-state').getByText('OFF'));
    expect(await page.getByTestId('bulk-bar').count()).toBe(0);

    // each flag's own trail says who turned it off and why
    await rowFor(page, on[0]).click();
    const drawer = page.getByTestId('flag-drawer');
    const latest = drawer.getByTestId('audit-event').first();
    await expectVisible(latest.getByTestId('audit-reason').getByText('Freeze before the sale'));
    expect(await latest.getAttribute('data-action')).toBe('feature_flag.disabled');
  });
});
