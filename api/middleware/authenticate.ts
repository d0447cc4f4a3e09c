import type { NextFunction, Request, Response } from 'express';
import { parse as parseCookie } from 'cookie';
import { UnauthenticatedError } from '../../core/errors';
import type { Container } from '../../modules/platform/container';

export const SESSION_COOKIE = 'flagpole_session';

/**
 * Finds who is calling: `Authorization: Bearer <token>` or the session cookie. A bad bearer
 * token is a 401 at once; a stale cookie is ignored (the route decides whether it needs one).
 */
export function authenticate(c: Container) {
  return async (req: Request, _res: Response, next: NextFunction) => {
    const header = req.headers.authorization;
    if (header !== undefined) {
      const m = /^Bearer\s+(\S{1,200})\s*$/i.exec(header);
      const principal = m ? await c.auth.principalFromToken(m[1]) : undefined;
      if (!principal) throw new UnauthenticatedError('The bearer token is invalid, expired or revoked.');
      req.principal = principal;
      return next();
    }
    const token = req.headers.cookie ? parseCookie(req.headers.cookie)[SESSION_COOKIE] : undefined;
    if (token && token.length <= 200) {
      const principal = await c.auth.principalFromSession(token);
      if (principal) {
        req.principal = principal;
        req.viaCookie = true;
      }
    }
    next();
  };
}
