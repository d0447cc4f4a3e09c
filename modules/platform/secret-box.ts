import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * Secrets at rest (webhook signing secrets): AES-256-GCM with a random 96-bit IV per value.
 * A sealed value is `fpsec1:<key id>:<iv>:<tag>:<ciphertext>` (base64url), the key id being
 * the first 8 hex digits of the key's SHA-256, so the keys need no names and a value says
 * which key opens it. The first key seals; every key opens (rotation: add the new key
 * first, run `flagpole secrets rotate`, then drop the old one).
 */
export const SEALED_PREFIX = 'fpsec1:';

/** Used when FLAGPOLE_SECRET_KEYS is unset outside production (config refuses that in production). */
const DEVELOPMENT_KEY = createHash('sha256').update('flagpole-development-secret-key').digest();

export class SecretBoxError extends Error {}

interface Key {
  id: string;
  key: Buffer;
}

const keyId = (key: Buffer): string => createHash('sha256').update(key).digest('hex').slice(0, 8);

function decodeKey(text: string): Buffer | undefined {
  if (/^[0-9a-fA-F]{64}$/.test(text)) return Buffer.from(text, 'hex');
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(text)) {
    const key = Buffer.from(text, 'base64');
    if (key.length === 32) return key;
  }
  return undefined;
}

/** Why FLAGPOLE_SECRET_KEYS cannot be used, or undefined when it can (for the config check). */
export function secretKeysProblem(raw: string): string | undefined {
  const parts = raw.split(',').map((k) => k.trim());
  if (parts.length === 0 || parts.some((k) => k === '')) return 'must be one or more keys, comma-separated';
  const bad = parts.findIndex((k) => !decodeKey(k));
  if (bad >= 0) return `key ${bad + 1} is not 32 bytes in base64 or hex (make one with: openssl rand -base64 32)`;
  return undefined;
}

export class SecretBox {
  private readonly keys: Key[];

  /** `raw` is FLAGPOLE_SECRET_KEYS; undefined means the fixed development key. */
  constructor(raw: string | undefined) {
    if (raw === undefined || raw.trim() === '') {
      this.keys = [{ id: keyId(DEVELOPMENT_KEY), key: DEVELOPMENT_KEY }];
      return;
    }
    const problem = secretKeysProblem(raw);
    if (problem) throw new SecretBoxError(`FLAGPOLE_SECRET_KEYS: ${problem}`);
    this.keys = raw.split(',').map((k) => {
      const key = decodeKey(k.trim())!;
      return { id: keyId(key), key };
    });
  }

  get primaryKeyId(): string {
    return this.keys[0].id;
  }

  seal(plaintext: string): string {
    const { id, key } = this.keys[0];
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return `${SEALED_PREFIX}${id}:${[iv, cipher.getAuthTag(), ciphertext].map((b) => b.toString('base64url')).join(':')}`;
  }

  open(sealed: string): string {
    const parts = sealed.startsWith(SEALED_PREFIX) ? sealed.slice(SEALED_PREFIX.length).split(':') : [];
    if (parts.length !== 4) throw new SecretBoxError('not a sealed secret');
    const [id, iv, tag, ciphertext] = parts;
    const entry = this.keys.find((k) => k.id === id);
    if (!entry) throw new SecretBoxError(`sealed with key ${id}, which is not in FLAGPOLE_SECRET_KEYS`);
    try {
      const decipher = createDecipheriv('aes-256-gcm', entry.key, Buffer.from(iv, 'base64url'), { authTagLength: 16 });
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      // GCM refuses a changed ciphertext, IV or tag; which one does not matter to the caller
      throw new SecretBoxError(`the secret sealed with key ${id} was altered or is damaged`);
    }
  }

  /** Whether `sealed` is already under the first key (rotation skips it). */
  isCurrent(sealed: string): boolean {
    return sealed.startsWith(`${SEALED_PREFIX}${this.primaryKeyId}:`);
  }
}

export const isSealed = (value: string): boolean => value.startsWith(SEALED_PREFIX);
