import fc from 'fast-check';
import request from 'supertest';
import { allRoutes } from '../../api/app';
import { isWrite, type AnyRoute } from '../../api/http/route';
import { bearer, createTenant, createTestApp, type TestApp, type TestTenant } from '../support/test-app';
import { clientToken } from '../support/ofrep';
import { writtenState } from '../support/writes';

/**
 * Hostile input on every write route of the route table and on OFREP: whatever arrives, the
 * answer is in the contract's shape, never a 500, and nothing is written. Each generated
 * request carries at least one poison (text PostgreSQL refuses, 10,000 levels of nesting, a
 * `__proto__` key, a number JSON cannot hold, a wrong type) plus some noise that alone would
 * be valid, so no generated request may succeed.
 */

jest.setTimeout(60_000);

const SEED = 4242;
const RUNS_PER_ROUTE = 20;
const OFREP_RUNS = 60;
let cases = 0;

let t: TestApp;
let tenant: TestTenant;
let admin: string;
let sdk: string;
const ids: Record<string, string> = {};
let flagKey: string;

// values spliced into the JSON text, since JSON.stringify cannot write them
const RAW = {
  '@@deep-array@@': `${'['.repeat(10_000)}1${']'.repeat(10_000)}`,
  '@@deep-object@@': `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`,
  '@@1e309@@': '1e309',
  '@@-1e309@@': '-1e309',
  '@@1e-400@@': '1e-400',
} as const;
const raw = (name: keyof typeof RAW) => name as string;

/** An object with `key` as an own property, even `__proto__`, so JSON.stringify writes it. */
function withKey(target: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  const copy = { ...target };
  Object.defineProperty(copy, key, { value, enumerable: true, writable: true, configurable: true });
  return copy;
}

const unsafeText = fc.constantFrom(
  '\u0000',
  'a\u0000b',
  'x\ud800',
  '\udfff',
  'tail\ud83d',
  '\ude00head',
  '\u0000\ud800',
);
/** Always invalid wherever it lands: no Flagpole field accepts any of these. */
const poisonValue = fc.oneof(
  unsafeText,
  fc.constantFrom(raw('@@deep-array@@'), raw('@@deep-object@@'), raw('@@1e309@@'), raw('@@-1e309@@')),
  fc.constantFrom(
    [],
    [1, 'two'],
    {},
    { nested: 'x\ud800' },
    withKey({}, '__proto__', { polluted: true }),
    withKey({}, '__proto__', null),
    'x'.repeat(300_000),
  ),
);
/** Strange but possibly valid alone: NaN-ish strings, edge numbers, prototype names, big text within the limit. */
const noiseValue = fc.constantFrom<unknown>(
  'NaN',
  'Infinity',
  '-0',
  '1e309',
  'constructor',
  '__proto__',
  null,
  true,
  0,
  -1,
  1e308,
  raw('@@1e-400@@'),
  'y'.repeat(50_000),
);
const poisonKey = fc.constantFrom('__proto__', 'k\u0000', 'k\ud800', '\udc00');
const noiseKey = fc.constantFrom('constructor', 'prototype', 'toString', 'hasOwnProperty');

type Path = Array<string | number>;
type Mutation = { at: number; key?: string; value: unknown; kind: 'leaf' | 'key' | 'root' };

/** Every place in `value` where a mutation may land: leaves (replace) and objects (add a key). */
function places(value: unknown, path: Path = [], out: Array<{ path: Path; object: boolean }> = []) {
  if (Array.isArray(value)) value.forEach((v, i) => places(v, [...path, i], out));
  else if (value && typeof value === 'object') {
    out.push({ path, object: true });
    for (const [k, v] of Object.entries(value)) places(v, [...path, k], out);
  } else out.push({ path, object: false });
  return out;
}

function apply(body: unknown, m: Mutation): unknown {
  if (m.kind === 'root') return m.value;
  const spots = places(body).filter((p) => p.object === (m.kind === 'key'));
  if (spots.length === 0) return m.kind === 'key' ? m.value : body;
  const { path } = spots[m.at % spots.length];
  const set = (node: unknown, i: number): unknown => {
    if (i === path.length)
      return m.kind === 'key' ? withKey(node as Record<string, unknown>, m.key!, m.value) : m.value;
    const step = path[i];
    if (Array.isArray(node)) return node.map((v, j) => (j === step ? set(v, i + 1) : v));
    const obj = node as Record<string, unknown>;
    return withKey(obj, String(step), set(obj[step as string], i + 1));
  };
  return set(body, 0);
}

