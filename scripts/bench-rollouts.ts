/**
 * `npm run bench:rollouts`: 10,000 running plans of 3 stages with short holds, advanced by
 * real worker processes on the real stores. Two phases, each on fresh plans:
 *  - steady: the plans' first steps fall due spread over BENCH_SPREAD seconds (then hold
 *    BENCH_HOLD seconds for the next): lateness p50/p99 while all of them are active;
 *  - burst: every plan's first step is due at the same instant: transitions per second the
 *    workers sustain while draining that backlog.
 * Lateness is the time from a step's due time to its commit (the timestamp of its audit
 * event, written at the end of the step's transaction). Afterwards every plan must hold exactly its three
 * transitions: duplicated or missing ones are counted (they must be 0). Not a test.
 */
import { randomBytes } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import createKnex, { type Knex } from 'knex';
import { loadConfig } from '../modules/platform/config';
import { createContainer, type Container } from '../modules/platform/container';
import { createDb, migrateLatest } from '../modules/platform/db';
import { newId, randomSecret } from '../modules/platform/ids';
import { advanceJobId } from '../modules/rollout-plans/advance-scheduler';

const PLANS = Number(process.env.BENCH_PLANS ?? 10_000);
const WORKERS = Number(process.env.BENCH_WORKERS ?? 2);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 12);
const SPREAD_SECONDS = Number(process.env.BENCH_SPREAD ?? 60);
const HOLD_SECONDS = Number(process.env.BENCH_HOLD ?? 60);
const PHASES = (process.env.BENCH_PHASES ?? 'steady,burst').split(',') as Array<'steady' | 'burst'>;
const TIMEOUT_SECONDS = Number(process.env.BENCH_TIMEOUT ?? 300);
const DB_NAME = 'flagpole_bench_rollouts';
const root = path.resolve(__dirname, '..');
const base = loadConfig();
const dbUrl = new URL(base.databaseUrl);
dbUrl.pathname = `/${DB_NAME}`;
const redisPrefix = `fp-bench-rollouts-${randomSecret(4).replace(/[^a-zA-Z0-9]/g, '')}`;
const children: ChildProcess[] = [];

const env = {
  // queues on PostgreSQL are a development mode: production refuses them
  NODE_ENV: base.queueBackend === 'postgres' ? 'development' : 'production',
  FLAGPOLE_QUEUE_BACKEND: base.queueBackend,
  SESSION_SECRET: randomSecret(24),
  FLAGPOLE_SECRET_KEYS: randomBytes(32).toString('base64'),
  DATABASE_URL: dbUrl.toString(),
  DATABASE_POOL_MAX: String(Math.max(10, CONCURRENCY)),
  REDIS_URL: base.redisUrl,
  REDIS_PREFIX: redisPrefix,
  LOG_LEVEL: 'warn',
  FLAGPOLE_WORKER_CONCURRENCY: String(CONCURRENCY),
};

async function freshDatabase(): Promise<void> {
  const admin = new URL(dbUrl);
  admin.pathname = '/postgres';
  const knex = createKnex({ client: 'pg', connection: admin.toString(), pool: { min: 0, max: 1 } });
  try {
    await knex.raw(`drop database if exists ${DB_NAME} with (force)`);
    await knex.raw(`create database ${DB_NAME}`);
  } finally {
    await knex.destroy();
  }
  const db = createDb(dbUrl.toString(), 1);
  try {
    await migrateLatest(db);
  } finally {
    await db.destroy();
  }
}

function startWorkerProcess(): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [
      ...(process.env.BENCH_NODE_ARGS ? process.env.BENCH_NODE_ARGS.split(' ') : []),
      '--import',
      'tsx',
      'worker/main.ts',
    ],
    {
      cwd: root,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env, LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += String(d);
      if (out.includes('worker started')) {
        child.stdout!.removeAllListeners('data');
        child.stdout!.resume();
        resolve(child);
      }
    });
    child.on('exit', (code) => reject(new Error(`worker exited with ${code}`)));
  });
}

type Row = Record<string, unknown>;

/**
 * Inserts `PLANS` flags with a running plan each, stage 0 applied (its rule, its `start`
 * transition), their next step due at `dueAt(i)`; then enqueues their advance jobs.
 */
