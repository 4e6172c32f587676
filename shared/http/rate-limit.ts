import type { MiddlewareHandler } from 'hono'
import { RateLimitedError } from '../domain/errors.ts'

/**
 * A per-key limit over a sliding one-minute window (two fixed windows, weighted), in memory: in AWS
 * each warm Lambda instance keeps its own, so the effective limit is per instance. 0 disables it.
 */
export function rateLimit(
  perMinute: number,
  now: () => number = Date.now,
): MiddlewareHandler<{ Variables: { apiKeyId: string } }> {
  const windows = new Map<string, { start: number; current: number; previous: number }>()
  return async (c, next) => {
    if (perMinute > 0) {
      const key = c.get('apiKeyId') ?? 'anonymous'
      const t = now()
      const start = Math.floor(t / 60_000) * 60_000
      let w = windows.get(key)
      if (!w || start - w.start >= 120_000) w = { start, current: 0, previous: 0 }
      else if (start !== w.start) w = { start, current: 0, previous: w.current }
      windows.set(key, w)
      const weight = 1 - (t - start) / 60_000
      if (w.previous * weight + w.current >= perMinute) {
        throw new RateLimitedError(Math.max(1, Math.ceil((start + 60_000 - t) / 1000)))
      }
      w.current++
      if (windows.size > 10_000) windows.clear()
    }
    await next()
  }
}
