import { Redis } from 'ioredis';

export type { Redis };

/** BullMQ needs maxRetriesPerRequest: null on the connections it blocks on. */
export function createRedis(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, lazyConnect: false });
}
