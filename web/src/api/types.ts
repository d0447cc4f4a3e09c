export type Role = 'viewer' | 'editor' | 'operator' | 'admin';

export const ROLES: readonly Role[] = ['viewer', 'editor', 'operator', 'admin'];

export function roleAtLeast(role: Role | null | undefined, needed: Role): boolean {
  if (!role) return false;
  return ROLES.indexOf(role) >= ROLES.indexOf(needed);
}

export interface User {
  id: string;
  email: string;
  name: string;
}

export interface TenantMembership {
  id: string;
  slug: string;
  name: string;
  kind: string;
  role: Role;
}

export interface Me {
  user: User;
  tenants: TenantMembership[];
  csrfToken: string;
}

export interface Flag {
  id: string;
  key: string;
  description: string;
  enabled: boolean;
  tags: string[];
  version: number;
  archivedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface Actor {
  type: string;
  id: string;
  label: string;
}

export interface AuditEvent {
  id: string;
  actor: Actor;
  action: string;
  before: unknown;
  after: unknown;
  reason?: string | null;
  requestId?: string | null;
  createdAt: string;
}

export interface FlagDetail extends Flag {
  recentAuditEvents: AuditEvent[];
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface SwitchState {
  on: boolean;
  reason: string | null;
  changedAt: string | null;
  changedBy: string | null;
}

export interface TenantSettings {
  adminWrites: {
    config: boolean;
    tenant: SwitchState;
    effective: boolean;
  };
}
