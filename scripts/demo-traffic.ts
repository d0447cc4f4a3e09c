/**
 * `npm run demo:traffic`: shoppers for the guarded-rollout demo, against a running `npm start`.
 *
 * In the demo tenant (acme), as ops@flagpole.test, it makes sure two guarded plans run (a plan
 * already active on the demo flag is reused; otherwise the flag's rules left by an earlier run
 * are cleared and a new plan is created and started):
 *  - `checkout.express-pay`, 10% → 50% → 100%: shoppers it serves fail their payment four times
 *    as often as the others, so its guard rolls the plan back once it has seen 200 of them;
 *  - `search.instant-results`, 5% → 25% → 50% → 100%, 45 s per stage: as good as the old search
 *    (same error share, same latency), so each stage moves on when its hold ends.
 * Then simulated shoppers evaluate both flags over OFREP through the OpenFeature SDK with
 * FlagpoleProvider and `track()` what happened (an evaluation-scoped client token, made as
 * admin@flagpole.test and revoked when the script stops). Every few seconds it prints each
 * plan's state and the units per arm its guards last saw; transitions as they happen.
 * Ctrl-C stops it cleanly (pending events are sent first).
 *
 * Options: --url http://localhost:3000 (default: http://localhost:$PORT or :3000), --rate 40
 * (shoppers per second), --seconds N (stop by itself after N seconds).
 */
import { OpenFeature, type EvaluationContext } from '@openfeature/server-sdk';
import { parseArgs } from 'node:util';
import type { GuardEvidence } from '../core/guard-gate';
import type { PlanDetail, PlanView } from '../modules/rollout-plans/rollout-plans.schemas';
import { FlagpoleProvider } from '../modules/sdk/flagpole-provider';
import { AdminSession, ApiError } from './demo/admin-session';

const TENANT = 'acme';
const TOKEN_NAME = 'demo traffic';
/** Shoppers are drawn from this many, so most units are new for a while and some come back. */
const POPULATION = 50_000;
const REPORT_EVERY_MS = 5000;
const MAX_IN_FLIGHT = 200;

type Track = (event: string, value?: number) => void;

interface DemoPlan {
  flag: { key: string; description: string; tags: string[] };
  /** The plan's create body without flagId. */
  plan: object;
  /** What a shopper does once the flag is evaluated: `on` is the treatment arm, off the control arm. */
  visit(on: boolean, track: Track): void;
}

const normal = (): number => Math.sqrt(-2 * Math.log(1 - Math.random())) * Math.cos(2 * Math.PI * Math.random());

const DEMO_PLANS: DemoPlan[] = [
  {
    flag: {
      key: 'checkout.express-pay',
      description: 'One-tap express payment sheet (demo: a guarded rollout whose treatment fails payments)',
      tags: ['checkout', 'payments', 'demo'],
    },
    plan: {
      stages: [
        { percent: 10, holdSeconds: 300 },
        { percent: 50, holdSeconds: 300 },
        { percent: 100, holdSeconds: 0 },
      ],
      guards: [
        {
          kind: 'event_share',
          event: 'checkout.payment-error',
          maxRelativeIncrease: 0.1,
          minUnitsPerArm: 200,
          onRegression: 'rollback',
        },
      ],
      guardCheckSeconds: 5,
      rollbackPercent: 0,
    },
    visit: (on, track) => {
      if (Math.random() < (on ? 0.12 : 0.03)) track('checkout.payment-error');
    },
  },
  {
    flag: {
      key: 'search.instant-results',
      description: 'Search results while typing (demo: a guarded rollout that stays healthy)',
      tags: ['search', 'demo'],
    },
    plan: {
      stages: [
        { percent: 5, holdSeconds: 45 },
        { percent: 25, holdSeconds: 45 },
        { percent: 50, holdSeconds: 45 },
        { percent: 100, holdSeconds: 0 },
      ],
      guards: [
        { kind: 'event_share', event: 'search.error', maxRelativeIncrease: 0.1, minUnitsPerArm: 50 },
        { kind: 'event_mean', event: 'search.latency-ms', maxRelativeIncrease: 0.1, minUnitsPerArm: 50 },
      ],
      guardCheckSeconds: 5,
      maxHoldSeconds: 180,
    },
    visit: (_on, track) => {
      if (Math.random() < 0.02) track('search.error');
      track('search.latency-ms', Math.max(5, Math.round(120 + 30 * normal())));
    },
  },
];

/** A bad option: its message is all the user needs. */
class UsageError extends Error {}

