import { OpenFeature } from '@openfeature/server-sdk';
import request from 'supertest';
import { responseProblems } from '../../api/http/pipeline';
import { ofrepTrackAccepted, ofrepTrackError } from '../../api/ofrep/ofrep.schemas';
import { FlagpoleProvider } from '../../modules/sdk/flagpole-provider';
import { FakeClock } from '../support/fake-clock';
import { startGuardedPlan } from '../support/guards';
import { clientToken, listen } from '../support/ofrep';
import { createFlag } from '../support/rollouts';
import { bearer, createTenant, createTestApp, type TestApp, type TestTenant } from '../support/test-app';
import { writtenState } from '../support/writes';

jest.setTimeout(60_000);

let t: TestApp;
let server: { url: string; close(): Promise<void> };
let tenant: TestTenant;
let operator: string;
let editor: string;
let sdk: string;
let plan: { id: string };

beforeAll(async () => {
  t = await createTestApp({ env: { FLAGPOLE_CORS_ORIGINS: 'https://shop.example.test' } });
  server = await listen(t.c);
  tenant = await createTenant(t.c, 'track');
  operator = await bearer(t.c, tenant, 'operator');
  editor = await bearer(t.c, tenant, 'editor');
  sdk = await clientToken(t.c, tenant);
  const flag = await createFlag(t, editor, 'checkout.one-page');
  plan = await startGuardedPlan(t, operator, tenant.id, flag.id, undefined, [
    { percent: 50, holdSeconds: 3600 },
    { percent: 100, holdSeconds: 0 },
  ]);
});
afterAll(async () => {
  await OpenFeature.close();
  await server.close();
  await t.close();
});

const track = (body: unknown, auth = `Bearer ${sdk}`, contentType = 'application/json') =>
  request(server.url)
    .post('/ofrep/v1/track')
    .set('Authorization', auth)
    .set('Content-Type', contentType)
    .send(typeof body === 'string' ? body : JSON.stringify(body));

const event = (extra: object = {}) => ({ name: 'checkout.error', context: { targetingKey: 'u-1' }, ...extra });

const unitEvents = (): Promise<
  Array<{ stage: number; event: string; unit: string; events: number; valueCount: number; valueSum: number }>
> =>
  t.c
    .db('plan_unit_events')
    .where({ planId: plan.id })
    .orderBy(['event', 'unit'])
    .select('stage', 'event', 'unit', 'events', 'valueCount', 'valueSum');

