import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import request from 'supertest';
import { verifySignature } from '../../modules/notifications/signature';
import { DELIVERY_ERRORS } from '../../modules/notifications/webhooks.service';
import { startWorkers } from '../../worker/workers';
import { createFlag, ROLLOUT_TEST_ENV, startPlan, waitFor } from '../support/rollouts';
import { templateDb, urlFor, withAdmin } from '../support/databases';
import { bearer, createTenant, createTestApp, uniqueSuffix, type TestApp, type TestTenant } from '../support/test-app';

jest.setTimeout(30_000);

const SECRET = 'a-very-secret-webhook-key';
const OLD_KEY = randomBytes(32).toString('base64');
const NEW_KEY = randomBytes(32).toString('hex');
const root = path.resolve(__dirname, '../..');

let server: Server;
let url: string;
const received: Array<{ headers: IncomingHttpHeaders; body: string }> = [];
let tenant: TestTenant;
const apps: TestApp[] = [];
/** A database of its own: rotation covers every tenant's webhooks, and other test files seal theirs with other keys. */
let databaseUrl: string;

/** The api and worker as deployed with these keys, on the same database. */
async function deployment(keys: string): Promise<TestApp> {
  const env = {
    ...ROLLOUT_TEST_ENV,
    DATABASE_URL: databaseUrl,
    FLAGPOLE_WEBHOOK_ALLOW_PRIVATE: '127.0.0.1/32',
    FLAGPOLE_SECRET_KEYS: keys,
  };
  const t = await createTestApp({ env });
  apps.push(t);
  return t;
}

/** `npm run flagpole -- secrets rotate`, run for real against the test database. */
function rotate(t: TestApp, keys: string): Promise<{ code: number | null; out: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/flagpole.ts', 'secrets', 'rotate'], {
    cwd: root,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATABASE_URL: t.config.databaseUrl,
      FLAGPOLE_SECRET_KEYS: keys,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += String(d)));
  child.stderr.on('data', (d) => (out += String(d)));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, out })));
}

/** A rollout starts in the tenant; resolves with the delivery of `webhookId` once it settled. */
async function deliverOnce(t: TestApp, webhookId: string) {
  const runtime = startWorkers(t.c);
  try {
    const admin = await bearer(t.c, tenant, 'admin');
    const flag = await createFlag(t, admin, `secrets.${randomBytes(4).toString('hex')}`);
    await startPlan(t, await bearer(t.c, tenant, 'operator'), flag.id);
    return await waitFor(async () => {
      const { body } = await request(t.app)
        .get(`/admin/webhooks/${webhookId}/deliveries?limit=1`)
        .set('Authorization', admin)
        .expect(200);
      return body.items[0]?.status !== 'pending' && body.items[0];
    }, 'the delivery to settle');
  } finally {
    await runtime.close();
  }
}

const storedSecret = async (t: TestApp, id: string): Promise<string> =>
  (await t.c.db('webhooks').where({ id }).first()).secret;

beforeAll(async () => {
  const name = `${templateDb().replace(/_template$/, '')}_secrets_${uniqueSuffix()}`;
  await withAdmin((admin) => admin.raw(`create database "${name}" template "${templateDb()}"`));
  databaseUrl = urlFor(name);
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += String(d)));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
});
afterAll(async () => {
  server.close();
  await Promise.all(apps.map((a) => a.close()));
});

describe('webhook secrets at rest', () => {
  it('when the keys are rotated with the CLI, then the row is re-encrypted under the new key and deliveries still verify', async () => {
    const before = await deployment(OLD_KEY);
    tenant = await createTenant(before.c);
    const { body: hook } = await request(before.app)
      .post('/admin/webhooks')
      .set('Authorization', await bearer(before.c, tenant, 'admin'))
      .send({ url, secret: SECRET, events: ['plan.started'] })
      .expect(201);
    const sealedBefore = await storedSecret(before, hook.id);
    expect(sealedBefore).toMatch(/^fpsec1:/);
    expect(sealedBefore).not.toContain(SECRET);

    // the operator's steps: the new key first, rotate, then drop the old key
    const rotated = await rotate(before, `${NEW_KEY},${OLD_KEY}`);
    expect(rotated).toEqual({
      code: 0,
      out: expect.stringMatching(/^re-encrypted \d+ of \d+ webhook secrets; all are now under key [0-9a-f]{8}\n$/),
    });
    const keyId = /under key ([0-9a-f]{8})/.exec(rotated.out)![1];
    const sealedAfter = await storedSecret(before, hook.id);
    expect(sealedAfter.startsWith(`fpsec1:${keyId}:`)).toBe(true);
    expect(sealedAfter.split(':')[1]).not.toBe(sealedBefore.split(':')[1]);
    const audit = await before.c
      .db('audit_log')
      .where({ action: 'secrets.rotated' })
      .orderBy('createdAt', 'desc')
      .first();
    expect(audit).toMatchObject({ tenantId: null, actorType: 'system', actorId: 'cli', after: { keyId } });

    const again = await rotate(before, `${NEW_KEY},${OLD_KEY}`);
    expect(again.out).toMatch(/^re-encrypted 0 of/);

    const after = await deployment(NEW_KEY);
    expect(await deliverOnce(after, hook.id)).toMatchObject({ status: 'delivered', lastStatusCode: 200 });
    const last = received.at(-1)!;
    const ts = String(last.headers['x-flagpole-timestamp']);
    expect(
      verifySignature(
        SECRET,
        ts,
        last.body,
        String(last.headers['x-flagpole-signature']),
        Math.floor(Date.now() / 1000),
      ),
    ).toBe(true);

    // a deployment left with only the dropped key cannot sign, and says so without revealing anything
    const stale = await deployment(OLD_KEY);
    const count = received.length;
    expect(await deliverOnce(stale, hook.id)).toMatchObject({ status: 'failed', lastError: DELIVERY_ERRORS.secret });
    expect(received).toHaveLength(count);
  });
});
