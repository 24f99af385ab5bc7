import { Redis } from 'ioredis'

/**
 * The Redis client for shared rate limits. One retry per command and a short connect timeout: a
 * limiter that waits on a dead Redis would hold every request (the limiter lets them through on
 * error instead, see app.ts).
 */
export function openRedis(url: string): Redis {
  const redis = new Redis(url, { maxRetriesPerRequest: 1, connectTimeout: 2_000, enableAutoPipelining: true })
  // ioredis reconnects by itself; without a listener an outage would crash the process.
  let last = 0
  redis.on('error', (err: Error) => {
    if (Date.now() - last < 10_000) return
    last = Date.now()
    console.warn(`redis: ${err.message} (rate limits let requests through until it is back)`)
  })
  return redis
}
