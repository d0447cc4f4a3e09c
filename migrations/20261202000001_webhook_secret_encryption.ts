import type { Knex } from 'knex';
import { isSealed, SEALED_PREFIX, SecretBox } from '../modules/platform/secret-box';

/**
 * Webhook signing secrets are stored sealed (AES-256-GCM, see secret-box.ts). Existing
 * plaintext secrets are sealed with the first key of FLAGPOLE_SECRET_KEYS; without it (only
 * outside production: the config refuses production without keys) with the development key.
 * From here on the table refuses a secret that is not sealed.
 */
function boxFromEnv(): SecretBox {
  if (process.env.NODE_ENV === 'production' && !process.env.FLAGPOLE_SECRET_KEYS) {
    throw new Error('FLAGPOLE_SECRET_KEYS: required when NODE_ENV=production (it encrypts the stored webhook secrets)');
  }
  return new SecretBox(process.env.FLAGPOLE_SECRET_KEYS);
}

export async function up(knex: Knex): Promise<void> {
  const box = boxFromEnv();
  const rows: Array<{ id: string; secret: string }> = await knex('webhooks').select('id', 'secret').forUpdate();
  for (const row of rows) {
    if (!isSealed(row.secret))
      await knex('webhooks')
        .where({ id: row.id })
        .update({ secret: box.seal(row.secret) });
  }
  await knex.raw(`alter table webhooks add constraint webhooks_secret_sealed check (secret like '${SEALED_PREFIX}%')`);
}

export async function down(knex: Knex): Promise<void> {
  const box = boxFromEnv();
  await knex.raw('alter table webhooks drop constraint webhooks_secret_sealed');
  const rows: Array<{ id: string; secret: string }> = await knex('webhooks').select('id', 'secret').forUpdate();
  for (const row of rows)
    await knex('webhooks')
      .where({ id: row.id })
      .update({ secret: box.open(row.secret) });
}
