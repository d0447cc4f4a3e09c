import type { CookieOptions } from 'express';
import { z } from 'zod';
import { ForbiddenError } from '../../core/errors';
import { meView } from '../../modules/auth/auth.schemas';
import type { Container } from '../../modules/platform/container';
import { route } from '../http/route';
import { assertSameOrigin } from '../http/same-origin';
import { SESSION_COOKIE } from '../middleware/authenticate';

export function authRoutes(c: Container) {
  const cookie = (expires?: Date): CookieOptions => ({
    httpOnly: true,
    sameSite: 'lax',
    secure: c.config.cookieSecure,
    path: '/',
    expires,
  });
  return [
    route({
      method: 'post',
      path: '/auth/login',
      access: 'public',
      tag: 'auth',
      operationId: 'login',
      summary: 'Sign in with email and password; sets the HttpOnly session cookie',
      body: z.strictObject({ email: z.string().trim().min(3).max(254), password: z.string().min(1).max(1000) }),
      response: meView,
      handler: async ({ body }, ctx) => {
        // it sets the session cookie, so a foreign page must not sign a browser in (into the attacker's account)
        assertSameOrigin(ctx.req);
        const { token, me, expiresAt } = await c.auth.login(
          body.email,
          body.password,
          ctx.req.ip ?? 'unknown',
          ctx.requestId,
        );
        ctx.res.cookie(SESSION_COOKIE, token, cookie(expiresAt));
        return me;
      },
    }),
    route({
      method: 'post',
      path: '/auth/logout',
      access: 'authenticated',
      tag: 'auth',
      operationId: 'logout',
      status: 204,
      summary: 'End the current session',
      handler: async (_input, ctx) => {
        if (ctx.principal.kind !== 'user')
          throw new ForbiddenError('Only a browser session can log out; revoke a token instead.');
        await c.auth.logout(ctx.principal, ctx.requestId);
        ctx.res.clearCookie(SESSION_COOKIE, cookie());
        return undefined;
      },
    }),
    route({
      method: 'get',
      path: '/auth/me',
      access: 'authenticated',
      tag: 'auth',
      operationId: 'getMe',
      summary: 'The signed-in user, their tenants with the role in each, and the CSRF token for writes',
      response: meView,
      handler: async (_input, ctx) => {
        const p = ctx.principal;
        if (p.kind !== 'user') throw new ForbiddenError('A token has no user profile.');
        return c.auth.me(p.userId, p.email, p.name, p.csrfToken);
      },
    }),
  ];
}