const mutation = (value: fc.Arbitrary<unknown>, key: fc.Arbitrary<string>, kinds: Mutation['kind'][]) =>
  fc.record({ at: fc.nat(50), key, value, kind: fc.constantFrom(...kinds) }) as fc.Arbitrary<Mutation>;
/** One poison, applied last so that noise cannot overwrite it, after up to two noises. */
const hostileBody = fc.tuple(
  fc.array(mutation(noiseValue, noiseKey, ['leaf', 'key']), { maxLength: 2 }),
  // mostly unstorable text in a leaf: the body is otherwise valid, so only the text check can stop it
  fc.oneof(
    { weight: 4, arbitrary: mutation(unsafeText, noiseKey, ['leaf']) },
    { weight: 1, arbitrary: mutation(poisonValue, noiseKey, ['leaf', 'key', 'root']) },
    { weight: 1, arbitrary: mutation(noiseValue, poisonKey, ['key']) },
  ),
);

function jsonText(body: unknown): string {
  let text = JSON.stringify(body) ?? 'null';
  for (const [name, value] of Object.entries(RAW)) text = text.split(JSON.stringify(name)).join(value);
  return text;
}

/** Headers that are odd but sendable (Node refuses control characters in headers on both ends). */
const hostileHeaders = fc.record(
  {
    'X-Tenant-Id': fc.constantFrom('\u00ff\u00fe', 'a'.repeat(5000), "'; drop table tenants; --", '%00', '../../etc'),
    'Idempotency-Key': fc.constantFrom('\u00e9t\u00e9', 'k'.repeat(300), 'ok-key-1'),
    'If-Match': fc.constantFrom('"abc"', 'W/"99999999999"', '*'),
    'Content-Type': fc.constantFrom('application/json', 'application/json; charset=utf-16', 'text/plain'),
  },
  { requiredKeys: [] },
);
/** Mostly plain headers: a hostile one usually stops the request before its body is read, hiding the body's poison. */
const headersOf = fc.oneof({ weight: 3, arbitrary: fc.constant({}) }, { weight: 1, arbitrary: hostileHeaders });
const hostileQuery = fc.option(
  fc.constantFrom('q=%00', 'cursor=1', 'x=%ED%A0%80', 'a[b]=1&a[c]=2', `q=${'z'.repeat(4000)}`),
  { nil: undefined },
);
/** A route without a body ignores whatever body comes, so its poison goes in the query. */
const poisonQuery = fc.constantFrom('q=%00', 'x=a%00b', 'cursor=%00', 'k%00=1');

function validBody(r: AnyRoute): unknown {
  const stages = [
    { percent: 5, holdSeconds: 30 },
    { percent: 100, holdSeconds: 0 },
  ];
  const bodies: Record<string, unknown> = {
    'post /auth/login': { email: 'nobody@example.test', password: 'not-the-password' },
    'post /admin/feature-flags': { key: 'fuzz.flag', description: 'made by fuzz', tags: ['fuzz'], enabled: true },
    'post /admin/feature-flags/actions/enable': { ids: [ids.flag], reason: 'fuzz' },
    'post /admin/feature-flags/actions/disable': { ids: [ids.flag], reason: 'fuzz' },
    'patch /admin/feature-flags/:id': { description: 'changed', tags: ['a', 'b'] },
    'put /admin/feature-flags/:id/rules': {
      rules: [
        { kind: 'tenant', tenantIds: [tenant.slug] },
        { kind: 'segment', segmentId: ids.segment },
        { kind: 'percent', percent: 12.5, stickiness: 'targetingKey', groupId: 'fuzz-group' },
      ],
    },
    'post /admin/segments': {
      name: 'fuzz segment',
      description: 'd',
      constraints: [{ attribute: 'country', operator: 'in', values: ['DE', 'FR'] }],
    },
    'patch /admin/segments/:id': {
      name: 'renamed',
      constraints: [{ attribute: 'plan', operator: 'eq', values: ['pro'] }],
    },
    'post /admin/evaluations': { context: { targetingKey: 'user-1', country: 'DE' }, flagKey },
    'post /admin/api-tokens': { name: 'fuzz token', scope: 'admin', role: 'viewer', expiresInDays: 30 },
    'post /admin/rollout-plans': { flagId: ids.flag, stages, stickiness: 'targetingKey', rollbackPercent: 0 },
    'patch /admin/rollout-plans/:id': { stages, rollbackPercent: 0 },
    'post /admin/webhooks': {
      url: 'https://example.com/hook',
      secret: 'a-secret-of-16-chars',
      events: ['plan.started'],
      enabled: true,
    },
    'patch /admin/webhooks/:id': { url: 'https://example.com/other', enabled: false },
  };
  return bodies[`${r.method} ${r.path}`] ?? { reason: 'fuzz' };
}