describe('POST /ofrep/v1/track refuses bad input, and keeps nothing of it', () => {
  const many = Array.from({ length: 1001 }, () => event());
  const cases: Array<[string, string, string, unknown]> = [
    [
      'a name that is not a flag key',
      'PARSE_ERROR',
      'events[1].name',
      { events: [event(), event({ name: 'Checkout Error' })] },
    ],
    ['a name that is not text', 'PARSE_ERROR', 'events[0].name', { events: [event({ name: 7 })] }],
    ['no name', 'PARSE_ERROR', 'events[0].name', { events: [{ context: {} }] }],
    ['a value that is text', 'PARSE_ERROR', 'events[0].value', { events: [event({ value: '1' })] }],
    ['a value that is NaN (text)', 'PARSE_ERROR', 'events[1].value', { events: [event(), event({ value: 'NaN' })] }],
    [
      'a value that is Infinity (1e999)',
      'PARSE_ERROR',
      'events[0].value',
      '{"events":[{"name":"checkout.error","context":{},"value":1e999}]}',
    ],
    ['a value past 1e15', 'PARSE_ERROR', 'events[0].value', { events: [event({ value: 1e16 })] }],
    [
      'a timestamp that is not a date-time',
      'PARSE_ERROR',
      'events[0].timestamp',
      { events: [event({ timestamp: 'yesterday' })] },
    ],
    [
      'a timestamp without an offset',
      'PARSE_ERROR',
      'events[0].timestamp',
      { events: [event({ timestamp: '2026-12-02T10:00:00' })] },
    ],
    ['no context', 'INVALID_CONTEXT', 'events[0].context', { events: [{ name: 'checkout.error' }] }],
    ['a context that is a list', 'INVALID_CONTEXT', 'events[0].context', { events: [event({ context: ['u-1'] })] }],
    [
      'a targetingKey that is a number',
      'INVALID_CONTEXT',
      'events[0].context.targetingKey',
      { events: [event({ context: { targetingKey: 17 } })] },
    ],
    [
      'NUL in the context',
      'INVALID_CONTEXT',
      'events[0].context.targetingKey',
      '{"events":[{"name":"checkout.error","context":{"targetingKey":"u\\u0000"}}]}',
    ],
    [
      'a __proto__ key in the context',
      'INVALID_CONTEXT',
      'events[0].context.__proto__',
      '{"events":[{"name":"checkout.error","context":{"__proto__":{}}}]}',
    ],
    ['an unknown field', 'PARSE_ERROR', 'events[0].category', { events: [event({ category: 'x' })] }],
    ['no events', 'PARSE_ERROR', 'events', { events: [] }],
    ['1,001 events', 'PARSE_ERROR', 'events', { events: many }],
    ['a body that is not an object', 'PARSE_ERROR', '(root)', [event()]],
  ];

  it.each(cases)('when an event has %s, then 400 %s naming %s in details', async (_name, errorCode, path, body) => {
    const before = await writtenState(t.c, [tenant.id]);
    const res = await track(body).expect(400);
    expect(responseProblems(ofrepTrackError, res.body)).toEqual([]);
    expect(res.body).toEqual({
      errorCode,
      errorDetails: expect.stringContaining(path),
      details: expect.arrayContaining([{ path, message: expect.any(String) }]),
    });
    expect(t.c.evaluation.events.backlog).toBe(0);
    await t.c.evaluation.events.flush();
    expect(await writtenState(t.c, [tenant.id])).toEqual(before);
  });

  it('when the body is not JSON, then 400 PARSE_ERROR; when it is not declared as JSON, then 415', async () => {
    expect((await track('{"events":[').expect(400)).body).toEqual({
      errorCode: 'PARSE_ERROR',
      errorDetails: 'The request body is not valid JSON.',
    });
    expect((await track('{"events":[{"name":"a","context":{},"value":NaN}]}').expect(400)).body.errorCode).toBe(
      'PARSE_ERROR',
    );
    expect((await track({ events: [event()] }, undefined, 'text/plain').expect(415)).body).toEqual({
      errorCode: 'PARSE_ERROR',
      errorDetails: expect.stringContaining('application/json'),
    });
    await request(server.url).post('/ofrep/v1/track').set('Authorization', `Bearer ${sdk}`).send('x').expect(415);
    expect(t.c.evaluation.events.backlog).toBe(0);
  });

  it('when the body is over the limit, then 413 (a count over 1,000 within the limit is a 400: the error contract keeps 413 for the size limit)', async () => {
    const big = { events: [event({ context: { targetingKey: 'u-1', note: 'x'.repeat(300_000) } })] };
    expect((await track(big).expect(413)).body.errorCode).toBe('PARSE_ERROR');
  });

  it('when the token is missing, unknown or an admin token, then 401 / 401 / 403 in the OFREP shape', async () => {
    await request(server.url)
      .post('/ofrep/v1/track')
      .set('Content-Type', 'application/json')
      .send({ events: [event()] })
      .expect(401);
    expect((await track({ events: [event()] }, 'Bearer fp_not-a-token').expect(401)).body).toEqual({
      errorDetails: expect.any(String),
    });
    expect((await track({ events: [event()] }, editor).expect(403)).body.errorDetails).toContain('client token');
    expect(t.c.evaluation.events.backlog).toBe(0);
  });

  it('when a browser preflights it from an allowed origin, then CORS allows POST with Content-Type and Authorization', async () => {
    const res = await request(server.url)
      .options('/ofrep/v1/track')
      .set('Origin', 'https://shop.example.test')
      .set('Access-Control-Request-Method', 'POST')
      .expect(204);
    expect(res.headers['access-control-allow-origin']).toBe('https://shop.example.test');
    expect(res.headers['access-control-allow-headers']).toMatch(/Authorization.*Content-Type/);
  });
});

