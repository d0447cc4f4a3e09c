/**
 * `npm run drill [-- --quick]`: Flagpole under real faults. Starts a real `npm start` on an
 * embedded PostgreSQL (in a temp folder) and a Redis of its own (`--save ""`, so a restart
 * comes back empty), drives a mixed load (admin writes with Idempotency-Keys, retried with the
 * same key; OFREP evaluations with a client token; running plans with short holds), and in
 * turn SIGKILLs the worker, SIGKILLs the api mid-write, restarts PostgreSQL and kills then
 * restarts Redis. Then it checks against the database that every acknowledged write is there
 * exactly once with exactly one audit event, that every plan completed with exactly one
 * transition per step, that nothing answered 5xx other than `503 UNAVAILABLE` (and that only
 * while a store was down) or hung past 2 s (5 s with --quick), and how long each fault took to recover from.
 * Prints a table and a verdict; exits 1 on any failed check. Only 127.0.0.1; every process
 * and folder it starts is removed by pid/path at the end, on failure too.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import { createDb } from '../modules/platform/db';
import { EMBEDDED_PASSWORD, embeddedPgCtl, freePort } from './dev-services';
import { DrillClient, ok, type Attempt } from './drill/client';
import { alive, descendants, exited, portOpen, startRedis, waitFor } from './drill/processes';
import { root } from './web-build';

const quick = process.argv.includes('--quick');
// --quick runs inside the test suite, beside browser tests on the same two cores: a request counts as hung after 5 s
// there, after 2 s in the full drill
const settings = quick
  ? { plans: 200, baselineMs: 5_000, phaseMs: 15_000, redisDownMs: 3_000, settleMs: 60_000, hangMs: 5_000 }
  : { plans: 1000, baselineMs: 10_000, phaseMs: 30_000, redisDownMs: 5_000, settleMs: 150_000, hangMs: 2_000 };
const WRITE_BUDGET_MS = 30_000; // well past the 5 s lease after which a killed request's idempotency claim is taken over
const WRITERS = 2;
const EVALUATORS = 2;
const TARGET_FLAGS = 20;
const MAX_WRITES = 100_000; // bounds the load loops by count as well as by time

type FaultName =
  'baseline' | 'worker SIGKILL' | 'api SIGKILL mid-write' | 'PostgreSQL restart' | 'Redis kill + empty restart';
interface Fault {
  name: FaultName;
  at: number;
  /** A store is down in this window: 503 UNAVAILABLE is then the right answer. */
  storeDown: boolean;
  /** The api is down in this window: refused connections are expected. */
  apiDown: boolean;
  note?: string;
}

/** A small seeded generator (mulberry32): the same holds on every run. */
function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

