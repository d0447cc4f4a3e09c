/**
 * The one hash of Flagpole: MurmurHash3 x86 32-bit over the UTF-8 bytes of a string, and the
 * bucket a context lands in for a percent rule (see the glossary). At whole percentages this
 * is Unleash's flexibleRollout (`h % 100 + 1 <= percent`), so both put a user in one cohort.
 */
const encoder = new TextEncoder();
let scratch = new Uint8Array(256);

/** Writes the UTF-8 bytes of `input` to `scratch` from `offset` (ASCII without a native call); returns the end. */
function utf8(input: string, offset: number): number {
  const n = input.length;
  if (scratch.length < offset + n * 3) {
    const grown = new Uint8Array(offset + n * 3);
    grown.set(scratch.subarray(0, offset));
    scratch = grown;
  }
  for (let i = 0; i < n; i++) {
    const c = input.charCodeAt(i);
    if (c > 127) return offset + encoder.encodeInto(input, scratch.subarray(offset)).written;
    scratch[offset + i] = c;
  }
  return offset + n;
}

/** Mixes the 4-byte blocks of b[0..end) into h. */
function blocks(h: number, b: Uint8Array, end: number): number {
  for (let i = 0; i + 4 <= end; i += 4) h = mix(h, b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24));
  return h;
}

/** Mixes the last 0–3 bytes of b[0..end) and finalizes for a key of `total` bytes. */
function finish(h: number, b: Uint8Array, end: number, total: number): number {
  const tail = end & ~3;
  if (end > tail) {
    let k = b[tail];
    if (end - tail > 1) k |= b[tail + 1] << 8;
    if (end - tail > 2) k |= b[tail + 2] << 16;
    k = Math.imul(k, 0xcc9e2d51);
    h ^= Math.imul((k << 15) | (k >>> 17), 0x1b873593);
  }
  h ^= total;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

export function murmur3(input: string, seed = 0): number {
  const len = utf8(input, 0);
  return finish(blocks(seed | 0, scratch, len), scratch, len, len);
}

const toBucket = (h: number): number => (h % 100) * 100 + (Math.floor(h / 100) % 100);

/** 0–9999: the first two digits agree with Unleash's `h % 100`, the last two refine it to 0.01%. */
export function bucketOf(groupId: string, stickinessValue: string): number {
  return toBucket(murmur3(`${groupId}:${stickinessValue}`));
}

/** One 4-byte block into the running hash. */
function mix(h: number, k: number): number {
  k = Math.imul(k, 0xcc9e2d51);
  h ^= Math.imul((k << 15) | (k >>> 17), 0x1b873593);
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

/**
 * `bucketOf` for one group, with the `<groupId>:` prefix hashed once: its whole 4-byte
 * blocks are mixed ahead, so each call hashes only the rest, straight from the string's
 * character codes when it is ASCII. Same results as `bucketOf`.
 */
export function bucketer(groupId: string): (stickinessValue: string) => number {
  const prefixLength = utf8(`${groupId}:`, 0);
  const ahead = prefixLength & ~3;
  const state = blocks(0, scratch, ahead);
  const rest = scratch.slice(ahead, prefixLength);
  let restWord = 0;
  for (let i = 0; i < rest.length; i++) restWord |= rest[i] << (8 * i);
  const slow = (value: string) => {
    scratch.set(rest, 0);
    const end = utf8(value, rest.length);
    return toBucket(finish(blocks(state, scratch, end), scratch, end, ahead + end));
  };
  return (value) => {
    let h = state;
    let word = restWord;
    let filled = rest.length;
    for (let i = 0; i < value.length; i++) {
      const c = value.charCodeAt(i);
      if (c > 127) return slow(value);
      word |= c << (8 * filled);
      if (++filled === 4) {
        h = mix(h, word);
        word = 0;
        filled = 0;
      }
    }
    if (filled > 0) {
      const k = Math.imul(word, 0xcc9e2d51);
      h ^= Math.imul((k << 15) | (k >>> 17), 0x1b873593);
    }
    h ^= ahead + rest.length + value.length;
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
    return toBucket((h ^ (h >>> 16)) >>> 0);
  };
}

/** A percent (0–100, 0.01 steps) as the bucket bound: a context is in iff `bucket < threshold`. */
export const thresholdOf = (percent: number): number => Math.round(percent * 100);

/** True when `percent` is within 0–100 and a whole number of hundredths. */
export function isPercent(percent: number): boolean {
  return (
    Number.isFinite(percent) &&
    percent >= 0 &&
    percent <= 100 &&
    Math.abs(percent * 100 - Math.round(percent * 100)) < 1e-6
  );
}
