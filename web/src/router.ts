import type { Pinia } from 'pinia';
import { createRouter, createWebHistory, type RouteLocationNormalized } from 'vue-router';
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
          {
            path: 'feature-flags',
            name: 'feature-flags',
            component: () => import('./views/FlagsView.vue'),
            meta: { auth: true, tenant: true, title: 'Feature flags', section: 'feature-flags' },
          },
          {
            path: 'rollouts',
            name: 'rollouts',
            component: () => import('./views/RolloutsView.vue'),
            meta: { auth: true, tenant: true, title: 'Rollouts', section: 'rollouts' },
          },
          {
            path: 'rollouts/new',
            name: 'rollout-new',
            component: () => import('./views/NewPlanView.vue'),
            meta: { auth: true, tenant: true, title: 'New rollout plan', section: 'rollouts' },
          },
          {
            path: 'rollouts/:id',
            name: 'rollout-plan',
            component: () => import('./views/PlanView.vue'),
            meta: { auth: true, tenant: true, title: 'Rollout plan', section: 'rollouts' },
          },
          {
            path: 'segments',
            name: 'segments',
            component: () => import('./views/SegmentsView.vue'),
            meta: { auth: true, tenant: true, title: 'Segments', section: 'segments' },
          },
          {
            path: 'segments/:id',
            name: 'segment',
            component: () => import('./views/SegmentView.vue'),
            meta: { auth: true, tenant: true, title: 'Segment', section: 'segments' },
          },
          {
            path: 'audit',
            name: 'audit',
            component: () => import('./views/AuditView.vue'),
            meta: { auth: true, tenant: true, title: 'Audit log', section: 'audit' },
          },
          {
            path: 'notifications',
            name: 'notifications',
            component: () => import('./views/NotificationsView.vue'),
            meta: { auth: true, tenant: true, title: 'Notifications', section: 'notifications' },
          },
          {
            path: 'settings',
            name: 'settings',
            component: () => import('./views/SettingsView.vue'),
            meta: { auth: true, tenant: true, title: 'Settings', section: 'settings' },
          },
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
      const fallback = session.tenantSlug && session.isMember(session.tenantSlug) ? session.tenantSlug : session.defaultTenant();
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
