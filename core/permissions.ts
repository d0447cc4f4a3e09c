/** Roles per tenant; each includes the ones before it. */
export const ROLES = ['viewer', 'editor', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** True when `held` is at least `required`. */
export function roleAllows(held: Role, required: Role): boolean {
  return ROLES.indexOf(held) >= ROLES.indexOf(required);
}

/**
 * What a route may require: a tenant role, any signed-in principal with no tenant
 * (`authenticated`), or nothing at all (`public`).
 */
export type RouteAccess = Role | 'authenticated' | 'public';
