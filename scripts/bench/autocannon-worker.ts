import autocannon from 'autocannon';
import type { LoadSpec } from './load';

/** Runs one autocannon load (spec as argv JSON) and prints its figures as JSON. */
async function main(): Promise<void> {
  const spec = JSON.parse(process.argv[2]) as LoadSpec;
  const result = await autocannon({
    url: spec.url,
    method: 'POST',
    connections: spec.connections,
    duration: spec.seconds,
    headers: { 'content-type': 'application/json', ...spec.headers },
    body: spec.body,
    requests: spec.varied
      ? [
          {
            setupRequest: (req) => ({
              ...req,
              body: spec.body.replaceAll('{{n}}', String(1 + Math.floor(Math.random() * (spec.units ?? 1e8)))),
            }),
          },
        ]
      : undefined,
  });
  const out = {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    errors: result['4xx'] + result['5xx'] + result.errors + result.timeouts,
  };
  process.stdout.write(JSON.stringify(out));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
