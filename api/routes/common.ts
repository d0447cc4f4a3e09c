import { z } from 'zod';

export const idParams = z.strictObject({ id: z.string().max(100) });
export const limitParam = z.coerce.number().int().min(1).max(500).default(50);
export const cursorParam = z.string().max(500).optional();
export const pageQuery = z.strictObject({ limit: limitParam, cursor: cursorParam });
export const listOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });
