import { z } from 'zod';

/** Schema pieces every capability's routes share, defined once so that their limits cannot drift apart. */

export const idParams = z.strictObject({ id: z.string().max(100) });

export const limit = z.coerce.number().int().min(1).max(500).default(50);
/** A signed pagination cursor (modules/platform/pagination.ts). */
export const cursor = z.string().max(500).optional();
export const pageQuery = z.strictObject({ limit, cursor });

/** A list answer, as the error contract's success rules shape it. */
export const listOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });

/** `true` / `false` in a query string. */
export const booleanQuery = z.enum(['true', 'false']).transform((v) => v === 'true');

/** Why a write was made; kept in the audit log. */
export const reason = z.string().trim().min(1).max(500);
/** The body of an action that takes nothing but an optional reason. */
export const reasonBody = z.strictObject({ reason: reason.optional() });

export const description = z.string().max(2000);

export const ATTRIBUTE_RE = /^[A-Za-z_][A-Za-z0-9_.:-]{0,99}$/;
/** A context attribute: what segments constrain, and what percent rules and rollouts bucket by. */
export const attributeName = z
  .string()
  .regex(ATTRIBUTE_RE, 'must be a context attribute name (letters, digits, _ . : -; up to 100)');
