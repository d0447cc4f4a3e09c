/** CORS for browser SDKs on /ofrep: allowed origins come from FLAGPOLE_CORS_ORIGINS. */
export function corsPolicy(origins: string[]) {
  const any = origins.includes('*');
  const allowed = new Set(origins);
  const enabled = origins.length > 0;
  return {
    /** Headers for an actual request from `origin`, or none. */
    headers(origin: string | undefined): Record<string, string> | undefined {
      if (!enabled || origin === undefined || !(any || allowed.has(origin))) return undefined;
      return {
        'Access-Control-Allow-Origin': any ? '*' : origin,
        'Access-Control-Expose-Headers': 'ETag, X-Request-Id, Retry-After',
        Vary: 'Origin',
      };
    },
    /** Headers answering a preflight (OPTIONS) from `origin`, or none when it is not allowed. */
    preflight(origin: string | undefined): Record<string, string> | undefined {
      const base = this.headers(origin);
      return (
        base && {
          ...base,
          'Access-Control-Allow-Methods': 'POST, OPTIONS',
          'Access-Control-Allow-Headers': 'Authorization, Content-Type, If-None-Match, X-Request-Id, X-API-Key',
          'Access-Control-Max-Age': '600',
        }
      );
    },
  };
}

/**
 * The security headers helmet gives the rest of the api, for the OFREP answers it does not
 * see: computed once, copied into each answer. A browser SDK on an allowed origin must be
 * able to read the answer, so its resource policy is cross-origin when CORS is on.
 */
export function securityHeaders(options: {
  corsOrigins: string[];
  production: boolean;
}): Readonly<Record<string, string>> {
  return Object.freeze({
    'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
    'Cross-Origin-Resource-Policy': options.corsOrigins.length > 0 ? 'cross-origin' : 'same-origin',
    'Referrer-Policy': 'no-referrer',
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    ...(options.production ? { 'Strict-Transport-Security': 'max-age=31536000; includeSubDomains' } : {}),
  });
}
