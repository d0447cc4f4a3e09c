import request from 'supertest';
import { FakeClock } from '../support/fake-clock';
import { act, createFlag, ROLLOUT_TEST_ENV, STAGES_5_25_100, startPlan } from '../support/rollouts';
import { bearer, createTenant, createTestApp, type TestApp, type TestTenant } from '../support/test-app';

const clock = new FakeClock();
let t: TestApp;
let tenant: TestTenant;
let author: string;
let otherOperator: string;
let viewer: string;
let editor: string;

beforeAll(async () => {
  t = await createTestApp({ clock, env: ROLLOUT_TEST_ENV });
  tenant = await createTenant(t.c);
  author = await bearer(t.c, tenant, 'operator');
  otherOperator = await bearer(t.c, tenant, 'operator');
  viewer = await bearer(t.c, tenant, 'viewer');
  editor = await bearer(t.c, tenant, 'editor');
});
afterAll(() => t.close());

const detail = async (id: string, auth = viewer) =>
  (await request(t.app).get(`/admin/rollout-plans/${id}`).set('Authorization', auth).expect(200)).body;
const draft = async (flagId: string, stages: object[]) =>
  (await request(t.app).post('/admin/rollout-plans').set('Authorization', author).send({ flagId, stages }).expect(201))
    .body as { id: string };

describe('the actions a plan detail offers', () => {
  it('when a draft is read, then it offers edit, start and abort, all allowed', async () => {
    const flag = await createFlag(t, editor, 'actions.draft');
    const plan = await draft(flag.id, [{ percent: 10, holdSeconds: 60 }]);
    expect((await detail(plan.id)).actions).toEqual([
      { action: 'edit', allowed: true },
      { action: 'start', allowed: true },
      { action: 'abort', allowed: true },
    ]);
  });

  it('when the kill switch pauses a running plan, then resume is refused with the reason the API answers when it is tried', async () => {
    const flag = await createFlag(t, editor, 'actions.kill');
    const plan = await startPlan(t, author, flag.id, [
      { percent: 5, holdSeconds: 30 },
      { percent: 100, holdSeconds: 0 },
    ]);
    expect((await detail(plan.id)).actions).toEqual([
      { action: 'pause', allowed: true },
      { action: 'advance', allowed: true },
      { action: 'abort', allowed: true },
    ]);
    await request(t.app)
      .post(`/admin/feature-flags/${flag.id}/actions/disable`)
      .set('Authorization', editor)
      .set('Idempotency-Key', `disable-${flag.id}`)
      .send({ reason: 'incident' })
      .expect(200);
    const { status, actions } = await detail(plan.id);
    expect(status).toBe('paused');
    const refused = await act(t, author, plan.id, 'resume').expect(409);
    expect(refused.body.error.details[0].currentState).toBe('paused');
    expect(actions).toEqual([
      { action: 'resume', allowed: false, reason: refused.body.error.message },
      { action: 'abort', allowed: true },
    ]);
  });

  it("when a plan awaits approval, then its author sees approve refused (as the API's 403 says) and another operator may approve", async () => {
    const flag = await createFlag(t, editor, 'actions.approve');
    const plan = await startPlan(t, author, flag.id, [
      { percent: 5, holdSeconds: 30, requiresApproval: true },
      { percent: 100, holdSeconds: 0 },
    ]);
    await act(t, author, plan.id, 'advance').expect(200);
    const refused = await act(t, author, plan.id, 'approve').expect(403);
    expect((await detail(plan.id, author)).actions[0]).toEqual({
      action: 'approve',
      allowed: false,
      reason: refused.body.error.message,
    });
    expect((await detail(plan.id, otherOperator)).actions[0]).toEqual({ action: 'approve', allowed: true });
    await act(t, otherOperator, plan.id, 'approve').expect(200);
  });
});

