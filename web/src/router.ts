import type { Pinia } from 'pinia';
import {
  createRouter,
  createWebHistory,
  type RouteComponent,
  type RouteLocationNormalized,
  type RouteRecordRaw,
} from 'vue-router';
import { useSessionStore } from './stores/session';

declare module 'vue-router' {
  interface RouteMeta {
    /** Needs a signed-in user. */
    auth?: boolean;
    /** Acts in a tenant named by `?tenant=`. */
    tenant?: boolean;
    title?: string;
    /** The navigation entry this page belongs to; switching tenant goes to that entry's list. */
    section?: string;
  }
}

/** Only paths of this app: never send the user to another origin after sign-in. */
export function safeNext(raw: unknown): string | null {
  if (typeof raw !== 'string' || !raw.startsWith('/') || raw.startsWith('//') || raw.startsWith('/\\')) return null;
  if (raw.startsWith('/login')) return null;
  return raw;
}

/** A signed-in screen that acts in the tenant named by `?tenant=`; `section` is its navigation entry. */
function screen(path: string, name: string, component: RouteComponent, title: string, section = name): RouteRecordRaw {
  return { path, name, component, meta: { auth: true, tenant: true, title, section } };
}

export function createFlagpoleRouter(pinia: Pinia) {
  const router = createRouter({
    history: createWebHistory(),
    routes: [
      { path: '/', redirect: { name: 'feature-flags' } },
      { path: '/login', name: 'login', component: () => import('./views/LoginView.vue'), meta: { title: 'Sign in' } },
      {
        path: '/',
        component: () => import('./components/AppShell.vue'),
        meta: { auth: true },
        children: [
          screen('feature-flags', 'feature-flags', () => import('./views/FlagsView.vue'), 'Feature flags'),
          screen('rollouts', 'rollouts', () => import('./views/RolloutsView.vue'), 'Rollouts'),
          screen(
            'rollouts/new',
            'rollout-new',
            () => import('./views/NewPlanView.vue'),
            'New rollout plan',
            'rollouts',
          ),
          screen('rollouts/:id', 'rollout-plan', () => import('./views/PlanView.vue'), 'Rollout plan', 'rollouts'),
          screen('segments', 'segments', () => import('./views/SegmentsView.vue'), 'Segments'),
          screen('segments/:id', 'segment', () => import('./views/SegmentView.vue'), 'Segment', 'segments'),
          screen('audit', 'audit', () => import('./views/AuditView.vue'), 'Audit log'),
          screen('notifications', 'notifications', () => import('./views/NotificationsView.vue'), 'Notifications'),
          screen('settings', 'settings', () => import('./views/SettingsView.vue'), 'Settings'),
          {
            path: ':pathMatch(.*)*',
            name: 'not-found',
            component: () => import('./views/NotFoundView.vue'),
            meta: { auth: true, title: 'Not found' },
          },
        ],
      },
    ],
  });

  router.beforeEach(async (to: RouteLocationNormalized) => {
    const session = useSessionStore(pinia);
    try {
      await session.ensureChecked();
    } catch {
      // the API is unreachable: let the page render and show its own error
      if (to.name === 'login') return true;
    }

    if (to.name === 'login') {
      if (session.me) return safeNext(to.query.next) ?? { name: 'feature-flags' };
      return true;
    }
    if (to.meta.auth && !session.me) {
      return { name: 'login', query: to.fullPath === '/' ? {} : { next: to.fullPath } };
    }
    if (to.meta.tenant && session.me) {
      const wanted = typeof to.query.tenant === 'string' ? to.query.tenant : null;
      if (wanted && session.isMember(wanted)) {
        session.selectTenant(wanted);
        return true;
      }
      const fallback =
        session.tenantSlug && session.isMember(session.tenantSlug) ? session.tenantSlug : session.defaultTenant();
      if (wanted) session.deniedTenant = wanted;
      if (!fallback) return true; // a user with no tenant: the shell explains
      session.selectTenant(fallback);
      return { path: to.path, query: { ...to.query, tenant: fallback }, hash: to.hash, replace: true };
    }
    return true;
  });

  router.afterEach((to) => {
    const tenant = useSessionStore(pinia).currentTenant;
    const parts = [to.meta.title, to.meta.tenant && tenant ? tenant.name : undefined, 'Flagpole'].filter(Boolean);
    document.title = parts.join(' · ');
  });

  return router;
}
