/** How hard to try one request. */
export interface RetryPolicy {
  /** Attempts in all for errors (5xx, connection errors, timeouts); 429s are counted apart. */
  readonly attempts: number
  /** Largest number of 429 answers one request waits out: they say "later", not "broken". */
  readonly rateLimitedAttempts: number
  /** First backoff; it doubles on each retry. */
  readonly baseMs: number
  /** Longest backoff, and longest `Retry-After` honoured. */
  readonly capMs: number
}

/** The importer's policy: about 10 s of backoff over 6 attempts, up to an hour of rate-limit waits. */
export const DEFAULT_RETRY: RetryPolicy = { attempts: 6, rateLimitedAttempts: 60, baseMs: 300, capMs: 60_000 }

/** HTTP statuses worth another try: the server may answer differently later. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status === 500 || status === 502 || status === 503 || status === 504
}

/**
 * Backoff before retry number `retry` (1 for the first retry): exponential, capped, with "equal jitter"
 * (half fixed, half random) so workers that failed together do not come back together.
 * @example backoffMs(3, DEFAULT_RETRY, () => 0.5) // 900
 */
export function backoffMs(retry: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, retry - 1))
  return Math.round(ceiling / 2 + (random() * ceiling) / 2)
}

/**
 * Reads `Retry-After` (seconds or an HTTP date) as milliseconds from `now`; undefined when absent or unreadable.
 * @example parseRetryAfter('2', 0) // 2000
 */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (value === null || value === undefined) return undefined
  const text = value.trim()
  if (/^\d{1,9}$/.test(text)) return Number(text) * 1000
  const when = Date.parse(text)
  if (Number.isNaN(when) || !/[a-z]/i.test(text)) return undefined
  return Math.max(0, when - now)
}

/**
 * The wait before the next attempt: at least what the server asked for (capped at `capMs`), plus a
 * little jitter so the workers it told to wait do not all return in the same millisecond; at least the backoff.
 */
export function retryDelayMs(
  retry: number,
  retryAfterMs: number | undefined,
  policy: RetryPolicy,
  random: () => number = Math.random,
): number {
  const backoff = backoffMs(retry, policy, random)
  if (retryAfterMs === undefined) return backoff
  const asked = Math.min(retryAfterMs, policy.capMs)
  return Math.max(backoff, asked + Math.round(random() * Math.min(1000, asked * 0.1 + 50)))
}

/**
 * A shared "not before" time: a 429 to one worker holds every worker, since they share one key and one
 * limit, so the others do not spend their attempts on answers that are certain to be 429 too.
 */
export class RateGate {
  #until = 0

  /** Holds every request until `ms` from now (extends, never shortens, a hold). */
  hold(ms: number, now = Date.now()): void {
    this.#until = Math.max(this.#until, now + ms)
  }

  /** How long a request must still wait. */
  remaining(now = Date.now()): number {
    return Math.max(0, this.#until - now)
  }
}

/** Waits `ms`; rejects with the signal's reason as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0 && !signal?.aborted) return Promise.resolve()
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason)
      return
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    const onAbort = () => {
      clearTimeout(timer)
      reject(signal?.reason)
    }
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}