// a tenant of their own, so the plans above do not show in these lists
describe('list filters', () => {
  let own: { author: string; viewer: string; editor: string };
  let running: { id: string; flagId: string };
  let paused: { id: string; flagId: string };
  let drafted: { id: string; flagId: string };
  let aborted: { id: string; flagId: string };

  beforeAll(async () => {
    const other = await createTenant(t.c);
    own = {
      author: await bearer(t.c, other, 'operator'),
      viewer: await bearer(t.c, other, 'viewer'),
      editor: await bearer(t.c, other, 'editor'),
    };
    const flags = await Promise.all(
      ['filters.running', 'filters.paused', 'filters.draft', 'filters.aborted'].map((k) =>
        createFlag(t, own.editor, k),
      ),
    );
    running = await startPlan(t, own.author, flags[0].id);
    paused = await startPlan(t, own.author, flags[1].id);
    await act(t, own.author, paused.id, 'pause').expect(200);
    drafted = (
      await request(t.app)
        .post('/admin/rollout-plans')
        .set('Authorization', own.author)
        .send({ flagId: flags[2].id, stages: STAGES_5_25_100 })
        .expect(201)
    ).body;
    aborted = await startPlan(t, own.author, flags[3].id);
    await act(t, own.author, aborted.id, 'abort').expect(200);
  });

  const plans = (query: string) => request(t.app).get(`/admin/rollout-plans?${query}`).set('Authorization', own.viewer);
  const flags = (query: string) => request(t.app).get(`/admin/feature-flags?${query}`).set('Authorization', own.viewer);
  const ids = (res: request.Response) => res.body.items.map((i: { id: string }) => i.id).sort();

  it('when plans are listed by several comma-separated statuses, then every plan in one of them comes back, and only those', async () => {
    expect(ids(await plans('status=running,paused').expect(200))).toEqual([running.id, paused.id].sort());
    expect(ids(await plans('status=paused').expect(200))).toEqual([paused.id]);
    expect(ids(await plans('status=draft,aborted,completed').expect(200))).toEqual([drafted.id, aborted.id].sort());
  });

  it.each([
    ['an unknown status among them', 'status=running,bogus', 'query.status[1]'],
    ['an empty status', 'status=', 'query.status[0]'],
    ['a trailing comma', 'status=running,', 'query.status[1]'],
    ['a repeated parameter', 'status=running&status=paused', 'query.status'],
  ])('when plans are listed with %s, then 400 VALIDATION_FAILED names it', async (_what, query, path) => {
    const res = await plans(query).expect(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(path);
  });

  it('when flags are listed with rollout=active, then only flags whose plan is scheduled, running, awaiting approval, paused or failed come back', async () => {
    const res = await flags('rollout=active&q=filters.').expect(200);
    expect(res.body.items.map((f: { key: string }) => f.key)).toEqual(['filters.paused', 'filters.running']);
    expect((await flags('rollout=active&q=filters.&enabled=false').expect(200)).body.items).toEqual([]);
    expect((await flags('q=filters.').expect(200)).body.items).toHaveLength(4);
  });

  it('when flags are listed with any other rollout value, then 400 VALIDATION_FAILED names the parameter', async () => {
    for (const query of ['rollout=all', 'rollout=', 'rollout=active&rollout=active']) {
      const res = await flags(query).expect(400);
      expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain('query.rollout');
    }
  });

  it('when the API document is read, then it says how to send several statuses and what rollout=active means', async () => {
    const doc = (await request(t.app).get('/openapi.json').expect(200)).body;
    const param = (path: string, name: string) =>
      doc.paths[path].get.parameters.find((p: { name: string }) => p.name === name) as {
        schema: { description?: string; enum?: string[] };
      };
    expect(param('/admin/rollout-plans', 'status').schema.description).toMatch(
      /comma-separated: status=running,paused/,
    );
    expect(param('/admin/feature-flags', 'rollout').schema).toMatchObject({
      enum: ['active'],
      description: expect.stringMatching(/active rollout plan/),
    });
  });
});
