import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { createApp } from '../../api/app';
import { FakeClock } from '../support/fake-clock';
import { clientToken, listen } from '../support/ofrep';
import { bearer, createTenant, createTestApp, type TestApp, type TestTenant } from '../support/test-app';

const clock = new FakeClock('2026-11-24T10:00:00.250Z');
let t: TestApp;
let server: { url: string; close(): Promise<void> };
let tenant: TestTenant;
let editor: string;

beforeAll(async () => {
  t = await createTestApp({
    clock,
    env: { FLAGPOLE_EVALUATION_RATE_LIMIT: '3', FLAGPOLE_CORS_ORIGINS: 'https://shop.example.test' },
  });
  server = await listen(t.c);
  tenant = await createTenant(t.c);
  editor = await bearer(t.c, tenant, 'editor');
  await request(t.app)
    .post('/admin/feature-flags')
    .set('Authorization', editor)
    .send({ key: 'limits.on', enabled: true })
    .expect(201);
});
afterAll(async () => {
  await server.close();
  await t.close();
});

const evaluate = (secret: string, key = 'limits.on') =>
  request(server.url)
    .post(`/ofrep/v1/evaluate/flags/${key}`)
    .set('Authorization', `Bearer ${secret}`)
    .send({ context: { targetingKey: 'u-1' } });

describe('OFREP rate limit per client token', () => {
  it('when a token sends more than the limit in one second, then 429 with Retry-After and the OFREP error body; other tokens and the next second are unaffected', async () => {
    const [a, b] = [await clientToken(t.c, tenant), await clientToken(t.c, tenant)];
    for (let i = 0; i < 3; i++) await evaluate(a).expect(200);
    const limited = await evaluate(a).expect(429);
    expect(limited.headers['retry-after']).toBe('1');
    expect(limited.body).toEqual({
      key: 'limits.on',
      errorCode: 'GENERAL',
      errorDetails: expect.stringContaining('Rate limit'),
    });
    const bulk = await request(server.url)
      .post('/ofrep/v1/evaluate/flags')
      .set('Authorization', `Bearer ${a}`)
      .send({})
      .expect(429);
    expect(bulk.body).toMatchObject({ errorCode: 'GENERAL' });
    await evaluate(b).expect(200);
    clock.advance(1000);
    await evaluate(a).expect(200);
  });
});

describe('response headers', () => {
  it('when OFREP answers (success, error, preflight), then it carries the security headers the rest of the api has, cross-origin readable with CORS on', async () => {
    const secret = await clientToken(t.c, tenant);
    clock.advance(1000);
    const answers = [
      await evaluate(secret).expect(200),
      await evaluate(secret, 'no.such.flag').expect(404),
      await request(server.url).post('/ofrep/v1/evaluate/flags').expect(401),
      await request(server.url)
        .options('/ofrep/v1/evaluate/flags')
        .set('Origin', 'https://shop.example.test')
        .expect(204),
    ];
    for (const res of answers) {
      expect(res.headers).toMatchObject({
        'x-content-type-options': 'nosniff',
        'cross-origin-resource-policy': 'cross-origin',
        'referrer-policy': 'no-referrer',
      });
      expect(res.headers['strict-transport-security']).toBeUndefined(); // only in production
    }
  });

  it('when /admin or /auth answers, errors included, then Cache-Control is no-store; the web app’s static assets keep their caching', async () => {
    const web = fs.mkdtempSync(path.join(os.tmpdir(), 'flagpole-web-'));
    fs.writeFileSync(path.join(web, 'index.html'), '<!doctype html><title>Flagpole</title>');
    fs.writeFileSync(path.join(web, 'app.js'), 'console.log(1)');
    const app = createApp(t.c, { webDist: web });
    const answers = [
      await request(app).get('/admin/feature-flags').set('Authorization', editor).expect(200),
      await request(app).get('/admin/feature-flags').expect(401),
      await request(app).get('/admin/no-such-thing').set('Authorization', editor).expect(404),
      await request(app)
        .post('/admin/feature-flags')
        .set('Authorization', editor)
        .set('Content-Type', 'application/json')
        .send('{"key":')
        .expect(400),
      await request(app).get('/auth/me').expect(401),
    ];
    for (const [i, res] of answers.entries()) expect([i, res.headers['cache-control']]).toEqual([i, 'no-store']);
    const asset = await request(app).get('/app.js').expect(200);
    expect(asset.headers['cache-control']).toBe('public, max-age=3600');
    fs.rmSync(web, { recursive: true, force: true });
  });
});
