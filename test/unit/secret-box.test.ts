import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { loadConfig } from '../../modules/platform/config';
import { SecretBox, SecretBoxError } from '../../modules/platform/secret-box';

const keyA = randomBytes(32).toString('base64');
const keyB = randomBytes(32).toString('hex');

describe('secret box', () => {
  it('when a secret is sealed, then the stored value holds neither the secret nor a repeatable ciphertext, and it opens again', () => {
    const box = new SecretBox(keyA);
    fc.assert(
      fc.property(fc.string({ minLength: 16, maxLength: 200, unit: 'grapheme' }), (secret) => {
        const sealed = box.seal(secret);
        expect(sealed.startsWith(`fpsec1:${box.primaryKeyId}:`)).toBe(true);
        expect(sealed).not.toContain(secret);
        expect(box.seal(secret)).not.toBe(sealed); // a fresh IV each time
        expect(box.open(sealed)).toBe(secret);
      }),
      { seed: 20261202, numRuns: 200 },
    );
  });

  it('when the key that sealed a value is not configured, then opening fails and names the key id', () => {
    const sealed = new SecretBox(keyA).seal('a-webhook-signing-secret');
    expect(() => new SecretBox(keyB).open(sealed)).toThrow(SecretBoxError);
    expect(() => new SecretBox(keyB).open(sealed)).toThrow(/not in FLAGPOLE_SECRET_KEYS/);
    expect(() => new SecretBox(undefined).open(sealed)).toThrow(SecretBoxError);
  });

  it('when a new key is put first, then it seals while the old key still opens what it sealed', () => {
    const old = new SecretBox(keyA).seal('sealed-before-rotation');
    const rotated = new SecretBox(`${keyB},${keyA}`);
    expect(rotated.open(old)).toBe('sealed-before-rotation');
    expect(rotated.isCurrent(old)).toBe(false);
    const fresh = rotated.seal('sealed-after-rotation');
    expect(rotated.isCurrent(fresh)).toBe(true);
    expect(new SecretBox(keyB).open(fresh)).toBe('sealed-after-rotation');
  });

  it('when any part of a sealed value is changed, then opening refuses it', () => {
    const box = new SecretBox(keyA);
    const sealed = box.seal('a-webhook-signing-secret');
    const [prefix, id, ...parts] = sealed.split(':');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 }), fc.nat(), fc.integer({ min: 1, max: 255 }), (part, at, flip) => {
        const bytes = Buffer.from(parts[part], 'base64url');
        bytes[at % bytes.length] ^= flip;
        const changed = parts.map((p, i) => (i === part ? bytes.toString('base64url') : p));
        expect(() => box.open([prefix, id, ...changed].join(':'))).toThrow(SecretBoxError);
      }),
      { seed: 20261202, numRuns: 100 },
    );
    const tag = Buffer.from(parts[1], 'base64url').subarray(0, 4).toString('base64url');
    expect(() => box.open([prefix, id, parts[0], tag, parts[2]].join(':'))).toThrow(SecretBoxError);
    expect(() => box.open('a-plaintext-secret')).toThrow(SecretBoxError);
  });

  it('when FLAGPOLE_SECRET_KEYS is malformed or missing in production, then the config names it', () => {
    const production = { NODE_ENV: 'production', SESSION_SECRET: 's'.repeat(32) };
    expect(() => loadConfig(production)).toThrow(/FLAGPOLE_SECRET_KEYS: required when NODE_ENV=production/);
    expect(loadConfig({ ...production, FLAGPOLE_SECRET_KEYS: `${keyA},${keyB}` }).secretKeys).toBe(`${keyA},${keyB}`);
    expect(() => loadConfig({ FLAGPOLE_SECRET_KEYS: 'too-short' })).toThrow(
      /FLAGPOLE_SECRET_KEYS: key 1 is not 32 bytes/,
    );
    expect(() => loadConfig({ FLAGPOLE_SECRET_KEYS: `${keyA},` })).toThrow(
      /FLAGPOLE_SECRET_KEYS: must be one or more keys/,
    );
    expect(loadConfig({}).secretKeys).toBeUndefined();
  });
});
