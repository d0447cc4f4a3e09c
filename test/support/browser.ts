import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import type { E2eServer } from './e2e-server';

/** Debian's Chromium, never a downloaded one. */
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
export const PASSWORD = 'flagpole-demo';
export const SCREENSHOTS = path.join(__dirname, '..', 'e2e', 'screenshots');

/** One browser per test file; each test gets fresh contexts (cookies, storage) from `newPage`. */
export class TestBrowser {
  private browser!: Browser;
  private readonly contexts: BrowserContext[] = [];

  constructor(private readonly server: () => E2eServer) {}

  async start(): Promise<void> {
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    this.browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  }

  async closeContexts(): Promise<void> {
    while (this.contexts.length) await this.contexts.pop()!.close();
  }

  async stop(): Promise<void> {
    await this.browser?.close();
  }

  async newPage(): Promise<Page> {
    // bypassCSP lets the test inject axe-core; the app itself runs under its real policy otherwise
    const context = await this.browser.newContext({
      viewport: { width: 1400, height: 900 },
      locale: 'en-US',
      reducedMotion: 'reduce',
      bypassCSP: true,
    });
    this.contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    // any error the app logs is a failure worth seeing in the test output
    page.on('pageerror', (err) => console.error(`page error: ${err.message}`));
    return page;
  }

  get url(): string {
    return this.server().url;
  }

  /** The API as a signed-in person, for setting the stage of a test (not for what is under test). */
  async api(email: string, tenant: string): Promise<ApiCall> {
    const context = await this.browser.newContext();
    this.contexts.push(context);
    const login = await context.request.post(`${this.url}/auth/login`, { data: { email, password: PASSWORD } });
    if (!login.ok()) throw new Error(`signing in ${email} answered ${login.status()}`);
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    let n = 0;
    return async (method, url, data) => {
      n += 1;
      const res = await context.request[method](`${this.url}${url}`, {
        headers: { 'X-CSRF-Token': csrfToken, 'X-Tenant-Id': tenant, 'Idempotency-Key': `e2e-${Date.now()}-${n}` },
        data,
      });
      const text = await res.text();
      return { status: res.status(), body: text ? JSON.parse(text) : undefined };
    };
  }

  /** Opens a page that needs a session and signs in on the login page it is sent to. */
  async signIn(
    page: Page,
    email: string,
    options: { start?: string; landing?: RegExp | ((url: URL) => boolean); screenshotAs?: string } = {},
  ): Promise<void> {
    await page.goto(`${this.url}${options.start ?? '/feature-flags'}`);
    await page.waitForURL(/\/login\?next=/);
    await expectVisible(page.getByRole('heading', { name: 'Sign in' }));
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    if (options.screenshotAs) await screenshot(page, options.screenshotAs);
    await page.getByRole('button', { name: 'Sign in' }).click();
    // either the app opens, or the login form says why not (and that message is the failure)
    const landed = page.waitForURL(options.landing ?? /\/feature-flags\?tenant=acme/).then(() => true);
    const refused = page
      .getByTestId('error-message')
      .waitFor()
      .then(() => false);
    landed.catch(() => undefined);
    refused.catch(() => undefined);
    if (!(await Promise.race([landed, refused]))) {
      throw new Error(
        `signing in as ${email} failed: ${(await page.getByTestId('error-message').textContent())?.trim()}`,
      );
    }
    await landed;
  }
}

export async function screenshot(page: Page, name: string): Promise<void> {
  // let transitions (drawer, dialog, toasts) settle before the picture
  await page.waitForTimeout(400);
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
}

export async function expectVisible(locator: Locator): Promise<void> {
  await locator.first().waitFor({ state: 'visible' });
}

/** Polls `probe` (a read of the page) until `ok` holds; a bounded wait for the app's own polling. */
export async function eventually<T>(
  probe: () => Promise<T>,
  ok: (value: T) => boolean,
  what: string,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await probe();
  while (!ok(value)) {
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last saw ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 100));
    value = await probe();
  }
  return value;
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

/** axe-core on the page as it is now; returns the serious and critical violations. */
export async function seriousA11yViolations(page: Page): Promise<AxeViolation[]> {
  await page.addScriptTag({ path: require.resolve('axe-core') });
  const violations: AxeViolation[] = await page.evaluate(async () => {
    const axe = (
      window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: AxeViolation[] }> } }
    ).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })),
    }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** A readable summary for a failing assertion. */
export function describeViolations(violations: AxeViolation[]): string {
  return violations
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help}\n${v.nodes.map((n) => `   ${n.target.join(' ')} — ${n.failureSummary ?? ''}`).join('\n')}`,
    )
    .join('\n');
}

/** The rows of the flag list, and one row by key. */
export const flagRows = (page: Page) => page.getByTestId('flag-row');
export const flagRow = (page: Page, key: string) =>
  flagRows(page).filter({ has: page.getByTestId('flag-key').getByText(key, { exact: true }) });

/** Signs out through the account menu. */
export async function signOut(page: Page): Promise<void> {
  await page.getByTestId('account-button').click();
  await page.getByRole('button', { name: 'Sign out' }).click();
}

export type ApiCall = (
  method: 'get' | 'post' | 'put' | 'patch',
  url: string,
  data?: object,
) => Promise<{ status: number; body: unknown }>;
