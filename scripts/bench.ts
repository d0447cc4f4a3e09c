/**
 * `npm run bench`: OFREP throughput and latency on the real stores, against a bare node:http
 * server answering a prebuilt body of the same size; bulk evaluation with exposure recording on
 * (a tenant with guarded rollout plans) and off (the same tenant without), side by side; tracking
 * events in batches of 500; and change propagation between two api processes. Not a test: it
 * prints figures (see README, Performance).
 */
import { randomBytes } from 'node:crypto';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import createKnex from 'knex';
import { loadConfig } from '../modules/platform/config';
import { createContainer } from '../modules/platform/container';
import { migrateLatest } from '../modules/platform/db';
import { randomSecret } from '../modules/platform/ids';
import { drive, loadTool, type LoadResult, type LoadSpec } from './bench/load';
import { GUARDED_FLAGS, seedBenchTenant, seedPlannedTenant } from './bench/seed';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const CHANGES = Number(process.env.BENCH_CHANGES ?? 25);
/** A population of users that come back (exposure recording's usual case), against every request a new unit. */
const POPULATION = Number(process.env.BENCH_UNITS ?? 20_000);
const TRACK_BATCH = 500;
const PORT_A = 3901;
const PORT_B = 3902;
const PORT_BARE = 3903;
const root = path.resolve(__dirname, '..');
const base = loadConfig();
const dbUrl = new URL(base.databaseUrl);
dbUrl.pathname = '/flagpole_bench';
const redisPrefix = `flagpole-bench-${randomSecret(4).replace(/[^a-zA-Z0-9]/g, '')}`;
const children: ChildProcess[] = [];
let stopping = false;

async function freshDatabase(): Promise<void> {
  const admin = new URL(dbUrl);
  admin.pathname = '/postgres';
  const knex = createKnex({ client: 'pg', connection: admin.toString(), pool: { min: 0, max: 1 } });
  try {
    await knex.raw('drop database if exists flagpole_bench with (force)');
    await knex.raw('create database flagpole_bench');
  } finally {
    await knex.destroy();
  }
}

/** The api as deployed: compiled with tsconfig.build.json, run by plain node. */
function buildApi(): string {
  const out = path.join(root, 'node_modules/.cache/flagpole-bench'); // inside the repo, so node_modules resolve
  fs.rmSync(out, { recursive: true, force: true });
  execFileSync(
    process.execPath,
    [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.build.json'), '--outDir', out],
    {
      stdio: 'inherit',
    },
  );
  return path.join(out, 'api/main.js');
}

function startApi(entry: string, port: number): ChildProcess {
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, entry], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      SESSION_SECRET: randomSecret(24),
      FLAGPOLE_SECRET_KEYS: randomBytes(32).toString('base64'),
      HOST: '127.0.0.1',
      PORT: String(port),
      DATABASE_URL: dbUrl.toString(),
      REDIS_URL: base.redisUrl,
      REDIS_PREFIX: redisPrefix,
      LOG_LEVEL: 'warn',
      // the load generator is one client token: the per-token limit would measure itself, not evaluation
      FLAGPOLE_EVALUATION_RATE_LIMIT: '0',
    },
  });
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`api on port ${port} exited (${signal ?? code})`);
      process.exit(1);
    }
  });
  children.push(child);
  return child;
}

function startBareServer(body: string): ChildProcess {
  const source = `const http = require('node:http'); const body = Buffer.from(process.env.BODY);
    http.createServer((req, res) => { req.resume(); req.on('end', () => { res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': body.length }); res.end(body); }); })
      .listen(${PORT_BARE}, '127.0.0.1');`;
  const child = spawn(process.execPath, ['-e', source], { stdio: 'ignore', env: { BODY: body } });
  children.push(child);
  return child;
}