class Drill {
  readonly tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'flagpole-drill-'));
  readonly pgDir = path.join(this.tmp, 'pg');
  redis?: ChildProcess;
  redisPort = 0;
  flagpole?: ChildProcess;
  /** Every pid seen under npm start: what cleanup ends if npm start did not. */
  readonly seen = new Set<number>();
  output = '';
  db?: Knex;
  port = 0;

  async start(): Promise<void> {
    fs.chmodSync(this.tmp, 0o755); // as root, PostgreSQL runs as the user postgres and must reach its folder
    this.redisPort = await freePort();
    this.redis = await startRedis(this.redisPort);
    this.port = await freePort();
    this.flagpole = spawn('npm', ['start'], {
      cwd: root,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        PORT: String(this.port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        FLAGPOLE_DATA_DIR: this.tmp,
        DATABASE_URL: 'postgres://postgres@127.0.0.1:1/flagpole', // closed: npm start runs its embedded PostgreSQL
        REDIS_URL: `redis://127.0.0.1:${this.redisPort}`,
        REDIS_PREFIX: 'drill',
        // an emptied Redis loses the reconciler's schedule too: the worker reinstalls it within 6 reconcile periods
        FLAGPOLE_RECONCILE_EVERY_MS: '1000',
        FLAGPOLE_RECONCILE_GRACE_MS: '2000',
      },
    });
    this.flagpole.stdout!.on('data', (d) => (this.output += String(d)));
    this.flagpole.stderr!.on('data', (d) => (this.output += String(d)));
    await waitFor(
      'npm start to be ready',
      async () => {
        if (this.flagpole!.exitCode !== null) throw new Error(`npm start exited (${this.flagpole!.exitCode})`);
        this.remember();
        const res = await fetch(`http://127.0.0.1:${this.port}/readyz`).catch(() => undefined);
        return Boolean(res?.ok) && this.output.includes('Demo accounts');
      },
      180_000,
    );
    const pgPort = Number(fs.readFileSync(path.join(this.pgDir, 'postmaster.pid'), 'utf8').split('\n')[3]);
    this.db = createDb(`postgres://postgres:${EMBEDDED_PASSWORD}@127.0.0.1:${pgPort}/flagpole`, 2);
  }

  remember(): void {
    if (this.flagpole?.pid) for (const p of descendants(this.flagpole.pid)) this.seen.add(p.pid);
  }

  pidOf(entry: 'api/main.ts' | 'worker/main.ts' | 'scripts/start.ts'): number {
    const found = descendants(this.flagpole!.pid!).find((p) => p.command.endsWith(entry));
    if (!found) throw new Error(`no ${entry} process under npm start`);
    this.seen.add(found.pid);
    return found.pid;
  }

  /** Ctrl-C first (api and worker, then PostgreSQL, stop cleanly), then SIGKILL whatever is left; the temp folder last. */
  async cleanUp(): Promise<void> {
    await this.db?.destroy().catch(() => undefined); // the pool may hold sockets of a PostgreSQL already gone
    const npm = this.flagpole;
    if (npm?.pid && npm.exitCode === null && npm.signalCode === null) {
      this.remember();
      process.kill(-npm.pid, 'SIGINT');
      await Promise.race([exited(npm), sleep(30_000)]);
    }
    for (const pid of this.seen) if (alive(pid)) process.kill(pid, 'SIGKILL');
    if (fs.existsSync(path.join(this.pgDir, 'postmaster.pid')))
      await embeddedPgCtl(this.pgDir, 'stop', '-m', 'immediate', '-w').catch(() => undefined);
    if (this.redis && this.redis.exitCode === null) {
      this.redis.kill('SIGKILL');
      await exited(this.redis);
    }
    fs.rmSync(this.tmp, { recursive: true, force: true });
  }
}

interface Written {
  kind: 'update' | 'create';
  marker: string;
  acknowledged: boolean;
  tries: number;
  ms: number;
  end: number;
  outcome: Attempt['outcome'];
}