describe('POST /ofrep/v1/track keeps the events of guarded plans per unit', () => {
  it('when a good batch arrives, then 202 with the count, and after the flush one row per plan, stage, event and unit; other names are only counted', async () => {
    const unattributedBefore = t.c.evaluation.events.stats.unattributed;
    const res = await track({
      events: [
        { name: 'checkout.error', context: { targetingKey: 'u-1' }, value: 1, timestamp: '2026-12-02T10:00:00Z' },
        { name: 'checkout.error', context: { targetingKey: 'u-1' } },
        { name: 'checkout.error', context: { targetingKey: 'u-2' } },
        { name: 'checkout.amount', context: { targetingKey: 'u-1' }, value: 20 },
        { name: 'checkout.amount', context: { targetingKey: 'u-1' }, value: 40.5 },
        { name: 'checkout.amount', context: { targetingKey: 'u-3' }, value: -3 },
        { name: 'checkout.amount', context: {}, value: 5 },
        { name: 'search.click', context: { targetingKey: 'u-1' }, value: 1 },
      ],
    }).expect(202);
    expect([res.body, responseProblems(ofrepTrackAccepted, res.body)]).toEqual([{ accepted: 8 }, []]);
    expect(await t.c.evaluation.events.flush()).toBe(4);
    expect(await unitEvents()).toEqual([
      { stage: 0, event: 'checkout.amount', unit: 'u-1', events: 2, valueCount: 2, valueSum: 60.5 },
      { stage: 0, event: 'checkout.amount', unit: 'u-3', events: 1, valueCount: 1, valueSum: -3 },
      { stage: 0, event: 'checkout.error', unit: 'u-1', events: 2, valueCount: 1, valueSum: 1 },
      { stage: 0, event: 'checkout.error', unit: 'u-2', events: 1, valueCount: 0, valueSum: 0 },
    ]);
    // no unit (no targetingKey) and a name no guard reads
    expect(t.c.evaluation.events.stats.unattributed - unattributedBefore).toBe(2);

    await track({ events: [{ name: 'checkout.error', context: { targetingKey: 'u-2' }, value: 2 }] }).expect(202);
    await t.c.evaluation.events.flush();
    expect((await unitEvents()).find((r) => r.event === 'checkout.error' && r.unit === 'u-2')).toMatchObject({
      events: 2,
      valueCount: 1,
      valueSum: 2,
    });
    const metrics = await request(server.url).get('/metrics').expect(200);
    expect(metrics.text).toMatch(/flagpole_tracking_events_total\{outcome="unattributed"\} [1-9]/);
    expect(metrics.text).toMatch(/flagpole_tracking_events_total\{outcome="attributed"\} [1-9]/);
    expect(metrics.text).toMatch(/flagpole_guard_exposures_total\{outcome="dropped"\} 0/);
  });

  it('when units are evaluated and then track, then the guard data reads each arm: exposed units, those with the event, and their mean values', async () => {
    const units = Array.from({ length: 60 }, (_, i) => `arm-${i}`);
    for (const unit of units) {
      await request(server.url)
        .post('/ofrep/v1/evaluate/flags')
        .set('Authorization', `Bearer ${sdk}`)
        .send({ context: { targetingKey: unit } })
        .expect(200);
    }
    await t.c.evaluation.exposures.flush();
    const exposed: Array<{ unit: string; arm: 'treatment' | 'control' }> = await t.c
      .db('plan_exposures')
      .where({ planId: plan.id })
      .whereIn('unit', units);
    expect(exposed).toHaveLength(60);
    // every third exposed unit errs once; every unit sends an amount of its index; an unexposed unit's events do not count
    const events = units.flatMap((unit, i) => [
      ...(i % 3 === 0 ? [{ name: 'checkout.error', context: { targetingKey: unit } }] : []),
      { name: 'checkout.amount', context: { targetingKey: unit }, value: i },
      { name: 'checkout.amount', context: { targetingKey: unit }, value: i + 2 },
    ]);
    events.push({ name: 'checkout.error', context: { targetingKey: 'never-evaluated' } });
    await track({ events }).expect(202);
    await t.c.evaluation.events.flush();

    const armOf = new Map(exposed.map((e) => [e.unit, e.arm]));
    const expected = { treatment: { units: 0, unitsWithEvent: 0 }, control: { units: 0, unitsWithEvent: 0 } };
    const means = { treatment: { units: 0, sum: 0, sumOfSquares: 0 }, control: { units: 0, sum: 0, sumOfSquares: 0 } };
    const exposedBefore = await t.c.repos.guardData.exposedUnits(t.c.db, plan.id, 0);
    units.forEach((unit, i) => {
      const arm = armOf.get(unit)!;
      expected[arm].units++;
      if (i % 3 === 0) expected[arm].unitsWithEvent++;
      means[arm].units++;
      means[arm].sum += i + 1;
      means[arm].sumOfSquares += (i + 1) ** 2;
    });
    const share = await t.c.repos.guardData.shareArms(t.c.db, plan.id, 0, 'checkout.error');
    // the first test's units were never exposed: their events do not count, and only these 60 units are exposed
    expect(exposedBefore).toEqual({ treatment: expected.treatment.units, control: expected.control.units });
    expect(share).toEqual(expected);
    const mean = await t.c.repos.guardData.meanArms(t.c.db, plan.id, 0, 'checkout.amount');
    expect(mean).toEqual(means);
    expect(await t.c.repos.guardData.shareArms(t.c.db, plan.id, 1, 'checkout.error')).toEqual({
      treatment: { units: 0, unitsWithEvent: 0 },
      control: { units: 0, unitsWithEvent: 0 },
    });
  });

  it('when the OpenFeature client tracks through FlagpoleProvider, then the events arrive, batched, and one the server would refuse is dropped alone', async () => {
    const errors: string[] = [];
    const provider = new FlagpoleProvider({
      baseUrl: server.url,
      headers: { Authorization: `Bearer ${sdk}` },
      trackFlushMs: 60_000,
      onTrackError: (err) => errors.push(err.message),
    });
    await OpenFeature.setProviderAndWait('flagpole', provider);
    const client = OpenFeature.getClient('flagpole');
    expect(await client.getBooleanValue('checkout.one-page', false, { targetingKey: 'sdk-1' })).toEqual(
      expect.any(Boolean),
    );
    client.track('checkout.error', { targetingKey: 'sdk-1' }, { value: 1 });
    client.track('checkout.amount', { targetingKey: 'sdk-1', when: new Date('2026-12-02T10:00:00Z') }, { value: 12.5 });
    client.track('Not A Valid Name', { targetingKey: 'sdk-1' });
    client.track('checkout.amount', { targetingKey: 'sdk-1' }, { value: Number.NaN });
    await provider.flush();
    await t.c.evaluation.events.flush();
    expect(errors).toEqual([expect.stringContaining('Not A Valid Name'), expect.stringContaining('finite number')]);
    const rows = (await unitEvents()).filter((r) => r.unit === 'sdk-1');
    expect(rows).toEqual([
      { stage: 0, event: 'checkout.amount', unit: 'sdk-1', events: 1, valueCount: 1, valueSum: 12.5 },
      { stage: 0, event: 'checkout.error', unit: 'sdk-1', events: 1, valueCount: 1, valueSum: 1 },
    ]);

    for (let i = 0; i < 1200; i++) client.track('checkout.error', { targetingKey: `bulk-${i}` });
    await provider.flush();
    await t.c.evaluation.events.flush();
    expect(
      await t.c.db('plan_unit_events').where({ planId: plan.id }).whereLike('unit', 'bulk-%').count('* as n'),
    ).toEqual([{ n: '1200' }]);
    expect(errors).toHaveLength(2);
  });

  it('when the provider cannot reach the server, then track neither throws nor rejects, and the failure is reported', async () => {
    const errors: Array<[string, number]> = [];
    const provider = new FlagpoleProvider({
      baseUrl: 'http://127.0.0.1:1',
      onTrackError: (err, n) => errors.push([err.message, n]),
    });
    expect(() => provider.track('checkout.error', { targetingKey: 'u' }, {})).not.toThrow();
    await expect(provider.flush()).resolves.toBeUndefined();
    expect(errors).toEqual([[expect.any(String), 1]]);
  });
});

describe('the rate limit', () => {
  it('when a client token goes over FLAGPOLE_EVALUATION_RATE_LIMIT, then track answers 429 with Retry-After: evaluations and events share the budget', async () => {
    const limited = await createTestApp({
      clock: new FakeClock('2026-11-24T10:00:00.250Z'),
      env: { FLAGPOLE_EVALUATION_RATE_LIMIT: '2' },
    });
    try {
      const other = await createTenant(limited.c, 'limited');
      const secret = await clientToken(limited.c, other);
      const send = () =>
        request(limited.app)
          .post('/ofrep/v1/track')
          .set('Authorization', `Bearer ${secret}`)
          .send({ events: [event()] });
      await request(limited.app)
        .post('/ofrep/v1/evaluate/flags')
        .set('Authorization', `Bearer ${secret}`)
        .send({})
        .expect(200);
      await send().expect(202);
      const refused = await send().expect(429);
      expect([refused.headers['retry-after'], refused.body.errorCode]).toEqual(['1', 'GENERAL']);
    } finally {
      await limited.close();
    }
  });
});
