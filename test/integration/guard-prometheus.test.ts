import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { FakeClock } from '../support/fake-clock';
import { act, createFlag, planRow, ROLLOUT_TEST_ENV, transitionsOf, waitFor } from '../support/rollouts';
import { bearer, createTenant, createTestApp, type TestApp, type TestTenant } from '../support/test-app';

/**
 * A Prometheus guard against a real Prometheus (the Debian package's binary, 2.42 on the
 * development machine): it scrapes a tiny /metrics this test serves, where `checkout_errors_total`
 * is whatever the test says, and the guard's checks (run as the guard-check job runs them) query it.
 * Skipped, saying so, only where the binary is missing (.ci/run installs it).
 */

const PROMETHEUS = '/usr/bin/prometheus';
const installed = existsSync(PROMETHEUS);
if (!installed)
  console.warn(`guard-prometheus.test.ts skipped: ${PROMETHEUS} is not installed (apt-get install prometheus)`);

jest.setTimeout(60_000);

const QUERY = 'sum(checkout_errors_total)';

/** A port nobody listens on now. */
async function freePort(): Promise<number> {
  const probe = http.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

(installed ? describe : describe.skip)('a prometheus guard on a real Prometheus', () => {
  const clock = new FakeClock();
  let errors = 0;
  let target: http.Server;
  let prometheus: ChildProcess;
  let prometheusUrl: string;
  let prometheusLog = '';
  let dataDir: string;
  let t: TestApp;
  let tenant: TestTenant;
  let operator: string;
  let editor: string;

  beforeAll(async () => {
    target = http.createServer((req, res) => {
      if (req.url !== '/metrics') return void res.writeHead(404).end();
      res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' });
      res.end(`# TYPE checkout_errors_total counter\ncheckout_errors_total{service="shop"} ${errors}\n`);
    });
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    const targetPort = (target.address() as AddressInfo).port;

    dataDir = await mkdtemp(path.join(os.tmpdir(), 'flagpole-prometheus-'));
    const config = path.join(dataDir, 'prometheus.yml');
    await writeFile(
      config,
      [
        'global:',
        '  scrape_interval: 1s',
        'scrape_configs:',
        '  - job_name: shop',
        '    static_configs:',
        `      - targets: ['127.0.0.1:${targetPort}']`,
        '',
      ].join('\n'),
    );
    const port = await freePort();
    prometheusUrl = `http://127.0.0.1:${port}`;
    prometheus = spawn(
      PROMETHEUS,
      [
        `--config.file=${config}`,
        `--storage.tsdb.path=${path.join(dataDir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--log.level=warn',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    prometheus.stdout!.on('data', (d) => (prometheusLog += String(d)));
    prometheus.stderr!.on('data', (d) => (prometheusLog += String(d)));
    await waitFor(
      async () => (await queried('up{job="shop"}')) === 1,
      'Prometheus to scrape the test target',
      20_000,
    ).catch((err) => {
      throw new Error(`${(err as Error).message}\n${prometheusLog}`);
    });

    t = await createTestApp({ clock, env: { ...ROLLOUT_TEST_ENV, FLAGPOLE_PROMETHEUS_URL: prometheusUrl } });
    tenant = await createTenant(t.c, 'prom');
    operator = await bearer(t.c, tenant, 'operator');
    editor = await bearer(t.c, tenant, 'editor');
  });
  afterAll(async () => {
    if (prometheus?.exitCode === null && prometheus.signalCode === null) prometheus.kill('SIGKILL');
    await new Promise<void>((resolve) => (target ? target.close(() => resolve()) : resolve()));
    await t?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  /** The query's single value as Prometheus answers it now, or undefined. */
  async function queried(query: string): Promise<number | undefined> {
    try {
      const res = await fetch(`${prometheusUrl}/api/v1/query?query=${encodeURIComponent(query)}`);
      const body = (await res.json()) as { data?: { result?: Array<{ value: [number, string] }> } };
      const value = body.data?.result?.[0]?.value[1];
      return value === undefined ? undefined : Number(value);
    } catch {
      return undefined; // not up yet
    }
  }

  /** Serves `value` and waits until Prometheus has scraped it. */
  async function errorsAre(value: number) {
    errors = value;
    await waitFor(async () => (await queried(QUERY)) === value, `Prometheus to see ${value}`, 10_000);
  }

  let flags = 0;
  async function guardedPlan(): Promise<string> {
    flags += 1;
    const flag = await createFlag(t, editor, `prom.f${flags}`);
    const { body } = await request(t.app)
      .post('/admin/rollout-plans')
      .set('Authorization', operator)
      .send({
        flagId: flag.id,
        stages: [
          { percent: 10, holdSeconds: 600 },
          { percent: 100, holdSeconds: 0 },
        ],
        guards: [{ kind: 'prometheus', query: QUERY, max: 5 }],
        guardCheckSeconds: 1,
      })
      .expect(201);
    await act(t, operator, body.id, 'start').expect(200);
    return body.id;
  }

  const check = (planId: string, seq: number) =>
    t.c.guardChecker.check({ tenantId: tenant.id, planId, stage: 0, seq }, `guard-${planId}-0-${seq}`);

  const guardStatus = async (planId: string) =>
    (await request(t.app).get(`/admin/rollout-plans/${planId}`).set('Authorization', operator).expect(200)).body
      .guardStatus.guards[0];

  const guardEvents = async (planId: string) =>
    (await transitionsOf(t.c, planId)).map((x) => x.event).filter((e) => e.startsWith('guard_'));

  it('when the value is below max, then the guard is healthy; when it goes above, then the plan pauses once with the value as evidence', async () => {
    await errorsAre(2);
    const plan = await guardedPlan();
    expect(await check(plan, 1)).toEqual({ outcome: 'checked', verdicts: ['healthy'] });
    expect(await guardStatus(plan)).toMatchObject({
      kind: 'prometheus',
      subject: QUERY,
      verdict: 'healthy',
      value: 2,
      threshold: 5,
    });

    await errorsAre(9);
    expect(await check(plan, 2)).toEqual({ outcome: 'tripped', status: 'paused', pauseReason: 'GUARD_REGRESSION' });
    expect(await planRow(t.c, plan)).toMatchObject({ status: 'paused', pauseReason: 'GUARD_REGRESSION' });
    const trip = (await transitionsOf(t.c, plan)).at(-1) as unknown as { reason: string; evidence: object };
    expect(trip.reason).toBe(`Guard 1 (prometheus) regressed: ${QUERY} = 9 beyond 5.`);
    expect(trip.evidence).toMatchObject({ kind: 'prometheus', verdict: 'regression', value: 9, threshold: 5 });

    // later checks, and the same one again, change nothing
    expect(await check(plan, 2)).toMatchObject({ outcome: 'skipped' });
    expect(await check(plan, 3)).toEqual({ outcome: 'skipped', code: 'NOT_WATCHED' });
    expect(await guardEvents(plan)).toEqual(['guard_pause']);
  });

  it('when Prometheus stops, then each check is inconclusive with the reason, and the third in a row pauses with GUARD_INCONCLUSIVE', async () => {
    await errorsAre(1);
    const plan = await guardedPlan();
    expect(await check(plan, 1)).toEqual({ outcome: 'checked', verdicts: ['healthy'] });

    const stopped = new Promise((resolve) => prometheus.once('exit', resolve));
    prometheus.kill('SIGKILL');
    await stopped;
    expect(await check(plan, 2)).toEqual({ outcome: 'checked', verdicts: ['inconclusive'] });
    expect(await guardStatus(plan)).toMatchObject({
      verdict: 'inconclusive',
      value: null,
      note: 'Prometheus could not be reached',
    });
    expect(await check(plan, 3)).toEqual({ outcome: 'checked', verdicts: ['inconclusive'] });
    expect(await planRow(t.c, plan)).toMatchObject({ status: 'running' });
    expect(await check(plan, 4)).toEqual({ outcome: 'tripped', status: 'paused', pauseReason: 'GUARD_INCONCLUSIVE' });
    const trip = (await transitionsOf(t.c, plan)).at(-1) as unknown as { reason: string };
    expect(trip.reason).toBe(
      'Guard 1 (prometheus) was inconclusive 3 times in a row: Prometheus could not be reached.',
    );
    expect(await guardEvents(plan)).toEqual(['guard_pause']);
  });
});