function pathOf(r: AnyRoute): string {
  const param = r.path.startsWith('/admin/feature-flags')
    ? ids.flag
    : r.path.startsWith('/admin/segments')
      ? ids.segment
      : r.path.startsWith('/admin/rollout-plans')
        ? ids.plan
        : r.path.startsWith('/admin/webhooks')
          ? ids.webhook
          : r.path.startsWith('/admin/api-tokens')
            ? ids.token
            : ids.notification;
  return r.path.replace(/:\w+/g, param);
}

function expectContractError(res: request.Response, where: string): void {
  expect([where, res.status]).not.toEqual([where, 500]);
  expect([where, res.status >= 400 && res.status < 500]).toEqual([where, true]);
  expect([where, res.body?.error]).toEqual([
    where,
    expect.objectContaining({ code: expect.any(String), message: expect.any(String), requestId: expect.any(String) }),
  ]);
}

beforeAll(async () => {
  t = await createTestApp();
  tenant = await createTenant(t.c);
  admin = await bearer(t.c, tenant, 'admin');
  sdk = await clientToken(t.c, tenant);
  const api = (method: 'post' | 'put', path: string, body: object) =>
    request(t.app)[method](path).set('Authorization', admin).set('Idempotency-Key', `setup-${path}`).send(body);
  const flag = (await api('post', '/admin/feature-flags', { key: 'hostile.target', enabled: true }).expect(201)).body;
  ids.flag = flag.id;
  flagKey = flag.key;
  ids.segment = (
    await api('post', '/admin/segments', {
      name: 'target',
      constraints: [{ attribute: 'country', operator: 'in', values: ['DE'] }],
    }).expect(201)
  ).body.id;
  ids.plan = (
    await api('post', '/admin/rollout-plans', { flagId: flag.id, stages: [{ percent: 50, holdSeconds: 0 }] }).expect(
      201,
    )
  ).body.id;
  ids.webhook = (
    await api('post', '/admin/webhooks', { url: 'https://example.com/hook', secret: 'a-secret-of-16-chars' }).expect(
      201,
    )
  ).body.id;
  ids.token = (await api('post', '/admin/api-tokens', { name: 'target' }).expect(201)).body.token.id;
  await api('post', `/admin/feature-flags/${flag.id}/actions/disable`, { reason: 'make a notification' }).expect(200);
  ids.notification = (await t.c.db('notifications').where({ tenantId: tenant.id }).first()).id;
});
afterAll(async () => {
  await t.close();
  // read by the report: how many generated requests ran
  process.stdout.write(`hostile-input: ${cases} generated requests\n`);
});

describe('hostile bodies, queries and headers on every write route', () => {
  const writeRoutes = () => allRoutes(t.c).filter((r) => isWrite(r) || r.readOnly);

  it('when a write route gets hostile input, then the answer is a 4xx in the error contract and nothing is written', async () => {
    const routes = writeRoutes();
    expect(routes.length).toBeGreaterThan(25);
    const before = await writtenState(t.c, [tenant.id]);
    for (const r of routes) {
      await fc.assert(
        fc.asyncProperty(
          hostileBody,
          r.body ? hostileQuery : poisonQuery,
          headersOf,
          async ([noise, poison], query, headers) => {
            cases++;
            const body = [...noise, poison].reduce(apply, validBody(r));
            const url = query ? `${pathOf(r)}?${query}` : pathOf(r);
            const agent = request(t.app);
            const req = agent[r.method](url).set('Authorization', admin).set('Content-Type', 'application/json');
            for (const [name, value] of Object.entries(headers)) req.set(name, value);
            const res = await req.send(jsonText(body));
            expectContractError(res, `${r.method} ${r.path}`);
          },
        ),
        { seed: SEED, numRuns: RUNS_PER_ROUTE },
      );
    }
    expect(await writtenState(t.c, [tenant.id])).toEqual(before);
  });

  it('when a path parameter holds NUL or a broken UTF-8 escape, then 400 and nothing is written', async () => {
    const before = await writtenState(t.c, [tenant.id]);
    for (const r of allRoutes(t.c).filter((x) => x.path.includes(':id'))) {
      for (const bad of ['%00', 'a%00b', '%ED%A0%80', '%C0%AF']) {
        cases++;
        const agent = request(t.app);
        const res = await agent[r.method](r.path.replace(':id', bad))
          .set('Authorization', admin)
          .set('Idempotency-Key', 'p-1')
          .send(validBody(r) as object);
        expectContractError(res, `${r.method} ${r.path} ${bad}`);
        // a NUL is named; a broken escape never becomes a parameter at all
        if (bad.includes('%00') && res.status === 400)
          expect(res.body.error.details).toEqual([expect.objectContaining({ path: 'params.id' })]);
      }
    }
    expect(await writtenState(t.c, [tenant.id])).toEqual(before);
  });
});

