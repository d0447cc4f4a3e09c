import { randomUUID } from 'node:crypto';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { verifySignature } from '../../modules/notifications/signature';
import { DELIVERY_ERRORS } from '../../modules/notifications/webhooks.service';
import { SecretBox } from '../../modules/platform/secret-box';
import { startWorkers, type WorkerRuntime } from '../../worker/workers';
import { INTERNAL_TARGETS } from '../support/internal-targets';
import { createFlag, ROLLOUT_TEST_ENV, startPlan, waitFor } from '../support/rollouts';
import { bearer, createTenant, createTestApp, type TestApp } from '../support/test-app';

jest.setTimeout(20_000);

const SECRET = 'a-very-secret-webhook-key';

/** No allow-list: what a deployment runs with by default. */
let strict: TestApp;
/** The local receivers of these tests allow-listed; short timeout so a hanging receiver costs little. */
let allowing: TestApp;
let runtimes: WorkerRuntime[];
const servers: Server[] = [];

beforeAll(async () => {
  strict = await createTestApp({ env: ROLLOUT_TEST_ENV });
  allowing = await createTestApp({
    env: {
      ...ROLLOUT_TEST_ENV,
      FLAGPOLE_WEBHOOK_ALLOW_PRIVATE: '127.0.0.1/32,::1/128',
      FLAGPOLE_WEBHOOK_TIMEOUT_MS: '300',
    },
  });
  runtimes = [startWorkers(strict.c), startWorkers(allowing.c)];
});
afterAll(async () => {
  for (const s of servers) {
    s.closeAllConnections();
    s.close();
  }
  await Promise.all(runtimes.map((r) => r.close()));
  await strict.close();
  await allowing.close();
});

interface Receiver {
  port: number;
  url: string;
  received: Array<{ headers: Record<string, string | string[] | undefined>; body: string }>;
}

/** A receiver on 127.0.0.1; `answer` decides the response (the default is 200), or never answers when it returns 'hang'. */
async function receiver(
  answer: (res: ServerResponse) => void | 'hang' = (res) => void res.writeHead(200).end(),
): Promise<Receiver> {
  const received: Receiver['received'] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += String(d)));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      answer(res);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { port, url: `http://127.0.0.1:${port}/hooks`, received };
}

/** A port nothing listens on (a listener opened and closed). */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise((resolve) => s.close(resolve));
  return port;
}

/** A webhook row as a migration or an older version could have left it: the API would refuse its URL. */
async function insertHook(t: TestApp, tenantId: string, url: string): Promise<string> {
  const id = randomUUID();
  const now = new Date();
  const secret = new SecretBox(t.config.secretKeys).seal(SECRET);
  await t.c.db('webhooks').insert({
    id,
    tenantId,
    url,
    secret,
    events: ['plan.started'],
    enabled: true,
    version: 1,
    createdAt: now,
    updatedAt: now,
  });
  return id;
}

async function tenantWithTokens(t: TestApp) {
  const tenant = await createTenant(t.c);
  return { tenant, admin: await bearer(t.c, tenant, 'admin'), operator: await bearer(t.c, tenant, 'operator') };
}

/** Starts a rollout in the tenant, which sends `plan.started` to its webhooks. */
async function fireEvent(t: TestApp, admin: string, operator: string): Promise<void> {
  const flag = await createFlag(t, admin, `hooks.${randomUUID().slice(0, 8)}`);
  await startPlan(t, operator, flag.id);
}

const settled = (t: TestApp, admin: string, webhookId: string) =>
  waitFor(async () => {
    const { body } = await request(t.app)
      .get(`/admin/webhooks/${webhookId}/deliveries`)
      .set('Authorization', admin)
      .expect(200);
    return body.items[0]?.status !== undefined && body.items[0].status !== 'pending' && body.items[0];
  }, `the delivery of ${webhookId} to settle`);

describe('webhook targets at creation', () => {
  let admin: string;
  let tenantId: string;
  let publicHook: { id: string; version: number };
  beforeAll(async () => {
    const s = await tenantWithTokens(strict);
    admin = s.admin;
    tenantId = s.tenant.id;
    publicHook = (
      await request(strict.app)
        .post('/admin/webhooks')
        .set('Authorization', admin)
        .send({ url: 'https://hooks.example.com/in', secret: SECRET })
        .expect(201)
    ).body;
  });

  it.each([
    ...INTERNAL_TARGETS,
    'http://user:pass@hooks.example.com/',
    'http:///nohost',
    'http://',
    'http://exa mple.com/',
    'gopher://hooks.example.com/',
  ])('when a webhook is added or changed to %j, then it is a 400 naming url and nothing is stored', async (url) => {
    const created = await request(strict.app)
      .post('/admin/webhooks')
      .set('Authorization', admin)
      .send({ url, secret: SECRET })
      .expect(400);
    expect(created.body.error).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ path: 'url' }] });
    const changed = await request(strict.app)
      .patch(`/admin/webhooks/${publicHook.id}`)
      .set('Authorization', admin)
      .set('If-Match', `"${publicHook.version}"`)
      .send({ url })
      .expect(400);
    expect(changed.body.error.details[0].path).toBe('url');
    const rows = await strict.c.db('webhooks').where({ tenantId });
    expect(rows.map((r) => r.url)).toEqual(['https://hooks.example.com/in']);
  });
});

