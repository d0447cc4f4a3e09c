import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from '../../scripts/dev-services';
import { root } from '../../scripts/web-build';

export { alive, descendants } from '../../scripts/drill/processes';

/** Closed ports: `npm start` finds neither PostgreSQL nor Redis and runs an embedded PostgreSQL with the queues on it. */
export const NOWHERE = { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/flagpole', REDIS_URL: 'redis://127.0.0.1:1' };
export const DEMO_PASSWORD = 'flagpole-demo';

export interface Flagpole {
  child: ChildProcess;
  url: string;
  output(): string;
  exited: Promise<number | null>;
}

/**
 * `npm start` as a terminal runs it: its own process group, so a Ctrl-C can reach the whole group.
 * `viaNpm` runs the real `npm start` (npm, its shell, the runner) instead of the runner alone.
 */
export async function startFlagpole(
  dataDir: string,
  env: Record<string, string>,
  opts: { viaNpm?: boolean } = {},
): Promise<Flagpole> {
  const port = await freePort();
  const [command, args] = opts.viaNpm
    ? ['npm', ['start']]
    : [process.execPath, ['--import', 'tsx', 'scripts/start.ts']];
  const child = spawn(command, args, {
    cwd: root,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      PORT: String(port),
      LOG_LEVEL: 'warn',
      FLAGPOLE_DATA_DIR: dataDir,
      ...NOWHERE,
      ...env,
    },
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += String(d)));
  child.stderr!.on('data', (d) => (output += String(d)));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, url: `http://127.0.0.1:${port}`, output: () => output, exited };
}

export async function until<T>(
  probe: () => Promise<T | undefined>,
  what: string,
  f: Flagpole,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (f.child.exitCode !== null)
      throw new Error(`npm start exited (${f.child.exitCode}) while waiting for ${what}:\n${f.output()}`);
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; npm start printed:\n${f.output()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export async function ready(f: Flagpole): Promise<{ mode: { database: string; queues: string } }> {
  return until(
    async () => {
      const res = await fetch(`${f.url}/readyz`);
      return res.ok && f.output().includes('Demo accounts') ? res.json() : undefined;
    },
    'Flagpole to be ready',
    f,
  );
}

/** Signs in as a demo user; returns a fetch for JSON requests in the platform tenant. */
export async function signIn(f: Flagpole, email: string) {
  const login = await fetch(`${f.url}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: DEMO_PASSWORD }),
  });
  expect(login.status).toBe(200);
  const cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  let keys = 0;
  return async (method: string, url: string, body?: object) => {
    const res = await fetch(`${f.url}${url}`, {
      method,
      headers: {
        cookie,
        'x-csrf-token': csrfToken,
        'x-tenant-id': 'platform',
        'content-type': 'application/json',
        'idempotency-key': `zero-setup-${Date.now()}-${++keys}`,
      },
      body: body && JSON.stringify(body),
    });
    return {
      status: res.status,
      body: (await res.json()) as Record<string, unknown> & { items?: Array<Record<string, unknown>> },
    };
  };
}

/** What Ctrl-C in the terminal does: SIGINT to the whole process group. */
export async function interrupt(f: Flagpole): Promise<number | null> {
  process.kill(-f.child.pid!, 'SIGINT');
  return f.exited;
}
