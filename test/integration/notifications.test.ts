import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { verifySignature } from '../../modules/notifications/signature';
import { startWorkers, type WorkerRuntime } from '../../worker/workers';
import { act, createFlag, ROLLOUT_TEST_ENV, startPlan, waitFor } from '../support/rollouts';
import { auditCount, bearer, createTenant, createTestApp, type TestApp, type TestTenant } from '../support/test-app';

jest.setTimeout(15_000);

let t: TestApp;
let workers: WorkerRuntime;
let tenant: TestTenant;
let admin: string;
let operator: string;
let viewer: string;

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A local webhook receiver that answers each request with the next status of `script` (then 200). */
async function receiver(script: number[] = []): Promise<{ url: string; received: Received[]; server: Server }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += String(d)));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.writeHead(script.shift() ?? 200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`, received, server };
}

const SECRET = 'a-very-secret-webhook-key';
const addWebhook = (url: string, events?: string[]) =>
  request(t.app)
    .post('/admin/webhooks')
    .set('Authorization', admin)
    .send({ url, secret: SECRET, ...(events ? { events } : {}) })
    .expect(201);
const deliveriesOf = async (webhookId: string) =>
  (await request(t.app).get(`/admin/webhooks/${webhookId}/deliveries`).set('Authorization', admin).expect(200)).body
    .items;

beforeAll(async () => {
  // the receivers of these tests listen on loopback, which webhooks may reach only when allow-listed
  t = await createTestApp({ env: { ...ROLLOUT_TEST_ENV, FLAGPOLE_WEBHOOK_ALLOW_PRIVATE: '127.0.0.1/32' } });
  workers = startWorkers(t.c);
  tenant = await createTenant(t.c);
  admin = await bearer(t.c, tenant, 'admin');
  operator = await bearer(t.c, tenant, 'operator');
  viewer = await bearer(t.c, tenant, 'viewer');
});
afterAll(async () => {
  await workers.close();
  await t.close();
});

describe('webhooks', () => {
  it('when a webhook is added, then it is audited without its secret; bad URLs are 400 and non-admins 403', async () => {
    const before = await auditCount(t.c, tenant.id);
    const res = await addWebhook('https://example.test/hooks', ['plan.failed']);
    expect(res.body).toMatchObject({
      url: 'https://example.test/hooks',
      events: ['plan.failed'],
      enabled: true,
      version: 1,
    });
    expect(JSON.stringify(res.body)).not.toContain(SECRET);
    expect(await auditCount(t.c, tenant.id)).toBe(before + 1);
    const audit = await t.c.db('audit_log').where({ resourceId: res.body.id }).first();
    expect(JSON.stringify(audit.after)).not.toContain(SECRET);
    for (const url of [
      'ftp://example.test/x',
      'javascript:alert(1)',
      'not a url',
      'http:///nohost',
      'https://user:pw@example.test/',
    ]) {
      const bad = await request(t.app)
        .post('/admin/webhooks')
        .set('Authorization', admin)
        .send({ url, secret: SECRET })
        .expect(400);
      expect(bad.body.error.details[0].path).toBe('url');
    }
    await request(t.app)
      .post('/admin/webhooks')
      .set('Authorization', admin)
      .send({ url: 'https://x.test', secret: 'short' })
      .expect(400);
    await request(t.app)
      .post('/admin/webhooks')
      .set('Authorization', admin)
      .send({ url: 'https://x.test', secret: SECRET, events: ['plan.exploded'] })
      .expect(400);
    await request(t.app).get('/admin/webhooks').set('Authorization', operator).expect(403);
    await request(t.app)
      .patch(`/admin/webhooks/${res.body.id}`)
      .set('Authorization', admin)
      .set('If-Match', '"1"')
      .send({ enabled: false })
      .expect(200);
    await request(t.app)
      .patch(`/admin/webhooks/${res.body.id}`)
      .set('Authorization', admin)
      .set('If-Match', '"1"')
      .send({ enabled: true })
      .expect(412);
    await request(t.app).delete(`/admin/webhooks/${res.body.id}`).set('Authorization', admin).expect(204);
    await request(t.app).get(`/admin/webhooks/${res.body.id}`).set('Authorization', admin).expect(404);
  });

  it('when a plan event happens, then subscribed webhooks get a signed POST, retried after a failure, with a delivery log', async () => {
    const rx = await receiver([500]);
    try {
      const { body: hook } = await addWebhook(rx.url, ['plan.started', 'plan.aborted']);
      const { body: other } = await addWebhook(rx.url, ['plan.completed']);
      const flag = await createFlag(t, admin, 'hooks.signed');
      const plan = await startPlan(t, operator, flag.id);
      await waitFor(async () => rx.received.length >= 2 && rx.received, 'the retried delivery');

      const [first, second] = rx.received;
      expect(first.body).toBe(second.body);
      expect(second.headers['x-flagpole-event']).toBe('plan.started');
      expect(second.headers['x-flagpole-delivery']).toBe(first.headers['x-flagpole-delivery']);
      const ts = String(second.headers['x-flagpole-timestamp']);
      const now = Math.floor(Date.now() / 1000);
      expect(verifySignature(SECRET, ts, second.body, String(second.headers['x-flagpole-signature']), now)).toBe(true);
      expect(
        verifySignature('another-secret-of-16+', ts, second.body, String(second.headers['x-flagpole-signature']), now),
      ).toBe(false);
      expect(
        verifySignature(
          SECRET,
          ts,
          second.body.replace('plan.started', 'plan.aborted'),
          String(second.headers['x-flagpole-signature']),
          now,
        ),
      ).toBe(false);
      expect(JSON.parse(second.body)).toMatchObject({
        event: 'plan.started',
        tenantId: tenant.id,
        data: { planId: plan.id, flagKey: 'hooks.signed', percent: 5 },
      });

      const log = await waitFor(async () => {
        const items = await deliveriesOf(hook.id);
        return items[0]?.status === 'delivered' && items;
      }, 'the delivery log to say delivered');
      expect(log).toHaveLength(1);
      expect(log[0]).toMatchObject({ event: 'plan.started', attempts: 2, lastStatusCode: 200, lastError: null });
      expect(await deliveriesOf(other.id)).toEqual([]);

      const stored = await t.c.db('webhooks').where({ id: hook.id }).first();
      expect(stored.secret).toMatch(/^fpsec1:[0-9a-f]{8}:/);
      expect(stored.secret).not.toContain(SECRET);
    } finally {
      rx.server.close();
    }
  });

  it('when the receiver keeps failing, then the delivery ends failed with the last reason', async () => {
    const rx = await receiver([503, 503, 503]);
    try {
      const { body: hook } = await addWebhook(rx.url, ['plan.started']);
      const flag = await createFlag(t, admin, 'hooks.failing');
      await startPlan(t, operator, flag.id);
      const log = await waitFor(async () => {
        const items = await deliveriesOf(hook.id);
        return items[0]?.status === 'failed' && items;
      }, 'the delivery to fail');
      expect(log[0]).toMatchObject({ attempts: 3, lastStatusCode: 503, lastError: 'The receiver answered HTTP 503.' });
      expect(rx.received).toHaveLength(3);
      await request(t.app).delete(`/admin/webhooks/${hook.id}`).set('Authorization', admin).expect(204);
    } finally {
      rx.server.close();
    }
  });
});

describe('the in-app inbox', () => {
  it('when plan events happen, then they are listed newest first, and marking read is audited once', async () => {
    const inboxTenant = await createTenant(t.c);
    const op = await bearer(t.c, inboxTenant, 'operator');
    const look = await bearer(t.c, inboxTenant, 'viewer');
    const flag = await createFlag(t, await bearer(t.c, inboxTenant, 'editor'), 'inbox.flag');
    const plan = await startPlan(t, op, flag.id);
    await act(t, op, plan.id, 'pause').expect(200);
    const { body } = await request(t.app).get('/admin/notifications').set('Authorization', look).expect(200);
    expect(body.items.map((n: { event: string }) => n.event)).toEqual(['plan.paused', 'plan.started']);
    expect(body.items[0]).toMatchObject({
      title: 'Rollout of inbox.flag paused at 5% (MANUAL)',
      readAt: null,
      payload: { planId: plan.id, pauseReason: 'MANUAL' },
    });
    expect(
      (await request(t.app).get('/admin/notifications/unread-count').set('Authorization', look).expect(200)).body,
    ).toEqual({ unread: 2 });

    const before = await auditCount(t.c, inboxTenant.id);
    const read = await request(t.app)
      .post(`/admin/notifications/${body.items[0].id}/actions/mark-read`)
      .set('Authorization', look)
      .set('Idempotency-Key', 'read-1')
      .send({})
      .expect(200);
    expect(read.body.readAt).not.toBeNull();
    await request(t.app)
      .post(`/admin/notifications/${body.items[0].id}/actions/mark-read`)
      .set('Authorization', look)
      .set('Idempotency-Key', 'read-2')
      .send({})
      .expect(200);
    expect(await auditCount(t.c, inboxTenant.id)).toBe(before + 1);
    const unread = await request(t.app).get('/admin/notifications?unread=true').set('Authorization', look).expect(200);
    expect(unread.body.items.map((n: { event: string }) => n.event)).toEqual(['plan.started']);
    const all = await request(t.app)
      .post('/admin/notifications/actions/mark-all-read')
      .set('Authorization', look)
      .set('Idempotency-Key', 'read-all')
      .send({})
      .expect(200);
    expect(all.body).toEqual({ marked: 1 });
    await request(t.app)
      .post(`/admin/notifications/${body.items[0].id}/actions/mark-read`)
      .set('Authorization', viewer)
      .set('Idempotency-Key', 'read-3')
      .send({})
      .expect(404);
  });
});