describe('webhook delivery', () => {
  it('when a receiver on 127.0.0.1 is not allow-listed, then it gets no request and the delivery log says blocked, without retries', async () => {
    const rx = await receiver();
    const { tenant, admin, operator } = await tenantWithTokens(strict);
    const literal = await insertHook(strict, tenant.id, rx.url);
    const byName = await insertHook(strict, tenant.id, `http://localhost:${rx.port}/hooks`);
    const odd = await insertHook(strict, tenant.id, `http://0x7f000001:${rx.port}/hooks`);
    await fireEvent(strict, admin, operator);
    for (const id of [literal, byName, odd]) {
      expect(await settled(strict, admin, id)).toMatchObject({
        status: 'failed',
        attempts: 1,
        lastStatusCode: null,
        lastError: DELIVERY_ERRORS.blocked,
      });
    }
    expect(DELIVERY_ERRORS.blocked).toContain('blocked: the address is not allowed');
    expect(rx.received).toEqual([]);
  });

  it('with FLAGPOLE_WEBHOOK_ALLOW_PRIVATE naming it, then the same receiver gets the signed event, by address and by name', async () => {
    const rx = await receiver();
    const { admin, operator } = await tenantWithTokens(allowing);
    const add = (url: string) =>
      request(allowing.app)
        .post('/admin/webhooks')
        .set('Authorization', admin)
        .send({ url, secret: SECRET, events: ['plan.started'] })
        .expect(201);
    const literal = (await add(rx.url)).body;
    const byName = (await add(`http://localhost:${rx.port}/by-name`)).body;
    await fireEvent(allowing, admin, operator);
    for (const hook of [literal, byName]) {
      expect(await settled(allowing, admin, hook.id)).toMatchObject({
        status: 'delivered',
        attempts: 1,
        lastStatusCode: 200,
      });
    }
    expect(rx.received).toHaveLength(2);
    const now = Math.floor(Date.now() / 1000);
    for (const { headers, body } of rx.received) {
      expect(
        verifySignature(
          SECRET,
          String(headers['x-flagpole-timestamp']),
          body,
          String(headers['x-flagpole-signature']),
          now,
        ),
      ).toBe(true);
    }
  });

  it('when a stored URL carries credentials, then it is blocked even for an allow-listed address', async () => {
    const rx = await receiver();
    const { tenant, admin, operator } = await tenantWithTokens(allowing);
    const id = await insertHook(allowing, tenant.id, `http://user:pass@127.0.0.1:${rx.port}/hooks`);
    await fireEvent(allowing, admin, operator);
    expect(await settled(allowing, admin, id)).toMatchObject({ status: 'failed', lastError: DELIVERY_ERRORS.blocked });
    expect(rx.received).toEqual([]);
  });

  it('when the receiver answers with a redirect, then it is not followed and the log says which status came back', async () => {
    const target = await receiver();
    const redirecting = await receiver((res) => void res.writeHead(302, { Location: target.url }).end());
    const { admin, operator } = await tenantWithTokens(allowing);
    const { body: hook } = await request(allowing.app)
      .post('/admin/webhooks')
      .set('Authorization', admin)
      .send({ url: redirecting.url, secret: SECRET })
      .expect(201);
    await fireEvent(allowing, admin, operator);
    expect(await settled(allowing, admin, hook.id)).toMatchObject({
      status: 'failed',
      attempts: 3,
      lastStatusCode: 302,
      lastError: 'The receiver answered HTTP 302.',
    });
    expect(redirecting.received).toHaveLength(3);
    expect(target.received).toEqual([]);
  });

  it('when the port is closed or the receiver accepts and never answers, then the delivery log reads the same generic reason', async () => {
    const hanging = await receiver(() => 'hang');
    const closed = await closedPort();
    const { admin, operator } = await tenantWithTokens(allowing);
    const add = (url: string) =>
      request(allowing.app)
        .post('/admin/webhooks')
        .set('Authorization', admin)
        .send({ url, secret: SECRET })
        .expect(201);
    const toClosed = (await add(`http://127.0.0.1:${closed}/hooks`)).body;
    const toHanging = (await add(hanging.url)).body;
    await fireEvent(allowing, admin, operator);
    const [a, b] = [await settled(allowing, admin, toClosed.id), await settled(allowing, admin, toHanging.id)];
    expect(hanging.received.length).toBeGreaterThan(0);
    for (const d of [a, b])
      expect(d).toMatchObject({
        status: 'failed',
        attempts: 3,
        lastStatusCode: null,
        lastError: DELIVERY_ERRORS.unreachable,
      });
    expect(`${a.lastError} ${b.lastError}`).not.toMatch(/ECONN|EHOST|refused|reset|socket|port|\d{2,}/i);
  });
});
