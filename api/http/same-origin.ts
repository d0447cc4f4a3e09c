import type { Request } from 'express';
import { ForbiddenError } from '../../core/errors';

const originOf = (url: string): string | undefined => {
  try {
    const origin = new URL(url).origin;
    return origin === 'null' ? undefined : origin;
  } catch {
    return undefined;
  }
};

/**
 * A second line behind the CSRF token for writes a browser makes with the session cookie: when
 * the request names the page it came from (Origin, or else Referer), that page must be this
 * server (scheme and Host as Express sees them, so behind a TLS proxy FLAGPOLE_TRUST_PROXY must
 * be set). Requests with neither header are not from a browser page and rely on the token alone.
 */
export function assertSameOrigin(req: Request): void {
  const origin = req.headers.origin;
  const referer = req.headers.referer;
  const claimed = typeof origin === 'string' ? origin : typeof referer === 'string' ? referer : undefined;
  if (claimed === undefined) return;
  const own = originOf(`${req.protocol}://${req.host}`);
  if (!own || originOf(claimed) !== own) {
    const header = typeof origin === 'string' ? 'Origin' : 'Referer';
    throw new ForbiddenError(`Cross-site write refused: the ${header} header is not this server (${own ?? req.host}).`);
  }
}