async function waitFor(url: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      if ((await fetch(url)).status < 500) return;
    } catch {
      if (Date.now() > deadline) throw new Error(`${url} did not answer within 30 s`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

function rssMb(pid: number): { rss: number; peak: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? Number.NaN);
  return { rss: Math.round(kb('VmRSS') / 1024), peak: Math.round(kb('VmHWM') / 1024) };
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const warmAgent = new http.Agent({ keepAlive: true, maxSockets: 16 });
function post(
  port: number,
  urlPath: string,
  headers: Record<string, string>,
  body: string,
  via = agent,
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path: urlPath,
        method: 'POST',
        agent: via,
        headers: { 'Content-Type': 'application/json', ...headers },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Evaluates every flag once for each user of the population, so its exposures are recorded before anything is measured. */
async function exposePopulation(port: number, headers: Record<string, string>, body: string): Promise<void> {
  let next = 1;
  const lane = async () => {
    while (next <= POPULATION) {
      const res = await post(
        port,
        '/ofrep/v1/evaluate/flags',
        headers,
        body.replace('{{n}}', String(next++)),
        warmAgent,
      );
      if (res.status !== 200) throw new Error(`warm-up evaluation answered ${res.status}`);
    }
  };
  await Promise.all(Array.from({ length: 16 }, lane));
  // the last batch is written within FLAGPOLE_GUARD_FLUSH_MS
  await new Promise((r) => setTimeout(r, 1000));
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

/** An admin change through A, timed until B evaluates the new value. */
async function propagation(editor: string, client: string, flag: { id: string; key: string }): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < CHANGES; i++) {
    const enable = i % 2 === 1;
    const started = performance.now();
    const write = await post(
      PORT_A,
      `/admin/feature-flags/${flag.id}/actions/${enable ? 'enable' : 'disable'}`,
      { Authorization: `Bearer ${editor}`, 'Idempotency-Key': `bench-${i}` },
      '{}',
    );
    if (write.status !== 200) throw new Error(`admin change answered ${write.status}: ${write.body}`);
    for (;;) {
      const res = await post(
        PORT_B,
        `/ofrep/v1/evaluate/flags/${flag.key}`,
        { Authorization: `Bearer ${client}` },
        '{"context":{"targetingKey":"p"}}',
      );
      if ((JSON.parse(res.body) as { value: boolean }).value === enable) break;
      if (performance.now() - started > 5000) throw new Error('change did not reach process B within 5 s');
    }
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b);
}

async function main(): Promise<void> {
  const tool = loadTool();
  console.log(
    `Flagpole OFREP benchmark: ${SECONDS} s per scenario, ${CONNECTIONS} connections, load by ${tool} (second process)\n`,
  );
  if (tool === 'autocannon') {
    console.log(
      'Note: autocannon (one node process) saturates before the bare server does, which flatters the ratios, and reports whole',
    );
    console.log('milliseconds; install wrk (apt-get install wrk) for the figures in the README.\n');
  }
  await freshDatabase();
  const c = createContainer(
    { ...base, databaseUrl: dbUrl.toString(), redisPrefix, logLevel: 'warn' },
    { name: 'flagpole-bench' },
  );
  await migrateLatest(c.db);
  const seeded = await seedBenchTenant(c, 'bench');
  const unguarded = await seedPlannedTenant(c, 'bench-planned', { guarded: false });
  const guarded = await seedPlannedTenant(c, 'bench-guarded', { guarded: true });
  await c.close();

  const entry = buildApi();
  const api = startApi(entry, PORT_A);
  startApi(entry, PORT_B);
  await Promise.all([waitFor(`http://127.0.0.1:${PORT_A}/healthz`), waitFor(`http://127.0.0.1:${PORT_B}/healthz`)]);

  const auth = { Authorization: `Bearer ${seeded.clientSecret}` };
  const varied = '{"context":{"targetingKey":"user-{{n}}","tenantId":"acme","country":"DE","plan":"enterprise"}}';
  const fixed = varied.replace('{{n}}', '42');
  const sample = await post(PORT_A, '/ofrep/v1/evaluate/flags', auth, fixed);
  if (sample.status !== 200) throw new Error(`bulk evaluation answered ${sample.status}: ${sample.body}`);
  const etag = String(sample.headers.etag);
  startBareServer(sample.body);
  await waitFor(`http://127.0.0.1:${PORT_BARE}/`);

  const spec = (port: number, urlPath: string, extra: Partial<LoadSpec>): LoadSpec => ({
    url: `http://127.0.0.1:${port}${urlPath}`,
    headers: auth,
    body: varied,
    varied: true,
    connections: CONNECTIONS,
    seconds: SECONDS,
    ...extra,
  });
  const bulk = spec(PORT_A, '/ofrep/v1/evaluate/flags', {});
  await drive({ ...bulk, seconds: 3 }, tool); // warm-up (JIT, pools)

  const scenarios: Array<[string, LoadSpec, number | undefined]> = [
    [`bare node:http, prebuilt ${sample.body.length}-byte body`, spec(PORT_BARE, '/', { headers: {} }), undefined],
    ['bulk, varied targetingKey (50 flags)', bulk, api.pid],
    ['single flag, varied targetingKey', spec(PORT_A, '/ofrep/v1/evaluate/flags/bench.flag-07', {}), api.pid],
    [
      'bulk with If-None-Match (304)',
      spec(PORT_A, '/ofrep/v1/evaluate/flags', {
        body: fixed,
        varied: false,
        headers: { ...auth, 'If-None-Match': etag },
      }),
      api.pid,
    ],
  ];
  // exposures: two tenants with the same 50 flags and the same ten running plans, with guards (on) and without (off)
  const guardedAuth = { Authorization: `Bearer ${guarded.clientSecret}` };
  const unguardedAuth = { Authorization: `Bearer ${unguarded.clientSecret}` };
  const returning = { units: POPULATION };
  const off = spec(PORT_A, '/ofrep/v1/evaluate/flags', { ...returning, headers: unguardedAuth });
  const on = spec(PORT_A, '/ofrep/v1/evaluate/flags', { ...returning, headers: guardedAuth });
  const offFresh = spec(PORT_A, '/ofrep/v1/evaluate/flags', { headers: unguardedAuth });
  const onFresh = spec(PORT_A, '/ofrep/v1/evaluate/flags', { headers: guardedAuth });
  // warm-up: each user of the population is exposed once (10 rows each) before the figures are taken
  await exposePopulation(PORT_A, guardedAuth, varied);
  await drive({ ...off, seconds: 3 }, tool);
  const population = POPULATION.toLocaleString('en');
  // off and on in turn, twice: this shared machine drifts by more than the difference measured
  for (const run of [1, 2]) {
    scenarios.push(
      [`bulk, ${GUARDED_FLAGS} plans, exposures off, ${population} users #${run}`, off, api.pid],
      [`bulk, ${GUARDED_FLAGS} plans, exposures on, ${population} users #${run}`, on, api.pid],
    );
  }
  scenarios.push(
    [`bulk, ${GUARDED_FLAGS} plans, exposures off, new users`, offFresh, api.pid],
    [`bulk, ${GUARDED_FLAGS} plans, exposures on, new users`, onFresh, api.pid],
  );
  // 50 users of the population per request, 10 events each, spread over the ten plans' event names
  const trackBody = JSON.stringify({
    events: Array.from({ length: TRACK_BATCH }, (_, i) => {
      const context = { targetingKey: `user-{{n}}-${i % 50}` };
      const plan = Math.floor(i / 50) % GUARDED_FLAGS;
      return i % 2 === 0
        ? { name: `bench.error-${plan}`, context }
        : { name: `bench.amount-${plan}`, context, value: i };
    }),
  });
  const track = spec(PORT_A, '/ofrep/v1/track', {
    headers: guardedAuth,
    body: trackBody,
    units: Math.ceil(POPULATION / 50),
  });
  scenarios.push([`track, ${TRACK_BATCH} events per request`, track, api.pid]);

  const rows: Array<{ name: string; r: LoadResult; rss?: { rss: number; peak: number } }> = [];
  for (const [name, s, pid] of scenarios) {
    const r = await drive(s, tool);
    rows.push({ name, r, rss: pid ? rssMb(pid) : undefined });
  }
  const bare = rows[0].r.rps;
  console.log(
    'scenario                                           req/s     p50 ms   p99 ms   errors   ratio to bare   api RSS MB (peak)',
  );
  for (const { name, r, rss } of rows) {
    console.log(
      `${name.padEnd(49)} ${r.rps.toFixed(0).padStart(7)} ${r.p50.toFixed(2).padStart(9)} ${r.p99.toFixed(2).padStart(8)} ${String(r.errors).padStart(8)} ${(r.rps / bare).toFixed(2).padStart(12)}x   ${rss ? `${rss.rss} (${rss.peak})` : '-'}`,
    );
  }
  const rps = (name: string) => {
    const runs = rows.filter((row) => row.name === name || row.name.startsWith(`${name} #`));
    return runs.reduce((sum, row) => sum + row.r.rps, 0) / runs.length;
  };
  const ratio = (users: string) =>
    (
      rps(`bulk, ${GUARDED_FLAGS} plans, exposures on, ${users}`) /
      rps(`bulk, ${GUARDED_FLAGS} plans, exposures off, ${users}`)
    ).toFixed(2);
  console.log(
    `\nexposure recording on / off: ${ratio(`${population} users`)}x with ${population} returning users, ${ratio('new users')}x when every request is a new user (goal: >= 0.90x)`,
  );
  console.log(
    `tracking: ${(rps(`track, ${TRACK_BATCH} events per request`) * TRACK_BATCH).toFixed(0)} events/s accepted in batches of ${TRACK_BATCH}`,
  );
  const metrics = await (await fetch(`http://127.0.0.1:${PORT_A}/metrics`)).text();
  const counters = [
    ...metrics.matchAll(/^(flagpole_(?:guard_exposures|tracking_events)_total)\{outcome="(\w+)"\} (\d+)/gm),
  ].map((m) => `${m[1]}{${m[2]}} ${m[3]}`);
  console.log(`api A's counters: ${counters.join(', ')}`);

  const times = await propagation(seeded.editorSecret, seeded.clientSecret, seeded.toggleFlag);
  console.log(
    `\npropagation (admin change via api A until api B evaluates it, ${times.length} changes): p50 ${percentile(times, 50).toFixed(1)} ms, p99 ${percentile(times, 99).toFixed(1)} ms, max ${times[times.length - 1].toFixed(1)} ms`,
  );
}

main()
  .catch((err) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(() => {
    agent.destroy();
    warmAgent.destroy();
    stopping = true;
    for (const child of children) child.kill('SIGTERM');
  });
