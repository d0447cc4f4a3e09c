import type { Container } from '../../modules/platform/container';
import { reasonBody } from '../../modules/platform/schemas';
import { tenantSettingsView } from '../../modules/settings/settings.schemas';
import { route } from '../http/route';

export function settingsRoutes(c: Container) {
  const writes = (enabled: boolean) =>
    route({
      method: 'post',
      path: `/admin/settings/actions/${enabled ? 'enable-writes' : 'disable-writes'}`,
      access: 'admin',
      tag: 'settings',
      operationId: enabled ? 'enableWrites' : 'disableWrites',
      response: tenantSettingsView,
      summary: enabled
        ? 'Turn admin writes back on for this tenant'
        : 'Switch off every admin write in this tenant (reads and evaluation keep working)',
      body: reasonBody,
      ignoresTenantWriteSwitch: true,
      handler: ({ body }, ctx) => c.settings.setWritesEnabled(ctx.action(body.reason), enabled),
    });
  const rollouts = (paused: boolean) =>
    route({
      method: 'post',
      path: `/admin/settings/actions/${paused ? 'pause-rollouts' : 'resume-rollouts'}`,
      access: 'admin',
      tag: 'settings',
      operationId: paused ? 'pauseRollouts' : 'resumeRollouts',
      response: tenantSettingsView,
      summary: paused
        ? 'Pause all rollouts, in every tenant: the worker holds every plan until resumed (platform admins)'
        : 'Let rollouts move again; due steps are taken on the next reconciler pass (platform admins)',
      body: reasonBody,
      ignoresTenantWriteSwitch: true,
      platformOnly: 'Pausing every rollout',
      handler: ({ body }, ctx) => c.settings.setRolloutsPaused(ctx.action(body.reason), paused),
    });
  return [
    route({
      method: 'get',
      path: '/admin/settings',
      access: 'viewer',
      tag: 'settings',
      operationId: 'getSettings',
      response: tenantSettingsView,
      summary: 'Switches in force for this tenant (the UI shows a banner when writes are off)',
      handler: (_input, ctx) => c.settings.get(ctx.tenant.id),
    }),
    writes(false),
    writes(true),
    rollouts(true),
    rollouts(false),
  ];
}
