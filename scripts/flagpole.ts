/**
 * The Flagpole CLI, for bootstrapping and automation. Every write is audited with the
 * actor system/cli. `npm run flagpole -- help` lists the commands.
 */
import { parseArgs } from 'node:util';
import { systemActor } from '../core/actor';
import { AppError } from '../core/errors';
import { isRole, type Role } from '../core/permissions';
import { loadConfigOrExit } from '../modules/platform/config';
import { createContainer, type Container } from '../modules/platform/container';
import { randomSecret } from '../modules/platform/ids';
import { SecretBoxError } from '../modules/platform/secret-box';

const HELP = `Usage: npm run flagpole -- <command> [options]

  token create  --tenant <slug> --name <name> [--role viewer|editor|operator|admin] [--scope admin|evaluation] [--expires-days N]
                prints only the new secret on stdout (shown once)
  token revoke  --tenant <slug> --id <token id>
  tenant create --slug <slug> --name <name> [--kind merchant|platform]
  user create   --email <email> --name <name> --tenant <slug> --role <role> [--password <pw>]
                without --password a random one is generated and printed
  user set-password --email <email> --password <pw>
  secrets rotate
                re-encrypts every stored webhook secret with the first key of FLAGPOLE_SECRET_KEYS
`;

const actor = systemActor('cli', 'flagpole cli');

class UsageError extends Error {}

function need(values: Record<string, string | undefined>, ...names: string[]): string[] {
  const missing = names.filter((n) => !values[n]);
  if (missing.length) throw new UsageError(`missing ${missing.map((m) => `--${m}`).join(', ')}`);
  return names.map((n) => values[n]!);
}

function role(value: string | undefined, fallback: Role): Role {
  const r = value ?? fallback;
  if (!isRole(r)) throw new UsageError(`--role must be viewer, editor, operator or admin (got "${r}")`);
  return r;
}

async function tenantId(c: Container, slug: string): Promise<string> {
  const t = await c.repos.tenants.find(slug);
  if (!t) throw new UsageError(`no tenant "${slug}"`);
  return t.id;
}

async function run(c: Container, command: string, v: Record<string, string | undefined>): Promise<string> {
  switch (command) {
    case 'token create': {
      const [slug, name] = need(v, 'tenant', 'name');
      const scope = v.scope ?? 'admin';
      if (scope !== 'admin' && scope !== 'evaluation') throw new UsageError('--scope must be admin or evaluation');
      const { secret } = await c.auth.createToken(
        { tenantId: await tenantId(c, slug), actor },
        {
          name,
          scope,
          role: scope === 'admin' ? role(v.role, 'viewer') : undefined,
          expiresInDays: v['expires-days'] ? Number(v['expires-days']) : undefined,
        },
      );
      return secret;
    }
    case 'token revoke': {
      const [slug, id] = need(v, 'tenant', 'id');
      const t = await c.auth.revokeToken({ tenantId: await tenantId(c, slug), actor }, id);
      return `revoked ${t.id} (${t.name})`;
    }
    case 'tenant create': {
      const [slug, name] = need(v, 'slug', 'name');
      const kind = v.kind ?? 'merchant';
      if (kind !== 'merchant' && kind !== 'platform') throw new UsageError('--kind must be merchant or platform');
      const t = await c.uow.run({ tenantId: '', actor }, async (trx) => {
        const existing = await c.repos.tenants.find(slug);
        if (existing) throw new UsageError(`tenant "${slug}" exists`);
        const created = await c.repos.tenants.create(trx, { slug, name, kind });
        await c.repos.audit.record(
          trx,
          { tenantId: null, actor },
          { action: 'tenant.created', resourceType: 'tenant', resourceId: created.id, after: created },
        );
        return created;
      });
      return `created tenant ${t.slug} (${t.id})`;
    }
    case 'user create': {
      const [email, name, slug] = need(v, 'email', 'name', 'tenant');
      const password = v.password ?? randomSecret(12);
      const { created } = await c.users.ensureUser(actor, {
        email,
        name,
        password,
        roles: { [slug]: role(v.role, 'viewer') },
      });
      return created
        ? `created ${email}${v.password ? '' : ` with password ${password}`}`
        : `${email} exists; role in ${slug} set`;
    }
    case 'user set-password': {
      const [email, password] = need(v, 'email', 'password');
      if (password.length < 8) throw new UsageError('--password needs at least 8 characters');
      await c.users.setPassword(actor, email, password);
      return `password set for ${email}`;
    }
    case 'secrets rotate': {
      const r = await c.webhooks.rotateSecrets(actor);
      return `re-encrypted ${r.reencrypted} of ${r.total} webhook secrets; all are now under key ${r.keyId}`;
    }
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: Object.fromEntries(
      ['tenant', 'name', 'role', 'scope', 'expires-days', 'id', 'slug', 'kind', 'email', 'password'].map((o) => [
        o,
        { type: 'string' as const },
      ]),
    ),
  });
  const command = positionals.slice(0, 2).join(' ');
  if (!command || command === 'help') {
    process.stdout.write(HELP);
    return 0;
  }
  const c = createContainer(loadConfigOrExit(), { name: 'flagpole-cli' });
  try {
    process.stdout.write(`${await run(c, command, values as Record<string, string | undefined>)}\n`);
    return 0;
  } catch (err) {
    if (err instanceof UsageError || err instanceof AppError || err instanceof SecretBoxError) {
      process.stderr.write(`flagpole: ${err.message}\n${err instanceof UsageError ? `\n${HELP}` : ''}`);
      return 2;
    }
    throw err;
  } finally {
    await c.close();
  }
}

main().then((code) => process.exit(code));
