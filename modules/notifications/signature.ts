import { createHmac } from 'node:crypto';
import { safeEqual } from '../platform/ids';

export const SIGNATURE_HEADER = 'X-Flagpole-Signature';
export const TIMESTAMP_HEADER = 'X-Flagpole-Timestamp';

/**
 * `sha256=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>`: the timestamp is signed with the
 * body, so a receiver that rejects old timestamps also rejects replays.
 */
export function signPayload(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** What a receiver does: recompute and compare in constant time, refusing stale timestamps. */
export function verifySignature(
  secret: string,
  timestamp: string,
  body: string,
  signature: string,
  nowSeconds: number,
  toleranceSeconds = 300,
): boolean {
  const ts = Number(timestamp);
  if (!Number.isInteger(ts) || Math.abs(nowSeconds - ts) > toleranceSeconds) return false;
  return safeEqual(signPayload(secret, ts, body), signature);
}
