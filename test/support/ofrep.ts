import type { AddressInfo } from 'node:net';
import { createServer } from '../../api/server';
import type { TenantSnapshot } from '../../modules/evaluation/tenant-snapshot';
import type { Container } from '../../modules/platform/container';
import type { TestTenant } from './test-app';

/** The api's real HTTP server (OFREP handler in front of Express) on an ephemeral port. */
export async function listen(c: Container): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer(c);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

/** A client token (scope evaluation) of `tenant`; returns the secret. */
export async function clientToken(c: Container, tenant: TestTenant): Promise<string> {
  const { secret } = await c.db.transaction((trx) =>
    c.repos.tokens.create(trx, {
      tenantId: tenant.id,
      name: 'sdk',
      scope: 'evaluation',
      role: null,
      createdBy: 'test',
      expiresAt: null,
      now: c.clock.now(),
    }),
  );
  return secret;
}

/**
 * Resolves with the tenant's snapshot in `c` once it satisfies `ready` (now, or at a later
 * swap); rejects after `ms` (a bound for an asynchronous signal, not a sleep).
 */
export function snapshotWhere(
  c: Container,
  tenantId: string,
  ready: (s: TenantSnapshot) => boolean,
  ms = 5000,
): Promise<TenantSnapshot> {
  const current = c.evaluation.snapshots.peek(tenantId);
  if (current && ready(current)) return Promise.resolve(current);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no matching snapshot for ${tenantId} within ${ms} ms`));
    }, ms);
    const off = c.evaluation.snapshots.onSwap((s) => {
      if (s.tenantId !== tenantId || !ready(s)) return;
      clearTimeout(timer);
      off();
      resolve(s);
    });
  });
}
