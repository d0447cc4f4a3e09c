import express from 'express';
import request from 'supertest';
import { z } from 'zod';
import { allRoutes } from '../../api/app';
import { buildRouter, responseProblems } from '../../api/http/pipeline';
import { route, type AnyRoute } from '../../api/http/route';
import { errorHandler } from '../../api/middleware/error-handler';
import { requestContext } from '../../api/middleware/request-context';
import { ofrepBulkEvaluation, ofrepError, ofrepEvaluation, ofrepFlagError } from '../../api/ofrep/ofrep.schemas';
import { clientToken } from '../support/ofrep';
import { bearer, createTenant, createTestApp, type TestApp } from '../support/test-app';

/**
 * The document is the contract the web's types are generated from: every route is in it with
 * an operationId and its answer's schema, and (NODE_ENV=test) an answer that differs from its
 * schema fails the request, so the document cannot drift from the code.
 */

jest.setTimeout(30_000);

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const name = (r: AnyRoute) => `${r.method.toUpperCase()} ${r.path}`;

describe('the route table', () => {
  it('when a route is listed, then it has an operationId no other route has, and a response schema unless it answers 204', () => {
    const routes = allRoutes(t.c);
    const ids = routes.map((r) => r.operationId);
    expect(routes.filter((r) => !r.operationId).map(name)).toEqual([]);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
    expect(routes.filter((r) => r.status !== 204 && !r.response).map(name)).toEqual([]);
    expect(routes.filter((r) => r.status === 204 && r.response).map(name)).toEqual([]);
  });
});

describe('/openapi.json', () => {
  it('when it is fetched, then the shared views are components every $ref resolves to, and OFREP is in it', async () => {
    const doc = (await request(t.app).get('/openapi.json').expect(200)).body;
    const schemas = doc.components.schemas as Record<string, unknown>;
    expect(Object.keys(schemas)).toEqual(
      expect.arrayContaining(['Flag', 'FlagDetail', 'RolloutPlan', 'AuditEvent', 'Segment', 'Webhook', 'Error']),
    );
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"([^"]+)"/g)].map((m) => m[1]);
    expect(
      refs.filter(
        (ref) => !ref.startsWith('#/components/schemas/') || !(ref.slice('#/components/schemas/'.length) in schemas),
      ),
    ).toEqual([]);
    expect(
      doc.paths['/admin/feature-flags'].get.responses['200'].content['application/json'].schema.properties.items.items,
    ).toEqual({
      $ref: '#/components/schemas/Flag',
    });
    expect(doc.paths['/ofrep/v1/evaluate/flags'].post.operationId).toBe('ofrepEvaluateFlags');
    expect(
      doc.paths['/ofrep/v1/evaluate/flags/{key}'].post.responses['200'].content['application/json'].schema,
    ).toEqual({
      $ref: '#/components/schemas/OfrepEvaluation',
    });
    const operations = Object.values(doc.paths as Record<string, Record<string, { operationId: string }>>).flatMap(
      (p) => Object.values(p),
    );
    expect(operations.filter((o) => !o.operationId)).toEqual([]);
  });
});

describe('the test-mode response check', () => {
  /** A pipeline of one route, as the app builds it (same container, NODE_ENV=test). */
  function appOf(handler: () => Promise<unknown>, response?: z.ZodType) {
    const app = express();
    app.use(requestContext(t.c.logger));
    app.use(
      buildRouter(t.c, [
        route({
          method: 'get',
          path: '/drift/:id',
          access: 'public',
          tag: 't',
          summary: 's',
          operationId: 'drift',
          response,
          handler,
        }),
      ]),
    );
    app.use(errorHandler(t.c.config.bodyLimit));
    return app;
  }
  const view = z.object({ id: z.string(), count: z.number().int(), note: z.string().nullable() });

  it('when an answer matches its schema, then it is sent', async () => {
    const res = await request(appOf(async () => ({ id: 'a', count: 1, note: null }), view)).get('/drift/a');
    expect([res.status, res.body]).toEqual([200, { id: 'a', count: 1, note: null }]);
  });

  it('when an answer has a wrong type, lacks a field or has one the schema does not name, then it is a 500 naming the route, path and fields', async () => {
    const res = await request(appOf(async () => ({ id: 'a', count: 'one', extra: true }), view)).get('/drift/x1');
    expect(res.status).toBe(500);
    expect(res.body.error.message).toBe('The answer of GET /drift/:id (/drift/x1) does not match its response schema.');
    expect(res.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['count', 'note']);
    const extra = await request(
      appOf(async () => ({ id: 'a', count: 1, note: null, secretish: 'x', nested: {} }), view),
    ).get('/drift/x2');
    expect([extra.status, extra.body.error.details]).toEqual([
      500,
      [
        { path: 'secretish', message: 'is not in the response schema' },
        { path: 'nested', message: 'is not in the response schema' },
      ],
    ]);
  });

  it('when a route without a response schema answers a body, then it is a 500', async () => {
    const res = await request(appOf(async () => ({ id: 'a' }))).get('/drift/x3');
    expect([res.status, res.body.error.details]).toEqual([
      500,
      [{ path: '(root)', message: 'the route declares no response schema' }],
    ]);
  });
});

describe('OFREP answers', () => {
  it('when flags are evaluated one by one and in bulk, then every answer is what the document says', async () => {
    const tenant = await createTenant(t.c, 'contract');
    const admin = await bearer(t.c, tenant, 'admin');
    const post = (path: string, body: object) =>
      request(t.app)
        .post(path)
        .set('Authorization', admin)
        .send(body)
        .expect((r) => expect(r.status).toBeLessThan(300));
    const split = (await post('/admin/feature-flags', { key: 'contract.split', enabled: true })).body;
    await request(t.app)
      .put(`/admin/feature-flags/${split.id}/rules`)
      .set('Authorization', admin)
      .set('If-Match', '1')
      .send({ rules: [{ kind: 'percent', percent: 50 }] })
      .expect(200);
    await post('/admin/feature-flags', { key: 'contract.off' });
    const sdk = `Bearer ${await clientToken(t.c, tenant)}`;
    const ofrep = (path: string, context: object) =>
      request(t.app).post(`/ofrep/v1/evaluate/flags${path}`).set('Authorization', sdk).send({ context });

    const bulk = await ofrep('', {});
    expect([bulk.status, bulk.body.flags.length, responseProblems(ofrepBulkEvaluation, bulk.body)]).toEqual([
      200,
      2,
      [],
    ]);
    const one = await ofrep('/contract.off', { targetingKey: 'u-1' });
    expect([one.status, responseProblems(ofrepEvaluation, one.body)]).toEqual([200, []]);
    const noKey = await ofrep('/contract.split', {});
    expect([noKey.status, noKey.body.errorCode, responseProblems(ofrepFlagError, noKey.body)]).toEqual([
      400,
      'TARGETING_KEY_MISSING',
      [],
    ]);
    const missing = await ofrep('/contract.none', {});
    expect([missing.status, responseProblems(ofrepError, missing.body)]).toEqual([404, []]);
    const unauthenticated = await request(t.app).post('/ofrep/v1/evaluate/flags').send({});
    expect([unauthenticated.status, responseProblems(ofrepError, unauthenticated.body)]).toEqual([401, []]);
  });
});
