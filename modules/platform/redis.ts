import { Redis } from 'ioredis';

export type { Redis };

/**
 * BullMQ workers need `maxRetriesPerRequest: null` and queue commands while disconnected
 * (they block on Redis and must wait for it to come back). Everything a request waits on
 * (enqueues, job lookups, change signals) uses a `producer` connection instead: with no
 * offline queue, a command sent while Redis is away fails at once rather than hanging.
 */
export function createRedis(url: string, role: 'worker' | 'producer'): Redis {
  return role === 'worker'
    ? new Redis(url, { maxRetriesPerRequest: null, lazyConnect: false })
    : new Redis(url, { maxRetriesPerRequest: 0, enableOfflineQueue: false, lazyConnect: false });
}