async function seedRunningPlans(
  c: Container,
  tenantId: string,
  phase: string,
  dueAt: (i: number) => Date,
): Promise<string[]> {
  const now = new Date();
  const stages = [
    { percent: 10, holdSeconds: HOLD_SECONDS, requiresApproval: false },
    { percent: 50, holdSeconds: HOLD_SECONDS, requiresApproval: false },
    { percent: 100, holdSeconds: 0, requiresApproval: false },
  ];
  const actor = { type: 'system', id: 'bench', label: 'bench' };
  const ids: string[] = [];
  const flagIds: string[] = [];
  for (let from = 0; from < PLANS; from += 1000) {
    const flags: Row[] = [];
    const plans: Row[] = [];
    const rules: Row[] = [];
    const transitions: Row[] = [];
    for (let i = from; i < Math.min(PLANS, from + 1000); i++) {
      const flagId = newId();
      const planId = newId();
      ids.push(planId);
      flagIds.push(flagId);
      flags.push({ id: flagId, tenantId, key: `bench.${phase}.${i}`, enabled: true, createdAt: now, updatedAt: now });
      plans.push({
        id: planId,
        tenantId,
        flagId,
        status: 'running',
        stages: JSON.stringify(stages),
        stickiness: 'targetingKey',
        currentStage: 0,
        nextAdvanceAt: dueAt(i),
        rollbackPercent: 0,
        createdBy: JSON.stringify(actor),
        createdAt: now,
        updatedAt: now,
      });
      rules.push({
        id: newId(),
        tenantId,
        featureFlagId: flagId,
        position: 0,
        kind: 'percent',
        valueJson: JSON.stringify({ percent: 10, stickiness: 'targetingKey', planId }),
        createdAt: now,
      });
      transitions.push({
        id: newId(),
        tenantId,
        planId,
        seq: 1,
        event: 'start',
        fromStatus: 'draft',
        toStatus: 'running',
        fromStage: -1,
        toStage: 0,
        toPercent: 10,
        actor: JSON.stringify(actor),
        at: now,
      });
    }
    await c.db.transaction(async (trx) => {
      await trx('feature_flags').insert(flags);
      await trx('rollout_plans').insert(plans);
      await trx('feature_flag_rules').insert(rules);
      await trx('rollout_transitions').insert(transitions);
    });
  }
  const queued = Date.now();
  const jobs = ids.map((planId, i) => ({
    name: 'advance-plan' as const,
    data: { tenantId, planId, flagId: flagIds[i], stage: 1 },
    opts: { jobId: advanceJobId(planId, 1), delay: Math.max(0, dueAt(i).getTime() - queued) },
  }));
  for (let from = 0; from < jobs.length; from += 1000)
    await c.queues.byKey.advances.addBulk(jobs.slice(from, from + 1000));
  return ids;
}

const percentile = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

interface PhaseResult {
  phase: string;
  transitions: number;
  seconds: number;
  perSecond: number;
  latenessP50: number;
  latenessP99: number;
  latenessMax: number;
  duplicated: number;
  missing: number;
}