function options(): { url: string; rate: number; seconds: number | null } {
  let values: { url?: string; rate?: string; seconds?: string };
  try {
    ({ values } = parseArgs({
      options: { url: { type: 'string' }, rate: { type: 'string' }, seconds: { type: 'string' } },
    }));
  } catch (err) {
    throw new UsageError(`${(err as Error).message} (options: --url, --rate, --seconds)`);
  }
  const url = (values.url ?? `http://localhost:${process.env.PORT ?? 3000}`).replace(/\/$/, '');
  const rate = Number(values.rate ?? 40);
  const seconds = values.seconds === undefined ? null : Number(values.seconds);
  if (!(rate > 0 && rate <= 2000)) throw new UsageError('--rate must be a number of shoppers per second, 1 to 2000');
  if (seconds !== null && !(seconds > 0)) throw new UsageError('--seconds must be a positive number');
  return { url, rate, seconds };
}

/** The demo's evaluation token: one at a time (a run that was killed left its token behind; it is revoked). */
async function evaluationToken(admin: AdminSession): Promise<{ id: string; secret: string }> {
  const { items } = await admin.get<{ items: Array<{ id: string; name: string; revokedAt: string | null }> }>(
    '/admin/api-tokens?limit=500',
  );
  for (const token of items.filter((t) => t.name === TOKEN_NAME && !t.revokedAt))
    await admin.post(`/admin/api-tokens/${token.id}/actions/revoke`, { reason: 'demo traffic started again' });
  const created = await admin.post<{ token: { id: string }; secret: string }>('/admin/api-tokens', {
    name: TOKEN_NAME,
    scope: 'evaluation',
  });
  return { id: created.token.id, secret: created.secret };
}

/** The demo flag (created, enabled, if missing) and its active plan (created and started if there is none). */
async function ensurePlan(ops: AdminSession, demo: DemoPlan): Promise<{ plan: PlanView; reused: boolean }> {
  const { items: flags } = await ops.get<{ items: Array<{ id: string; key: string; enabled: boolean }> }>(
    `/admin/feature-flags?q=${encodeURIComponent(demo.flag.key)}&limit=500`,
  );
  const flag =
    flags.find((f) => f.key === demo.flag.key) ??
    (await ops.post<{ id: string; key: string; enabled: boolean }>('/admin/feature-flags', {
      ...demo.flag,
      enabled: true,
    }));
  const { items: active } = await ops.get<{ items: PlanView[] }>(
    `/admin/rollout-plans?flagId=${flag.id}&status=scheduled,running,awaiting_approval,paused,failed`,
  );
  if (active.length > 0) return { plan: active[0], reused: true };
  // an earlier demo plan left its rule behind (at 100%, or at 0% after a rollback): a new plan starts from none
  const { rules } = await ops.get<{ rules: unknown[] }>(`/admin/feature-flags/${flag.id}/rules`);
  if (rules.length > 0) await ops.put(`/admin/feature-flags/${flag.id}/rules`, { rules: [] });
  if (!flag.enabled)
    await ops.post(`/admin/feature-flags/${flag.id}/actions/enable`, { reason: 'demo traffic: a new guarded rollout' });
  const created = await ops.post<PlanView>('/admin/rollout-plans', { flagId: flag.id, ...demo.plan });
  return { plan: await ops.post<PlanView>(`/admin/rollout-plans/${created.id}/actions/start`), reused: false };
}

