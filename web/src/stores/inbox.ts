import { defineStore } from 'pinia';
import { ref } from 'vue';
import { toApiError, type ApiError } from '@/api/client';
import { notificationsApi } from '@/api/notifications';

/** The unread count next to the bell, polled (304 while it is unchanged). */
export const useInboxStore = defineStore('inbox', () => {
  const unread = ref(0);
  const tenant = ref<string | null>(null);
  /** The last poll failed: the badge keeps its last count, the inbox page shows the error. */
  const error = ref<ApiError | null>(null);

  async function load(forTenant: string): Promise<void> {
    if (tenant.value !== forTenant) unread.value = 0;
    tenant.value = forTenant;
    try {
      const res = await notificationsApi.unreadCount();
      if (tenant.value !== forTenant) return;
      unread.value = res.data.unread;
      error.value = null;
    } catch (err) {
      if (tenant.value === forTenant) error.value = toApiError(err);
    }
  }

  function reset(): void {
    unread.value = 0;
    tenant.value = null;
  }

  return { unread, tenant, error, load, reset };
});
