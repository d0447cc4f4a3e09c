import type { Logger } from 'pino';
import type { Principal } from '../modules/auth/auth.service';

declare global {
  namespace Express {
    interface Request {
      requestId: string;
      log: Logger;
      principal?: Principal;
      /** The principal came from the session cookie (so writes need the CSRF header). */
      viaCookie?: boolean;
    }
  }
}

export {};