const share = (x: number | null | undefined) => (x === null || x === undefined ? '–' : `${(100 * x).toFixed(1)}%`);
const elapsed = (ms: number) => {
  const s = Math.floor(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
};

/** One guard's latest check, short: "checkout.payment-error t 104 12.5% | c 1,890 3.0% → regression". */
function guardLine(e: GuardEvidence | null): string {
  if (!e) return 'no check yet';
  const value = (v: number | null) => (e.kind === 'event_mean' ? (v === null ? '–' : v.toFixed(0)) : share(v));
  const arms = e.arms
    ? `t ${e.arms.treatment.units.toLocaleString('en')} ${value(e.arms.treatment.value)} | c ${e.arms.control.units.toLocaleString('en')} ${value(e.arms.control.value)} `
    : e.value !== undefined && e.value !== null
      ? `${e.value} `
      : '';
  return `${e.subject} ${arms}→ ${e.verdict}`;
}

function planLine(p: PlanDetail): string {
  const state = `${p.status}${p.pauseReason ? ` (${p.pauseReason})` : ''} at ${p.currentPercent ?? 0}%`;
  const guards = p.guardStatus.guards.some(Boolean) ? `: ${p.guardStatus.guards.map(guardLine).join('; ')}` : '';
  return `${p.flagKey} ${state}${guards}`;
}

async function main(): Promise<void> {
  const { url, rate, seconds } = options();
  const password = process.env.FLAGPOLE_DEMO_PASSWORD ?? 'flagpole-demo';
  const ops = await AdminSession.signIn(url, 'ops@flagpole.test', password, TENANT);
  const admin = await AdminSession.signIn(url, 'admin@flagpole.test', password, TENANT);
  /** The plans, and how many of each plan's transitions are printed already. */
  const plans: Array<{ id: string; printed: number }> = [];
  for (const demo of DEMO_PLANS) {
    const { plan, reused } = await ensurePlan(ops, demo);
    const { transitions } = await ops.get<PlanDetail>(`/admin/rollout-plans/${plan.id}`);
    plans.push({ id: plan.id, printed: transitions.length });
    console.log(
      `${reused ? 'Reusing' : 'Started'} ${plan.flagKey}: ${url}/rollouts/${plan.id}?tenant=${TENANT} (${plan.status} at ${plan.currentPercent ?? 0}%)`,
    );
  }
  const token = await evaluationToken(admin);

  const trackFailures = { events: 0, last: '' };
  const provider = new FlagpoleProvider({
    baseUrl: url,
    headers: { Authorization: `Bearer ${token.secret}` },
    onTrackError: (err, events) => {
      trackFailures.events += events;
      trackFailures.last = err.message;
    },
  });
  await OpenFeature.setProviderAndWait('demo-traffic', provider);
  const client = OpenFeature.getClient('demo-traffic');
  const counts = { shoppers: 0, evaluationErrors: 0, lastError: '' };
  let inFlight = 0;

  const shopper = async () => {
    const context: EvaluationContext = {
      targetingKey: `shopper-${Math.floor(Math.random() * POPULATION)}`,
      tenantId: TENANT,
      country: Math.random() < 0.6 ? 'DE' : 'FR',
    };
    const track: Track = (event, value) => client.track(event, context, value === undefined ? {} : { value });
    for (const demo of DEMO_PLANS) {
      const details = await client.getBooleanDetails(demo.flag.key, false, context);
      if (details.errorCode) {
        counts.evaluationErrors++;
        counts.lastError = `${details.errorCode}: ${details.errorMessage ?? ''}`;
        continue; // the server did not evaluate it: the shopper is in no arm
      }
      demo.visit(details.value, track);
    }
    counts.shoppers++;
  };

  const started = Date.now();
  let owed = 0;
  const arrivals = setInterval(() => {
    owed += rate / 10;
    for (; owed >= 1 && inFlight < MAX_IN_FLIGHT; owed--) {
      inFlight++;
      shopper()
        .catch((err: Error) => {
          counts.evaluationErrors++;
          counts.lastError = err.message;
        })
        .finally(() => inFlight--);
    }
    owed = Math.min(owed, rate); // a backlog the server cannot take is dropped, not queued up
  }, 100);

  const report = async () => {
    const lines = [
      `[${elapsed(Date.now() - started)}] ${counts.shoppers.toLocaleString('en')} shoppers` +
        (counts.evaluationErrors ? `, ${counts.evaluationErrors} evaluations failed (${counts.lastError})` : '') +
        (trackFailures.events ? `, ${trackFailures.events} events not sent (${trackFailures.last})` : ''),
    ];
    for (const p of plans) {
      const detail = await ops.get<PlanDetail>(`/admin/rollout-plans/${p.id}`);
      for (const x of detail.transitions.slice(p.printed)) {
        const reason = x.reason ? `: ${x.reason}` : '';
        lines.push(`  ${detail.flagKey}: ${x.event} → ${x.toStatus} at ${x.toPercent ?? 0}%${reason}`);
      }
      p.printed = detail.transitions.length;
      lines.push(`  ${planLine(detail)}`);
    }
    console.log(lines.join('\n'));
  };
  const reporter = setInterval(() => {
    report().catch((err: Error) => console.log(`  (could not read the plans: ${err.message})`));
  }, REPORT_EVERY_MS);

  let stopping = false;
  const stop = async (why: string) => {
    if (stopping) process.exit(130); // a second Ctrl-C: stop at once
    stopping = true;
    clearInterval(arrivals);
    clearInterval(reporter);
    console.log(`\n${why}: sending what is queued…`);
    const deadline = Date.now() + 5000;
    while (inFlight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await OpenFeature.close();
    await admin
      .post(`/admin/api-tokens/${token.id}/actions/revoke`, { reason: 'demo traffic stopped' })
      .catch((err: Error) => console.log(`could not revoke the demo's client token: ${err.message}`));
    await report().catch(() => undefined);
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('Stopping'));
  process.on('SIGTERM', () => void stop('Stopping'));
  if (seconds !== null) setTimeout(() => void stop(`${seconds} s passed`), seconds * 1000);
  console.log(`${rate} shoppers per second against ${url}; Ctrl-C stops.`);
}

main().catch((err: unknown) => {
  if (err instanceof UsageError || err instanceof ApiError) console.error(`demo traffic: ${err.message}`);
  else if (err instanceof TypeError && err.message === 'fetch failed')
    console.error(`demo traffic: ${String(err.cause ?? err.message)}; is \`npm start\` running there? (--url …)`);
  else console.error(err);
  process.exit(1);
});
