import { ForbiddenError } from '../../core/errors';
import type { TenantRequestContext } from './route';

/**
 * Global controls (pausing every rollout, the job dashboard) see or change every tenant, so
 * they belong to the platform's own ops workspace: a request must act in a tenant of kind
 * `platform`.
 */
export function requirePlatformTenant(ctx: Pick<TenantRequestContext, 'tenant'>, what: string): void {
  if (ctx.tenant.kind !== 'platform') throw new ForbiddenError(`${what} is for members of the platform's ops workspace.`);
}
