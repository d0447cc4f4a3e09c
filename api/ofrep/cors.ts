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