async function runPhase(c: Container, db: Knex, phase: 'steady' | 'burst'): Promise<PhaseResult> {
  const { id: tenantId } = await c.repos.tenants.upsert({
    slug: `bench-${phase}`,
    name: `Bench ${phase}`,
    kind: 'merchant',
  });
  const t0 = Date.now() + 5000;
  const dueAt =
    phase === 'steady'
      ? (i: number) => new Date(t0 + Math.floor((i / PLANS) * SPREAD_SECONDS * 1000))
      : () => new Date(t0);
  const ids = await seedRunningPlans(c, tenantId, phase, dueAt);
  const expected = ids.length * 2;
  const deadline = Date.now() + TIMEOUT_SECONDS * 1000;
  let done = 0;
  let lastReport = 0;
  while (Date.now() < deadline && done < expected) {
    await new Promise((r) => setTimeout(r, 250));
    const [{ count }] = await db('rollout_transitions')
      .where({ tenantId, event: 'due' })
      .count<{ count: string }[]>('* as count');
    done = Number(count);
    if (Date.now() - lastReport > 5000 || done >= expected) {
      console.log(`  ${phase}: ${done}/${expected} transitions`);
      lastReport = Date.now();
    }
  }

  // Due time of each step: stage 1 at the seeded time; stage 2 at the stage-1 transition + hold (as the worker set it).
  const rows: Array<{ planId: string; seq: number; at: Date; committedAt: Date }> = await db('rollout_transitions as t')
    .join('audit_log as a', function () {
      this.on('a.resourceId', '=', db.raw('t.plan_id::text')).andOn('a.jobId', '=', 't.jobId');
    })
    .where({ 't.tenantId': tenantId, 't.event': 'due' })
    .whereIn('a.action', ['rollout_plan.advanced', 'rollout_plan.completed'])
    .select('t.planId', 't.seq', 't.at', 'a.createdAt as committedAt');
  const byPlan = new Map<string, typeof rows>();
  for (const r of rows) byPlan.set(r.planId, [...(byPlan.get(r.planId) ?? []), r]);
  const lateness: number[] = [];
  let duplicated = 0;
  let missing = 0;
  let first = Infinity;
  let last = 0;
  let firstWaveDrained = 0;
  ids.forEach((id, i) => {
    const steps = (byPlan.get(id) ?? []).sort((a, b) => a.seq - b.seq);
    duplicated += Math.max(0, steps.length - 2);
    missing += Math.max(0, 2 - steps.length);
    const due = [dueAt(i).getTime(), steps[0] ? steps[0].at.getTime() + HOLD_SECONDS * 1000 : NaN];
    steps.slice(0, 2).forEach((s, k) => {
      lateness.push(s.committedAt.getTime() - due[k]);
      first = Math.min(first, due[k]);
      last = Math.max(last, s.committedAt.getTime());
      if (k === 0) firstWaveDrained = Math.max(firstWaveDrained, s.committedAt.getTime());
    });
  });
  const [{ count: total }] = await db('rollout_transitions')
    .where({ tenantId })
    .count<{ count: string }[]>('* as count');
  const [{ count: completed }] = await db('rollout_plans')
    .where({ tenantId, status: 'completed' })
    .count<{ count: string }[]>('* as count');
  duplicated = Math.max(duplicated, Number(total) - 3 * ids.length + missing);
  missing = Math.max(missing, 2 * (ids.length - Number(completed)));
  lateness.sort((a, b) => a - b);
  // A burst's rate is how fast the workers drain the first wave (all due at t0); a steady phase's is its whole window.
  const seconds = phase === 'burst' ? (firstWaveDrained - t0) / 1000 : (last - first) / 1000;
  const counted = phase === 'burst' ? ids.length : lateness.length;
  return {
    phase,
    transitions: counted,
    seconds: Math.round(seconds * 10) / 10,
    perSecond: Math.round(counted / seconds),
    latenessP50: percentile(lateness, 50),
    latenessP99: percentile(lateness, 99),
    latenessMax: lateness[lateness.length - 1],
    duplicated,
    missing,
  };
}

async function main(): Promise<void> {
  console.log(
    `Rollout benchmark: ${PLANS} plans × 3 stages, ${WORKERS} worker process(es) × concurrency ${CONCURRENCY}, hold ${HOLD_SECONDS} s, queues on ${base.queueBackend}`,
  );
  await freshDatabase();
  const c = createContainer(loadConfig(env), { name: 'bench-rollouts' });
  try {
    await Promise.all(Array.from({ length: WORKERS }, startWorkerProcess));
    const results: PhaseResult[] = [];
    for (const phase of PHASES) results.push(await runPhase(c, c.db, phase));
    console.log('\nphase   transitions  seconds  per second  lateness p50  p99      max      duplicated  missing');
    for (const r of results) {
      console.log(
        `${r.phase.padEnd(8)}${String(r.transitions).padStart(11)}  ${String(r.seconds).padStart(7)}  ${String(r.perSecond).padStart(10)}  ${`${r.latenessP50} ms`.padStart(12)}  ${`${r.latenessP99} ms`.padEnd(8)} ${`${r.latenessMax} ms`.padEnd(8)} ${String(r.duplicated).padStart(10)}  ${String(r.missing).padStart(7)}`,
      );
    }
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await Promise.all(children.map((ch) => new Promise((r) => (ch.exitCode !== null ? r(null) : ch.on('exit', r)))));
    await c.backend.wipe();
    await c.close();
  }
}

main().catch((err) => {
  console.error(err);
  for (const child of children) child.kill('SIGKILL');
  process.exit(1);
});