describe('text PostgreSQL refuses, named where it is', () => {
  const send = (method: 'post' | 'patch' | 'put' | 'get', path: string, body?: unknown) => {
    const req = request(t.app)[method](path).set('Authorization', admin).set('Idempotency-Key', `k-${cases++}`);
    return body === undefined ? req : req.set('Content-Type', 'application/json').send(jsonText(body));
  };
  const cases400: Array<[string, () => request.Test, string]> = [
    [
      'flag description (NUL)',
      () => send('patch', `/admin/feature-flags/${ids.flag}`, { description: 'a\u0000b' }),
      'description',
    ],
    [
      'flag description (lone high surrogate)',
      () => send('patch', `/admin/feature-flags/${ids.flag}`, { description: 'broken \ud83d' }),
      'description',
    ],
    [
      'new flag description (lone low surrogate)',
      () => send('post', '/admin/feature-flags', { key: 'fuzz.one', description: '\ude00' }),
      'description',
    ],
    [
      'segment name',
      () =>
        send('post', '/admin/segments', {
          name: 'seg\u0000',
          constraints: [{ attribute: 'a', operator: 'eq', values: ['b'] }],
        }),
      'name',
    ],
    [
      'segment constraint value',
      () =>
        send('patch', `/admin/segments/${ids.segment}`, {
          constraints: [{ attribute: 'a', operator: 'in', values: ['\ud800'] }],
        }),
      'constraints[0].values[0]',
    ],
    [
      'rule groupId',
      () =>
        send('put', `/admin/feature-flags/${ids.flag}/rules`, {
          rules: [{ kind: 'percent', percent: 5, groupId: 'g\u0000' }],
        }),
      'rules[0].groupId',
    ],
    ['token name', () => send('post', '/admin/api-tokens', { name: 'tok\udfff' }), 'name'],
    [
      'action reason',
      () => send('post', `/admin/feature-flags/${ids.flag}/actions/enable`, { reason: 'because\u0000' }),
      'reason',
    ],
    [
      'bulk action reason',
      () => send('post', '/admin/feature-flags/actions/enable', { ids: [ids.flag], reason: '\ud800' }),
      'reason',
    ],
    [
      'login email',
      () =>
        request(t.app)
          .post('/auth/login')
          .set('Content-Type', 'application/json')
          .send(jsonText({ email: 'a\u0000@b.test', password: 'x' })),
      'email',
    ],
    ['flags q search', () => send('get', '/admin/feature-flags?q=a%00b'), 'query.q'],
    ['segments q search', () => send('get', '/admin/segments?q=%00'), 'query.q'],
    ['audit resourceId', () => send('get', '/admin/audit-events?resourceId=x%00'), 'query.resourceId'],
    [
      'a key with NUL in a stored object',
      () =>
        send(
          'post',
          '/admin/webhooks',
          withKey({ url: 'https://example.com/h', secret: 'a-secret-of-16-chars' }, 'e\u0000', 1),
        ),
      'e\\u0000',
    ],
    [
      'a __proto__ key',
      () =>
        send('patch', `/admin/feature-flags/${ids.flag}`, withKey({ description: 'x' }, '__proto__', { version: 99 })),
      '__proto__',
    ],
  ];

  it.each(cases400)(
    'when the %s is not storable text, then 400 VALIDATION_FAILED naming it, and nothing is written',
    async (_name, call, path) => {
      const before = await writtenState(t.c, [tenant.id]);
      const res = await call();
      expect([res.status, res.body.error?.code]).toEqual([400, 'VALIDATION_FAILED']);
      expect(res.body.error.details).toEqual([{ path, message: expect.any(String) }]);
      expect(await writtenState(t.c, [tenant.id])).toEqual(before);
    },
  );

  it('when a body holds constructor or prototype keys where free keys are allowed, then nothing is polluted', async () => {
    const res = await send('post', '/admin/evaluations', {
      context: { targetingKey: 'u', constructor: 'x', prototype: 'y', toString: 'z' },
    });
    expect(res.status).toBe(200);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype.toString.call([])).toBe('[object Array]');
  });
});

