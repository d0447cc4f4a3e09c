import type { Actor } from '../../core/actor';
import { NotFoundError } from '../../core/errors';
import type { Role } from '../../core/permissions';
import type { AuditRepository } from '../audit/audit.repository';
import type { UnitOfWork } from '../platform/unit-of-work';
import type { TenantsRepository } from '../tenants/tenants.repository';
import { hashPassword } from './passwords';
import type { UsersRepository } from './users.repository';

/** People and their roles; used by the CLI and the demo seed (there is no user admin UI yet). */
export class UsersService {
  constructor(
    private readonly d: { uow: UnitOfWork; users: UsersRepository; tenants: TenantsRepository; audit: AuditRepository },
  ) {}

  /** Creates the user if the email is new (a known user keeps their password), then grants the roles. */
  async ensureUser(
    actor: Actor,
    input: { email: string; name: string; password: string; roles: Record<string, Role> },
  ): Promise<{ id: string; created: boolean }> {
    const tenants = await Promise.all(
      Object.entries(input.roles).map(async ([slug, role]) => {
        const tenant = await this.d.tenants.find(slug);
        if (!tenant) throw new NotFoundError(`Tenant "${slug}"`);
        return { tenant, role };
      }),
    );
    const existing = await this.d.users.findByEmail(input.email);
    const passwordHash = existing ? undefined : await hashPassword(input.password);
    return this.d.uow.run({ tenantId: '', actor }, async (trx) => {
      let id = existing?.id;
      if (!id) {
        const user = await this.d.users.insert(trx, {
          email: input.email,
          name: input.name,
          passwordHash: passwordHash!,
        });
        id = user.id;
        await this.d.audit.record(
          trx,
          { tenantId: null, actor },
          {
            action: 'user.created',
            resourceType: 'user',
            resourceId: id,
            after: { email: input.email, name: input.name },
          },
        );
      }
      const current = new Map((await this.d.users.memberships(id)).map((m) => [m.tenantId, m.role]));
      for (const { tenant, role } of tenants) {
        const before = current.get(tenant.id);
        if (before === role) continue;
        await this.d.users.setMembership(trx, id, tenant.id, role);
        await this.d.audit.record(
          trx,
          { tenantId: tenant.id, actor },
          {
            action: 'membership.granted',
            resourceType: 'membership',
            resourceId: id,
            before: before ? { email: input.email, role: before } : null,
            after: { email: input.email, role },
          },
        );
      }
      return { id, created: !existing };
    });
  }

  async setPassword(actor: Actor, email: string, password: string): Promise<void> {
    const user = await this.d.users.findByEmail(email);
    if (!user) throw new NotFoundError(`User "${email}"`);
    const hash = await hashPassword(password);
    await this.d.uow.run({ tenantId: '', actor }, async (trx) => {
      await this.d.users.setPassword(trx, user.id, hash);
      await this.d.audit.record(
        trx,
        { tenantId: null, actor },
        { action: 'user.password_set', resourceType: 'user', resourceId: user.id },
      );
    });
  }
}
