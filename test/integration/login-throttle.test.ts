import fc from 'fast-check';
import type { Server } from 'node:http';
import request from 'supertest';
import * as passwords from '../../modules/auth/passwords';
import { FakeClock } from '../support/fake-clock';
import { createTenant, createTestApp, signIn, TEST_PASSWORD, uniqueSuffix, type TestTenant } from '../support/test-app';

/** One listening server per app, so a burst of requests does not open a server per request. */
async function started(env: Record<string, string>, clock?: FakeClock) {
  const app = await createTestApp({ clock, env });
  const server: Server = await new Promise((resolve) => {
    const s = app.app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const login = (email: string, password: string, forwardedFor?: string) => {
    const req = request(server).post('/auth/login');
    return (forwardedFor ? req.set('X-Forwarded-For', forwardedFor) : req).send({ email, password });
  };
  const close = async () => {
    await new Promise((resolve) => server.close(resolve));
    await app.close();
  };
  return { app, login, close };
}

const statuses = (responses: Array<{ status: number }>) =>
  responses.reduce<Record<number, number>>((acc, r) => ({ ...acc, [r.status]: (acc[r.status] ?? 0) + 1 }), {});

/** Addresses from a seeded generator, so a failure replays with the same ones. */
jest.setTimeout(30_000); // dozens of scrypt checks on a 2-core machine busy with other test files

const addresses = (n: number, seed: number) =>
  fc.sample(fc.uniqueArray(fc.ipV4(), { minLength: n, maxLength: n }), { seed, numRuns: 1 })[0];

let tenant: TestTenant;
let t: Awaited<ReturnType<typeof started>>;

beforeAll(async () => {
  t = await started({ LOGIN_MAX_FAILURES: '10' });
  tenant = await createTenant(t.app.c);
});
afterAll(() => t.close());
afterEach(() => jest.restoreAllMocks());

describe('login throttle under concurrency', () => {
  it('when 40 wrong passwords arrive at once with a limit of 10, then exactly 10 are checked (401) and 30 are refused (429 + Retry-After)', async () => {
    const { email } = await signIn(t.app, { [tenant.slug]: 'viewer' });
    const checks = jest.spyOn(passwords, 'verifyPassword');
    const responses = await Promise.all(Array.from({ length: 40 }, () => t.login(email, 'wrong-password')));
    expect(statuses(responses)).toEqual({ 401: 10, 429: 30 });
    expect(checks).toHaveBeenCalledTimes(10);
    for (const r of responses.filter((x) => x.status === 429)) {
      expect(r.body.error.code).toBe('RATE_LIMITED');
      expect(Number(r.headers['retry-after'])).toBeGreaterThan(0);
    }
  });

  it('when 149 wrong passwords and the right one are fired together, then at most 10 passwords are checked, and the address stays throttled', async () => {
    const { email } = await signIn(t.app, { [tenant.slug]: 'viewer' });
    const checks = jest.spyOn(passwords, 'verifyPassword');
    // the right one first, so that it is usually among the first ten checked and signs in: its success must not wipe the racing count
    const responses = await Promise.all([
      t.login(email, TEST_PASSWORD),
      ...Array.from({ length: 149 }, () => t.login(email, 'wrong-password')),
    ]);
    const counts = statuses(responses);
    // the exact property: every answer is 200, 401 or 429; passwords checked = 401s + 200s = spy calls ≤ 10; the right one is 200 or 429
    expect(Object.keys(counts).every((s) => ['200', '401', '429'].includes(s))).toBe(true);
    expect((counts[401] ?? 0) + (counts[200] ?? 0)).toBe(checks.mock.calls.length);
    expect(checks.mock.calls.length).toBeLessThanOrEqual(10);
    expect([200, 429]).toContain(responses[0].status);
    expect(counts[200] ?? 0).toBeLessThanOrEqual(1);
    // the count was not reset by the success: the right password from this address is still refused in this window
    await t.login(email, TEST_PASSWORD).expect(429);
  });

  it('when an attempt is refused, then the email is not even looked up, so known and unknown emails answer alike; the dummy hash costs what a real one does', async () => {
    const { email } = await signIn(t.app, { [tenant.slug]: 'viewer' });
    const unknown = `nobody-${uniqueSuffix()}@example.test`;
    for (const who of [email, unknown]) {
      for (let i = 0; i < 10; i++) await t.login(who, 'wrong-password').expect(401);
    }
    const lookups = jest.spyOn(t.app.c.repos.users, 'findByEmail');
    const checks = jest.spyOn(passwords, 'verifyPassword');
    const known = await t.login(email, TEST_PASSWORD).expect(429);
    const stranger = await t.login(unknown, TEST_PASSWORD).expect(429);
    expect(stranger.body.error).toEqual({ ...known.body.error, requestId: stranger.body.error.requestId });
    expect(lookups).not.toHaveBeenCalled();
    expect(checks).not.toHaveBeenCalled();

    const params = (hash: string) =>
      hash.split('$').map((part, i) => (i < 4 ? part : Buffer.from(part, 'base64url').length));
    expect(params(passwords.DUMMY_HASH)).toEqual(params(await passwords.hashPassword('anything')));
  });
});

describe('per-account limit', () => {
  it('when wrong passwords come from many addresses at once, then only the account limit is checked, and the owner is refused from a new address until the window ends', async () => {
    const clock = new FakeClock();
    const a = await started(
      {
        LOGIN_MAX_FAILURES: '3',
        FLAGPOLE_LOGIN_ACCOUNT_MAX_FAILURES: '5',
        LOGIN_WINDOW_SECONDS: '60',
        FLAGPOLE_TRUST_PROXY: 'loopback',
      },
      clock,
    );
    try {
      const { email } = await signIn(a.app, { [tenant.slug]: 'viewer' });
      const [owner, ...attackers] = addresses(21, 20261202);
      const responses = await Promise.all(attackers.map((ip) => a.login(email, 'wrong-password', ip)));
      expect(statuses(responses)).toEqual({ 401: 5, 429: 15 });
      const refused = await a.login(email, TEST_PASSWORD, owner).expect(429);
      expect(refused.headers['retry-after']).toBe('60');
      // the throttle is on the account, not on the address
      await signIn(a.app, { [tenant.slug]: 'viewer' });

      clock.advance(60_000);
      await a.login(email, TEST_PASSWORD, owner).expect(200);
    } finally {
      await a.close();
    }
  });

  it('when the owner signs in between guesses from other addresses, then the guesses before still count against the account; unknown emails are limited alike', async () => {
    const a = await started({
      LOGIN_MAX_FAILURES: '3',
      FLAGPOLE_LOGIN_ACCOUNT_MAX_FAILURES: '5',
      FLAGPOLE_TRUST_PROXY: 'loopback',
    });
    try {
      const { email } = await signIn(a.app, { [tenant.slug]: 'viewer' });
      const ips = addresses(8, 7);
      for (const ip of ips.slice(0, 4)) await a.login(email, 'wrong-password', ip).expect(401);
      await a.login(email, TEST_PASSWORD, ips[4]).expect(200);
      await a.login(email, 'wrong-password', ips[5]).expect(401);
      await a.login(email, 'wrong-password', ips[6]).expect(429);

      const unknown = `nobody-${uniqueSuffix()}@example.test`;
      for (const ip of ips.slice(0, 5)) await a.login(unknown, 'wrong-password', ip).expect(401);
      await a.login(unknown, 'wrong-password', ips[5]).expect(429);
    } finally {
      await a.close();
    }
  });
});

describe('client address', () => {
  it('when FLAGPOLE_TRUST_PROXY is not set, then X-Forwarded-For is ignored: a client that sends a new one on each attempt is throttled by its real address', async () => {
    const a = await started({ LOGIN_MAX_FAILURES: '3' });
    try {
      const email = `u-${uniqueSuffix()}@example.test`;
      const responses = [];
      for (const ip of addresses(8, 42)) responses.push(await a.login(email, 'wrong-password', ip));
      expect(responses.map((r) => r.status)).toEqual([401, 401, 401, 429, 429, 429, 429, 429]);
    } finally {
      await a.close();
    }
  });

  it('when FLAGPOLE_TRUST_PROXY trusts the proxy in front, then the forwarded address is the one throttled', async () => {
    const a = await started({ LOGIN_MAX_FAILURES: '3', FLAGPOLE_TRUST_PROXY: 'loopback' });
    try {
      const email = `u-${uniqueSuffix()}@example.test`;
      const [first, ...others] = addresses(5, 43);
      for (let i = 0; i < 3; i++) await a.login(email, 'wrong-password', first).expect(401);
      await a.login(email, 'wrong-password', first).expect(429);
      for (const ip of others) await a.login(email, 'wrong-password', ip).expect(401);
    } finally {
      await a.close();
    }
  });
});
