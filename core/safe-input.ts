/**
 * The one check every piece of outside input passes before validation: text PostgreSQL can
 * store and a shape the code behind the edge can walk. PostgreSQL's text and jsonb refuse
 * U+0000, a lone UTF-16 surrogate has no UTF-8 form (stored as U+FFFD or refused), and
 * recursive code (zod, canonical JSON) must not meet 10,000 levels of nesting.
 */
export type UnsafeInput = { path: string; message: string };

/** Far deeper than any Flagpole request (a rule's constraint values are 4 levels), far below a stack overflow. */
export const MAX_INPUT_DEPTH = 32;

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Why `text` cannot be stored, or undefined when it can. */
export function unsafeTextReason(text: string): string | undefined {
  if (text.includes('\u0000')) return 'must not contain the NUL character (U+0000)';
  if (LONE_SURROGATE.test(text)) return 'must be valid Unicode (it contains a lone UTF-16 surrogate)';
  return undefined;
}

/** A key as a path can show it: NUL and lone surrogates as JSON escapes. */
const printable = (key: string): string => JSON.stringify(key).slice(1, -1);

const join = (path: string, key: string): string => (path ? `${path}.${key}` : key);

/**
 * The first string, object key or nesting level in `value` (parsed JSON, a query or path
 * parameters) that cannot go further, with its path as the error contract names it
 * (`rules[0].groupId`, `query.q`); undefined when all is safe. Also refuses the key
 * `__proto__`, which code that copies objects key by key would turn into a prototype.
 */
export function findUnsafeInput(value: unknown, prefix = ''): UnsafeInput | undefined {
  // an explicit stack, so the check itself never recurses as deep as the input
  const stack: Array<{ value: unknown; path: string; depth: number }> = [{ value, path: prefix, depth: 0 }];
  while (stack.length > 0) {
    const { value: v, path, depth } = stack.pop()!;
    if (typeof v === 'string') {
      const reason = unsafeTextReason(v);
      if (reason) return { path: path || '(root)', message: reason };
      continue;
    }
    if (typeof v !== 'object' || v === null) continue;
    if (depth >= MAX_INPUT_DEPTH)
      return { path: path || '(root)', message: `is nested more than ${MAX_INPUT_DEPTH} levels deep` };
    const children: Array<{ value: unknown; path: string; depth: number }> = [];
    if (Array.isArray(v)) {
      v.forEach((item, i) => children.push({ value: item, path: `${path}[${i}]`, depth: depth + 1 }));
    } else {
      for (const [key, item] of Object.entries(v)) {
        if (key === '__proto__') return { path: join(path, key), message: 'is not an allowed key' };
        const reason = unsafeTextReason(key);
        if (reason) return { path: join(path, printable(key)), message: `a key ${reason}` };
        children.push({ value: item, path: join(path, key), depth: depth + 1 });
      }
    }
    // reversed, so the first problem in document order is the one reported
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
  }
  return undefined;
}
