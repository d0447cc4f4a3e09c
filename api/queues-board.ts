import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import type { HookContext } from '@bull-board/api/typings/app';
import { ExpressAdapter } from '@bull-board/express';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { IncomingHttpHeaders } from 'node:http';
import type { Actor } from '../core/actor';
import { ForbiddenError, UnauthenticatedError } from '../core/errors';
import { roleAllows, ROLES, type Role } from '../core/permissions';
import { actorOf, type Principal } from '../modules/auth/auth.service';
import type { Container } from '../modules/platform/container';

export const QUEUES_PATH = '/admin/queues';

/** The dashboard actions operators may take; every other write (obliterate, add, edit data, pause…) is refused. */
const OPERATOR_ACTIONS: Array<{ re: RegExp; action: string }> = [
  { re: /^\/api\/queues\/([^/]+)\/retry\/(failed|completed)$/, action: 'queue.jobs_retried' },
  { re: /^\/api\/queues\/([^/]+)\/promote$/, action: 'queue.jobs_promoted' },
  { re: /^\/api\/queues\/([^/]+)\/clean\/(completed|wait|active|delayed|failed)$/, action: 'queue.jobs_cleaned' },
  { re: /^\/api\/queues\/([^/]+)\/([^/]+)\/retry$/, action: 'queue.job_retried' },
  { re: /^\/api\/queues\/([^/]+)\/([^/]+)\/promote$/, action: 'queue.job_promoted' },
  { re: /^\/api\/queues\/([^/]+)\/([^/]+)\/clean$/, action: 'queue.job_cleaned' },
];

interface PendingAudit {
  tenantId: string;
  actor: Actor;
  requestId: string;
  action: string;
  resourceId: string;
}

/**
 * The dashboard shows every tenant's jobs, so it belongs to the platform's ops workspace:
 * the caller's highest role in a tenant of kind `platform` (a token: its own, if platform).
 */
async function platformAccess(c: Container, p: Principal): Promise<{ tenantId: string; role: Role } | undefined> {
  if (p.kind === 'token') {
    if (p.scope !== 'admin' || !p.role) return undefined;
    const tenant = await c.repos.tenants.find(p.tenantId);
    return tenant?.kind === 'platform' ? { tenantId: tenant.id, role: p.role } : undefined;
  }
  const platform = p.memberships.filter((m) => m.kind === 'platform').sort((a, b) => ROLES.indexOf(b.role) - ROLES.indexOf(a.role));
  return platform[0] && { tenantId: platform[0].tenantId, role: platform[0].role };
}

/** A cookie-authenticated write must come from our own pages (bull-board's UI sends no CSRF header). */
function sameOrigin(req: Request): boolean {
  const source = req.headers.origin ?? req.headers.referer;
  if (!source) return false;
  try {
    return new URL(source).host === req.headers.host;
  } catch {
    return false;
  }
}

/**
 * bull-board at /admin/queues behind the same login: viewers look (a read-only board),
 * operators may also retry, promote and clean; each such action is audited before its
 * answer is sent.
 */
export function queuesBoard(c: Container): RequestHandler {
  const pending = new WeakMap<IncomingHttpHeaders, PendingAudit>();
  const audit = async (context: HookContext, result: unknown) => {
    const entry = pending.get(context.request.headers as IncomingHttpHeaders);
    const status = (result as { status?: number }).status ?? 200;
    if (entry && status < 400) {
      await c.uow.run({ tenantId: entry.tenantId, actor: entry.actor, requestId: entry.requestId }, (trx) =>
        c.repos.audit.record(
          trx,
          { tenantId: entry.tenantId, actor: entry.actor, requestId: entry.requestId },
          { action: entry.action, resourceType: 'queue', resourceId: entry.resourceId },
        ),
      );
    }
    return result as never;
  };
  const board = (readOnlyMode: boolean) => {
    const adapter = new ExpressAdapter();
    adapter.setBasePath(QUEUES_PATH);
    createBullBoard({
      queues: c.queues.all().map((q) => new BullMQAdapter(q, { readOnlyMode, allowRetries: !readOnlyMode })),
      serverAdapter: adapter,
      options: { uiConfig: { boardTitle: 'Flagpole jobs', hideDocsLink: true }, handlerHooks: { after: audit } },
    });
    return adapter.getRouter() as RequestHandler;
  };
  const readOnly = board(true);
  const operable = board(false);

  return async (req: Request, res: Response, next: NextFunction) => {
    if (!req.principal) throw new UnauthenticatedError();
    const access = await platformAccess(c, req.principal);
    if (!access) throw new ForbiddenError("The job dashboard is for members of the platform's ops workspace.");
    const operator = roleAllows(access.role, 'operator');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      const allowed = OPERATOR_ACTIONS.find((a) => a.re.test(req.path));
      if (!allowed) throw new ForbiddenError('This job dashboard action is not available.');
      if (!operator) throw new ForbiddenError(`Retrying, promoting and cleaning jobs needs the operator role; you are ${access.role}.`);
      if (req.viaCookie && !sameOrigin(req)) throw new ForbiddenError('Queue actions from a browser must come from the dashboard page.');
      const [, queue, target] = allowed.re.exec(req.path)!;
      pending.set(req.headers, {
        tenantId: access.tenantId,
        actor: actorOf(req.principal),
        requestId: req.requestId,
        action: allowed.action,
        resourceId: `${queue}/${target ?? '*'}`.slice(0, 200),
      });
    }
    (operator ? operable : readOnly)(req, res, next);
  };
}
