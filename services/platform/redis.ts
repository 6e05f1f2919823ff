import { Redis } from 'ioredis'

export type { Redis }

/**
 * A Redis connection that BullMQ can share: `maxRetriesPerRequest: null` is what BullMQ
 * requires of its connections; commands wait for a reconnect instead of failing.
 */
export function createRedis(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, lazyConnect: false })
}
