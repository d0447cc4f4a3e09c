import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface LoadSpec {
  url: string;
  headers: Record<string, string>;
  /** A fixed body, or a body per request with every `{{n}}` replaced by one random number. */
  body: string;
  varied: boolean;
  /** The random numbers are 1…units (default 100,000,000: nearly every request a new one). */
  units?: number;
  connections: number;
  seconds: number;
}

export interface LoadResult {
  tool: 'wrk' | 'autocannon';
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  /** Answers that were neither 2xx nor 3xx. */
  errors: number;
}

/** wrk when installed (BENCH_TOOL=autocannon forces the npm generator). */
export function loadTool(): 'wrk' | 'autocannon' {
  if (process.env.BENCH_TOOL === 'autocannon') return 'autocannon';
  try {
    execFileSync('wrk', ['--version'], { stdio: 'ignore' });
    return 'wrk';
  } catch (err) {
    // wrk exits 1 after printing its version; only a missing binary means "not installed"
    return (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'autocannon' : 'wrk';
  }
}

function run(command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${command} exited with ${code}`))));
  });
}

const ms = (value: string, unit: string): number => Number(value) * ({ us: 0.001, ms: 1, s: 1000 }[unit] ?? Number.NaN);

/** wrk (2 threads, from Debian): the lightest generator, so the server is what is measured. */
async function runWrk(spec: LoadSpec): Promise<LoadResult> {
  const lua = path.join(os.tmpdir(), `flagpole-bench-${process.pid}.lua`);
  const headers = Object.entries({ 'Content-Type': 'application/json', ...spec.headers })
    .map(([k, v]) => `wrk.headers[${JSON.stringify(k)}] = ${JSON.stringify(v)}`)
    .join('\n');
  fs.writeFileSync(
    lua,
    `wrk.method = "POST"\n${headers}\nwrk.body = ${JSON.stringify(spec.body)}\n` +
      (spec.varied
        ? `request = function() local body = string.gsub(wrk.body, "{{n}}", tostring(math.random(1, ${spec.units ?? 1e8}))) return wrk.format(nil, nil, nil, body) end\n`
        : ''),
  );
  try {
    const out = await run('wrk', [
      '-t2',
      `-c${spec.connections}`,
      `-d${spec.seconds}s`,
      '--latency',
      '-s',
      lua,
      spec.url,
    ]);
    const pct = (p: string) => {
      const m = new RegExp(`\\s${p}%\\s+([\\d.]+)(us|ms|s)`).exec(out);
      return m ? ms(m[1], m[2]) : Number.NaN;
    };
    return {
      tool: 'wrk',
      rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]),
      p50: pct('50'),
      p99: pct('99'),
      requests: Number(/(\d+) requests in/.exec(out)?.[1]),
      errors:
        Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0) +
        Number(/Socket errors: .*?(\d+) timeout/.exec(out)?.[1] ?? 0),
    };
  } finally {
    fs.rmSync(lua, { force: true });
  }
}

/** autocannon in a second node process, when wrk is not installed. */
async function runAutocannon(spec: LoadSpec): Promise<LoadResult> {
  const out = await run(process.execPath, [
    '--import',
    'tsx',
    path.join(__dirname, 'autocannon-worker.ts'),
    JSON.stringify(spec),
  ]);
  return { tool: 'autocannon', ...(JSON.parse(out) as Omit<LoadResult, 'tool'>) };
}

export function drive(spec: LoadSpec, tool = loadTool()): Promise<LoadResult> {
  return tool === 'wrk' ? runWrk(spec) : runAutocannon(spec);
}