describe('OFREP evaluate, single and bulk', () => {
  const ofrepBody = fc.tuple(
    fc.array(mutation(noiseValue, noiseKey, ['leaf', 'key']), { maxLength: 2 }),
    // a context attribute may be any JSON (objects and infinities count as missing), so only text and depth are poison there
    fc.oneof(
      mutation(
        fc.oneof(unsafeText, fc.constantFrom(raw('@@deep-array@@'), raw('@@deep-object@@'), 'x'.repeat(300_000))),
        noiseKey,
        ['leaf', 'key'],
      ),
      mutation(noiseValue, poisonKey, ['key']),
    ),
  );

  it('when an evaluation gets hostile context, then 400 INVALID_CONTEXT or PARSE_ERROR (413 past the limit), never 500', async () => {
    await fc.assert(
      fc.asyncProperty(ofrepBody, fc.boolean(), async ([noise, poison], single) => {
        cases++;
        const body = [...noise, poison].reduce(apply, {
          context: { targetingKey: 'user-1', country: 'DE', plan: 'pro' },
        });
        const path = single ? `/ofrep/v1/evaluate/flags/${flagKey}` : '/ofrep/v1/evaluate/flags';
        const res = await request(t.app)
          .post(path)
          .set('Authorization', `Bearer ${sdk}`)
          .set('Content-Type', 'application/json')
          .send(jsonText(body));
        expect([res.status, res.body.errorCode]).toEqual(
          res.status === 413
            ? [413, 'PARSE_ERROR']
            : [400, expect.stringMatching(/^(INVALID_CONTEXT|PARSE_ERROR|TARGETING_KEY_MISSING)$/)],
        );
        expect(res.body.errorDetails).toEqual(expect.any(String));
      }),
      { seed: SEED, numRuns: OFREP_RUNS },
    );
  });

  it('when the context holds NUL, a lone surrogate or a __proto__ key, then 400 INVALID_CONTEXT naming it', async () => {
    for (const [text, where] of [
      ['{"context":{"targetingKey":"a\\u0000"}}', 'context.targetingKey'],
      ['{"context":{"country":"\\ud800"}}', 'context.country'],
      ['{"context":{"__proto__":{"x":1}}}', 'context.__proto__'],
      ['{"context":{"k\\u0000":1}}', 'context.k\\u0000'],
    ]) {
      cases++;
      const res = await request(t.app)
        .post('/ofrep/v1/evaluate/flags')
        .set('Authorization', `Bearer ${sdk}`)
        .set('Content-Type', 'application/json')
        .send(text);
      expect([res.status, res.body.errorCode]).toEqual([400, 'INVALID_CONTEXT']);
      expect(res.body.errorDetails).toContain(where);
    }
  });
});

describe('the job dashboard', () => {
  it('when a job id, queue name or query holds NUL, then 400 naming it and nothing is written (the PostgreSQL queue store refuses NUL)', async () => {
    const ops = await t.c.repos.tenants.upsert({ slug: `ops-${tenant.slug}`, name: 'Ops', kind: 'platform' });
    const operator = await bearer(t.c, { id: ops.id, slug: ops.slug }, 'operator');
    const queue = t.c.queues.all()[0].name;
    const before = await writtenState(t.c, [ops.id]);
    for (const [method, path, where] of [
      ['get', `/admin/queues/api/queues/${queue}/a%00b`, 'params.path'],
      ['put', `/admin/queues/api/queues/${queue}/a%00b/retry`, 'params.path'],
      ['get', `/admin/queues/api/queues?activeQueue=${queue}&status=a%00`, 'query.status'],
    ] as const) {
      cases++;
      const res = await request(t.app)[method](path).set('Authorization', operator);
      expect([path, res.status, res.body.error?.details]).toEqual([
        path,
        400,
        [{ path: where, message: expect.any(String) }],
      ]);
    }
    expect(await writtenState(t.c, [ops.id])).toEqual(before);
  });
});
