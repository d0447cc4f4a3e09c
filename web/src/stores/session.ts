import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { authApi } from '@/api/auth';
import { ApiError, forgetFreshAnswers, setCsrfToken, setCurrentTenant } from '@/api/client';
import { settingsApi } from '@/api/settings';
import { roleAtLeast, type Me, type Role, type TenantMembership, type TenantSettings } from '@/api/types';

const LAST_TENANT_KEY = 'flagpole.lastTenant';

function readLastTenant(): string | null {
  try {
    return localStorage.getItem(LAST_TENANT_KEY);
  } catch {
    return null;
  }
}

function writeLastTenant(slug: string): void {
  try {
    localStorage.setItem(LAST_TENANT_KEY, slug);
  } catch {
    // storage may be disabled; the URL still carries the tenant
  }
}

export const useSessionStore = defineStore('session', () => {
  const me = ref<Me | null>(null);
  /** Whether /auth/me has been asked once since the page loaded. */
  const checked = ref(false);
  const tenantSlug = ref<string | null>(null);
  const settings = ref<TenantSettings | null>(null);
  /** A tenant slug from a link the user is not a member of (shown once as a notice). */
  const deniedTenant = ref<string | null>(null);
  /** Set when the server ended a session the app was using (shown on the login page). */
  const sessionEnded = ref(false);
  let pendingCheck: Promise<void> | null = null;

  const user = computed(() => me.value?.user ?? null);
  const tenants = computed<TenantMembership[]>(() => me.value?.tenants ?? []);
  const currentTenant = computed(() => tenants.value.find((t) => t.slug === tenantSlug.value) ?? null);
  const role = computed<Role | null>(() => currentTenant.value?.role ?? null);
  const canEdit = computed(() => roleAtLeast(role.value, 'editor'));
  const canOperate = computed(() => roleAtLeast(role.value, 'operator'));
  const isAdmin = computed(() => roleAtLeast(role.value, 'admin'));
  const writesEnabled = computed(() => settings.value?.adminWrites.effective !== false);
  const rolloutsPaused = computed(() => settings.value?.rolloutsPaused?.on === true);
  /** The job dashboard shows every tenant's jobs, so only members of the platform workspace may open it. */
  const canSeeQueues = computed(() => tenants.value.some((t) => t.kind === 'platform'));

  function apply(next: Me | null): void {
    me.value = next;
    setCsrfToken(next?.csrfToken ?? null);
    if (!next) {
      tenantSlug.value = null;
      settings.value = null;
      setCurrentTenant(null);
      forgetFreshAnswers();
    } else if (tenantSlug.value && !next.tenants.some((t) => t.slug === tenantSlug.value)) {
      tenantSlug.value = null;
      setCurrentTenant(null);
    }
  }

  /** Asks /auth/me once per page load (again after `refresh`). */
  function ensureChecked(): Promise<void> {
    if (checked.value) return Promise.resolve();
    pendingCheck ??= authApi
      .me()
      .then((m) => apply(m))
      .catch((err) => {
        if (err instanceof ApiError && err.status === 401) apply(null);
        else throw err;
      })
      .then(() => {
        checked.value = true;
      })
      .finally(() => {
        pendingCheck = null;
      });
    return pendingCheck;
  }

  async function login(email: string, password: string): Promise<void> {
    const m = await authApi.login(email, password);
    sessionEnded.value = false;
    apply(m);
    checked.value = true;
  }

  async function logout(): Promise<void> {
    try {
      await authApi.logout();
    } catch (err) {
      // an expired session is as good as a finished one
      if (!(err instanceof ApiError && err.status === 401)) throw err;
    } finally {
      apply(null);
    }
  }

  /** Forgets the session locally, e.g. after the server answered 401. */
  function expire(): void {
    if (me.value) sessionEnded.value = true;
    apply(null);
    checked.value = true;
  }

  /** The tenant to open when the URL names none: the last one used, else the first. */
  function defaultTenant(): string | null {
    const last = readLastTenant();
    if (last && tenants.value.some((t) => t.slug === last)) return last;
    return tenants.value[0]?.slug ?? null;
  }

  function isMember(slug: string): boolean {
    return tenants.value.some((t) => t.slug === slug);
  }

  function selectTenant(slug: string): void {
    if (!isMember(slug)) return;
    if (tenantSlug.value !== slug) settings.value = null;
    tenantSlug.value = slug;
    setCurrentTenant(slug);
    writeLastTenant(slug);
  }

  /** After a switch changed: the answer of the action is the new state. */
  function applySettings(next: TenantSettings): void {
    settings.value = next;
  }

  async function loadSettings(): Promise<void> {
    const slug = tenantSlug.value;
    if (!slug) return;
    try {
      const s = await settingsApi.get(slug);
      if (tenantSlug.value === slug) settings.value = s.data;
    } catch {
      // the banner is advisory: a failed read leaves it hidden, and writes still report SERVICE_DISABLED
      if (tenantSlug.value === slug) settings.value = null;
    }
  }

  return {
    me,
    checked,
    tenantSlug,
    settings,
    deniedTenant,
    sessionEnded,
    user,
    tenants,
    currentTenant,
    role,
    canEdit,
    canOperate,
    isAdmin,
    writesEnabled,
    rolloutsPaused,
    canSeeQueues,
    applySettings,
    ensureChecked,
    login,
    logout,
    expire,
    defaultTenant,
    isMember,
    selectTenant,
    loadSettings,
  };
});