async function signIn(base: DrillClient): Promise<{ admin: DrillClient; evaluator: DrillClient }> {
  const login = await fetch(`${base.baseUrl}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'admin@flagpole.test', password: 'flagpole-demo' }),
  });
  if (!login.ok) throw new Error(`sign-in failed (${login.status})`);
  const cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  const session = base.withHeaders({ cookie, 'x-csrf-token': csrfToken, 'x-tenant-id': 'platform' });
  const token = async (scope: 'admin' | 'evaluation') => {
    const created = await session.write(
      'POST',
      '/admin/api-tokens',
      scope === 'admin' ? { name: 'drill admin', scope, role: 'admin' } : { name: 'drill evaluation', scope },
      `drill-token-${scope}`,
      30_000,
    );
    if (!ok(created)) throw new Error(`could not create the ${scope} token (${created.outcome})`);
    return (created.body as { secret: string }).secret;
  };
  const admin = base.withHeaders({ authorization: `Bearer ${await token('admin')}`, 'x-tenant-id': 'platform' });
  const evaluator = base.withHeaders({ authorization: `Bearer ${await token('evaluation')}` });
  return { admin, evaluator };
}

async function inParallel<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await work(items[next++]);
    }),
  );
}

async function main(): Promise<number> {
  const drill = new Drill();
  const stopOnSignal = () => void drill.cleanUp().finally(() => process.exit(130));
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);
  try {
    return await run(drill);
  } catch (err) {
    console.error(
      `drill failed: ${(err as Error).message}\nnpm start printed (last lines):\n${drill.output.split('\n').slice(-30).join('\n')}`,
    );
    return 1;
  } finally {
    await drill.cleanUp();
  }
}

async function run(drill: Drill): Promise<number> {
  const t0 = Date.now();
  console.log(
    `Drill${quick ? ' (quick)' : ''}: ${settings.plans} plans, ${WRITERS} writers, ${EVALUATORS} evaluators, ${settings.phaseMs / 1000} s per fault`,
  );
  await drill.start();
  const db = drill.db!;
  const runner = drill.pidOf('scripts/start.ts');
  console.log(
    `npm start ready in ${((Date.now() - t0) / 1000).toFixed(1)} s (embedded PostgreSQL, Redis on port ${drill.redisPort})`,
  );
  const base = new DrillClient(`http://127.0.0.1:${drill.port}`, settings.hangMs);
  const { admin, evaluator } = await signIn(base);

  // flags the writers edit and the evaluators read, and the plans, all before the first fault
  const targets = Array.from({ length: TARGET_FLAGS }, (_, i) => `drill.target.${i}`);
  const targetIds: string[] = [];
  for (const key of targets) {
    const created = await admin.write(
      'POST',
      '/admin/feature-flags',
      { key, enabled: true },
      `drill-target-${key}`,
      30_000,
    );
    if (!ok(created)) throw new Error(`could not create ${key} (${created.outcome})`);
    targetIds.push((created.body as { id: string }).id);
  }
  const random = seeded(20261202);
  const span = (settings.baselineMs + 4 * settings.phaseMs) / 1000;
  const hold = () => 2 + Math.floor(random() * (span / 2 - 2));
  const planIds: string[] = [];
  const setupStart = Date.now();
  await inParallel(
    Array.from({ length: settings.plans }, (_, i) => i),
    4,
    async (i) => {
      const flag = await admin.write(
        'POST',
        '/admin/feature-flags',
        { key: `drill.plan.${i}`, enabled: true },
        `drill-plan-flag-${i}`,
        30_000,
      );
      const stages = [
        { percent: 10, holdSeconds: hold() },
        { percent: 50, holdSeconds: hold() },
        { percent: 100, holdSeconds: 0 },
      ];
      const plan = ok(flag)
        ? await admin.write(
            'POST',
            '/admin/rollout-plans',
            { flagId: (flag.body as { id: string }).id, stages },
            `drill-plan-${i}`,
            30_000,
          )
        : flag;
      const id = (plan.body as { id?: string } | undefined)?.id;
      const started =
        ok(plan) && id
          ? await admin.write('POST', `/admin/rollout-plans/${id}/actions/start`, {}, `drill-plan-start-${i}`, 30_000)
          : plan;
      if (!ok(started) || !id) throw new Error(`could not set up plan ${i} (${started.outcome})`);
      planIds.push(id);
    },
  );
  console.log(
    `${settings.plans} plans running (set up in ${((Date.now() - setupStart) / 1000).toFixed(1)} s); load starts`,
  );
  for (const a of admin.attempts) a.kind = 'setup';

  // the load: writers (3 of 4 a description change with a marker, 1 of 4 a flag create) and evaluators
  const written: Written[] = [];
  let inFlightWrites = 0;
  let loading = true;
  let n = 0;
  const writer = async () => {
    while (loading && n < MAX_WRITES) {
      const i = ++n;
      const create = i % 4 === 0;
      const marker = create ? `drill.w.${i}` : `drill-mark-${i}`;
      const start = Date.now();
      inFlightWrites++;
      const answer = create
        ? await admin.write(
            'POST',
            '/admin/feature-flags',
            { key: marker, enabled: false },
            `drill-w-${i}`,
            WRITE_BUDGET_MS,
          )
        : await admin.write(
            'PATCH',
            `/admin/feature-flags/${targetIds[i % TARGET_FLAGS]}`,
            { description: marker },
            `drill-w-${i}`,
            WRITE_BUDGET_MS,
          );
      inFlightWrites--;
      written.push({
        kind: create ? 'create' : 'update',
        marker,
        acknowledged: ok(answer),
        tries: answer.tries,
        ms: Date.now() - start,
        end: Date.now(),
        outcome: answer.outcome,
      });
      await sleep(50);
    }
  };
  let evaluations = 0;
  const evaluate = async () => {
    while (loading && evaluations < MAX_WRITES * 10) {
      const i = ++evaluations;
      await evaluator.send('eval', 'POST', `/ofrep/v1/evaluate/flags/${targets[i % TARGET_FLAGS]}`, {
        context: { targetingKey: `user-${i}` },
      });
      await sleep(20);
    }
  };
  const load = Promise.all([
    ...Array.from({ length: WRITERS }, writer),
    ...Array.from({ length: EVALUATORS }, evaluate),
  ]);

  const faults: Fault[] = [{ name: 'baseline', at: Date.now(), storeDown: false, apiDown: false }];
  const phase = async (fault: Omit<Fault, 'at'>, act: () => Promise<void>) => {
    const at = Date.now();
    faults.push({ ...fault, at });
    console.log(`${((at - t0) / 1000).toFixed(0).padStart(4)} s  ${fault.name}`);
    await act();
    await sleep(Math.max(0, at + settings.phaseMs - Date.now()));
  };
  await sleep(settings.baselineMs);
  await phase(
    { name: 'worker SIGKILL', storeDown: false, apiDown: false },
    async () => void process.kill(drill.pidOf('worker/main.ts'), 'SIGKILL'),
  );
  await waitFor('a write in flight', () => inFlightWrites > 0, 5_000);
  await phase(
    { name: 'api SIGKILL mid-write', storeDown: false, apiDown: true },
    async () => void process.kill(drill.pidOf('api/main.ts'), 'SIGKILL'),
  );
  await phase({ name: 'PostgreSQL restart', storeDown: true, apiDown: false }, async () => {
    // with a log file, as npm start starts it: otherwise the new postmaster keeps pg_ctl's output pipe open
    const restarted = await embeddedPgCtl(
      drill.pgDir,
      'restart',
      '-m',
      'fast',
      '-w',
      '-t',
      '60',
      '-l',
      path.join(drill.pgDir, 'flagpole-postgres.log'),
    );
    if (restarted.code !== 0) throw new Error(`pg_ctl restart failed: ${restarted.output.trim()}`);
  });
  await phase({ name: 'Redis kill + empty restart', storeDown: true, apiDown: false }, async () => {
    drill.redis!.kill('SIGKILL');
    await exited(drill.redis!);
    await sleep(settings.redisDownMs);
    drill.redis = await startRedis(drill.redisPort);
  });
  const loadEnd = Date.now();
  loading = false;
  await load;
  console.log(
    `${((Date.now() - t0) / 1000).toFixed(0).padStart(4)} s  load stopped; waiting for every plan to complete`,
  );
  drill.remember();

  // every plan must complete; the reconciler rebuilds what the emptied Redis lost
  const completed = async () =>
    Number(
      (
        await db('rollout_plans')
          .whereIn('id', planIds)
          .where({ status: 'completed' })
          .count<{ count: string }[]>('* as count')
      )[0].count,
    );
  const settleStart = Date.now();
  let done = 0;
  while (Date.now() - settleStart < settings.settleMs && (done = await completed()) < planIds.length) await sleep(1000);
  const settleMs = Date.now() - settleStart;

  return report(drill, db, { faults, loadEnd, written, planIds, done, settleMs, runner, attempts: admin.attempts });
}

interface Results {
  faults: Fault[];
  loadEnd: number;
  written: Written[];
  planIds: string[];
  done: number;
  settleMs: number;
  runner: number;
  attempts: Attempt[];
}

/** 503 UNAVAILABLE, or a 503 of OFREP (whose error bodies follow OFREP, not the error contract). */
const isUnavailable = (a: Attempt) => a.outcome === 503 && (a.code === 'UNAVAILABLE' || a.kind === 'eval');
const isFiveHundred = (a: Attempt) => typeof a.outcome === 'number' && a.outcome >= 500 && !isUnavailable(a);
/** "500 INTERNAL write ×20, 500 INTERNAL eval ×3": what failed, for the report. */
function breakdown(attempts: Attempt[]): string {
  const counts = new Map<string, number>();
  for (const a of attempts)
    counts.set(
      `${a.outcome} ${a.code ?? '-'} ${a.kind}`,
      (counts.get(`${a.outcome} ${a.code ?? '-'} ${a.kind}`) ?? 0) + 1,
    );
  return [...counts].map(([what, n]) => `${what} ×${n}`).join(', ');
}
const secs = (ms: number | undefined) => (ms === undefined ? 'never' : `${(ms / 1000).toFixed(1)} s`);

async function report(drill: Drill, db: Knex, r: Results): Promise<number> {
  const failures: string[] = [];
  const fail = (what: string) => failures.push(what);
  const tenant = (await db('tenants').where({ slug: 'platform' }).first<{ id: string }>('id'))!.id;
  const advances: Date[] = (
    await db('rollout_transitions').whereIn('planId', r.planIds).where({ event: 'due' }).select('at')
  ).map((t: { at: Date }) => t.at);

  const rows = r.faults.map((fault, i) => {
    const end = r.faults[i + 1]?.at ?? r.loadEnd;
    // by when an attempt ended: a request cut off by the api's SIGKILL belongs to that fault
    const inWindow = r.attempts.filter((a) => a.kind !== 'setup' && a.end >= fault.at && a.end < end);
    const firstOk = (kind: Attempt['kind']) => {
      const ends = r.attempts
        .filter((a) => a.kind === kind && a.start >= fault.at && typeof a.outcome === 'number' && a.outcome < 300)
        .map((a) => a.end);
      return ends.length ? Math.min(...ends) - fault.at : undefined;
    };
    const advanced = advances.map((d) => d.getTime()).filter((t) => t >= fault.at);
    const recovered = {
      write: firstOk('write'),
      eval: firstOk('eval'),
      advance: advanced.length ? Math.min(...advanced) - fault.at : undefined,
    };
    const counts = {
      requests: inWindow.length,
      fiveHundred: inWindow.filter(isFiveHundred).length,
      unavailable: inWindow.filter(isUnavailable).length,
      hangs: inWindow.filter((a) => a.outcome === 'hang').length,
      refused: inWindow.filter((a) => a.outcome === 'network').length,
      // the longest acknowledged write (retries included) that ended in this window (the last one: also after the load)
      slowestWrite: Math.max(
        0,
        ...r.written
          .filter((w) => w.acknowledged && w.end >= fault.at && (w.end < end || !r.faults[i + 1]))
          .map((w) => w.ms),
      ),
    };
    if (counts.fiveHundred)
      fail(
        `${fault.name}: ${counts.fiveHundred} answers 5xx other than 503 UNAVAILABLE (${breakdown(inWindow.filter(isFiveHundred))})`,
      );
    if (counts.hangs) fail(`${fault.name}: ${counts.hangs} requests hung past ${settings.hangMs / 1000} s`);
    if (counts.unavailable && !fault.storeDown)
      fail(`${fault.name}: ${counts.unavailable} answers 503 with every store up`);
    if (counts.refused && !fault.apiDown) fail(`${fault.name}: ${counts.refused} requests refused with the api up`);
    for (const [what, ms] of Object.entries(recovered))
      if (ms === undefined) fail(`${fault.name}: no successful ${what} after the fault`);
    return { fault, recovered, counts };
  });

  // acknowledged writes: each exactly once, each with exactly one audit event, and no other audit event for drill writes
  const updates = r.written.filter((w) => w.kind === 'update');
  const creates = r.written.filter((w) => w.kind === 'create');
  const unacknowledged = r.written.filter((w) => !w.acknowledged);
  if (unacknowledged.length)
    fail(
      `${unacknowledged.length} writes never acknowledged (e.g. ${unacknowledged[0].marker}: ${unacknowledged[0].outcome})`,
    );
  const markerRows: Array<{ marker: string; count: string }> = await db('audit_log')
    .where({ tenantId: tenant, action: 'feature_flag.updated' })
    .whereRaw(`"after"->>'description' like 'drill-mark-%'`)
    .groupByRaw(`"after"->>'description'`)
    .select(db.raw(`"after"->>'description' as marker`), db.raw('count(*) as count'));
  const auditByMarker = new Map(markerRows.map((m) => [m.marker, Number(m.count)]));
  const flagRows: Array<{ key: string; id: string }> = await db('featureFlags')
    .where({ tenantId: tenant })
    .where('key', 'like', 'drill.w.%')
    .select('key', 'id');
  const createdAudit: Array<{ resourceId: string; count: string }> = await db('audit_log')
    .where({ tenantId: tenant, action: 'feature_flag.created' })
    .whereIn(
      'resourceId',
      flagRows.map((f) => f.id),
    )
    .groupBy('resourceId')
    .select('resourceId', db.raw('count(*) as count'));
  const flagsByKey = new Map<string, number>();
  for (const f of flagRows) flagsByKey.set(f.key, (flagsByKey.get(f.key) ?? 0) + 1);
  const ackUpdates = updates.filter((w) => w.acknowledged);
  const ackCreates = creates.filter((w) => w.acknowledged);
  const updatesWrong = ackUpdates.filter((w) => auditByMarker.get(w.marker) !== 1).length;
  const createsWrong = ackCreates.filter((w) => flagsByKey.get(w.marker) !== 1).length;
  const auditEvents =
    [...auditByMarker.values()].reduce((s, c) => s + c, 0) + createdAudit.reduce((s, c) => s + Number(c.count), 0);
  if (updatesWrong) fail(`${updatesWrong} acknowledged description changes without exactly one audit event`);
  if (createsWrong) fail(`${createsWrong} acknowledged creates not present exactly once`);
  if (auditEvents !== ackUpdates.length + ackCreates.length)
    fail(`audit events for drill writes ${auditEvents} ≠ acknowledged writes ${ackUpdates.length + ackCreates.length}`);

  // plans: completed, with exactly start, due, due (stages 0, 1, 2)
  const transitions: Array<{ planId: string; events: string }> = await db('rollout_transitions')
    .whereIn('planId', r.planIds)
    .groupBy('planId')
    .select('planId', db.raw(`string_agg(event || ':' || to_stage, ',' order by seq) as events`));
  const right = transitions.filter((t) => t.events === 'start:0,due:1,due:2').length;
  if (r.done !== r.planIds.length)
    fail(`${r.planIds.length - r.done} of ${r.planIds.length} plans not completed ${secs(r.settleMs)} after the load`);
  if (right !== r.planIds.length) fail(`${r.planIds.length - right} plans without exactly one transition per step`);
  if (!alive(r.runner)) fail('npm start itself did not survive the drill');
  if (!(await portOpen(drill.port))) fail('the api was not listening at the end');

  const longest = Math.max(0, ...r.written.filter((w) => w.acknowledged).map((w) => w.ms));
  const retried = r.written.filter((w) => w.tries > 1).length;
  const header = [
    'fault',
    'recovered in (write / eval / advance)',
    'requests',
    '5xx non-503',
    '503',
    `hung > ${settings.hangMs / 1000} s`,
    'refused',
    'slowest write',
  ];
  const table = rows.map(({ fault, recovered, counts }) => [
    fault.name,
    fault.name === 'baseline' ? '–' : `${secs(recovered.write)} / ${secs(recovered.eval)} / ${secs(recovered.advance)}`,
    String(counts.requests),
    String(counts.fiveHundred),
    String(counts.unavailable),
    String(counts.hangs),
    String(counts.refused),
    secs(counts.slowestWrite),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  console.log(`\n${line(header)}\n|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|\n${table.map(line).join('\n')}`);
  console.log(
    `\nwrites: ${r.written.length} (${ackUpdates.length + ackCreates.length} acknowledged, ${retried} retried with the same key, longest ${secs(longest)}); ` +
      `audit events ${auditEvents}; plans completed ${r.done}/${r.planIds.length} with exactly one transition per step ${right}/${r.planIds.length} ` +
      `(last one ${secs(r.settleMs)} after the load); advances ${advances.length}`,
  );
  if (failures.length) console.log(`\nFailed checks:\n  ${failures.join('\n  ')}`);
  console.log(
    `\nVerdict: ${failures.length ? `FAIL (${failures.length} checks)` : 'PASS'}: Flagpole ${failures.length ? 'did not recover cleanly from' : 'recovered without a restart from'} every fault.`,
  );
  return failures.length ? 1 : 0;
}

main().then((code) => process.exit(code));
