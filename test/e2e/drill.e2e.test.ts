import { spawn } from 'node:child_process';
import { root } from '../../scripts/web-build';
import { buildWebOnce } from '../support/e2e-server';

/**
 * `npm run drill -- --quick`: a real npm start through a worker SIGKILL, an api SIGKILL
 * mid-write, a PostgreSQL restart and an emptied Redis. Its own checks decide the exit code.
 */
jest.setTimeout(240_000);

beforeAll(() => buildWebOnce(), 180_000);

it('when the quick drill runs its faults against npm start, then every check passes', async () => {
  const drill = spawn(process.execPath, ['--import', 'tsx', 'scripts/drill.ts', '--quick'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH, HOME: process.env.HOME },
  });
  let output = '';
  drill.stdout!.on('data', (d) => (output += String(d)));
  drill.stderr!.on('data', (d) => (output += String(d)));
  const code = await new Promise<number | null>((resolve) => drill.on('exit', resolve));
  if (code !== 0) console.log(output);
  expect(output).toContain('Verdict: PASS');
  expect(code).toBe(0);
});
