import { log as defaultLog } from '../observability.ts'
import type { Hub } from '../ports/hub.ts'

/** Settings of the WebSub publisher. */
export interface WebSubHubOptions {
  readonly hubUrl: string
  /** Time allowed for one request. @default 3000 */
  readonly timeoutMs?: number
  /** Tries per feed URL, the first included. @default 3 */
  readonly attempts?: number
  /** Wait before the second try; doubles each time. @default 250 */
  readonly backoffMs?: number
  /** Injected for tests. */
  readonly fetch?: typeof fetch
  /** Where failures are reported. @default the Powertools logger */
  readonly log?: (entry: Record<string, unknown>) => void
}

/**
 * Pings a WebSub hub (`hub.mode=publish`, one request per changed feed URL, in parallel) with a bounded
 * timeout and a few retries on network errors, 5xx and 429. It never throws: the feeds are written before
 * it runs, and a hub that fails or hangs only costs a log line.
 * @example await websubHub({ hubUrl: 'https://pubsubhubbub.appspot.com/' }).publish([rssUrl])
 */
export function websubHub(options: WebSubHubOptions): Hub {
  const send = options.fetch ?? fetch
  const timeoutMs = options.timeoutMs ?? 3000
  const attempts = Math.max(1, options.attempts ?? 3)
  const backoffMs = options.backoffMs ?? 250
  const log = options.log ?? defaultLog

  async function ping(url: string): Promise<void> {
    let failure = ''
    for (let attempt = 1; attempt <= attempts; attempt++) {
      try {
        const response = await send(options.hubUrl, {
          method: 'POST',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ 'hub.mode': 'publish', 'hub.url': url }).toString(),
          signal: AbortSignal.timeout(timeoutMs),
        })
        await response.body?.cancel().catch(() => undefined)
        if (response.ok) return
        failure = `HTTP ${response.status}`
        // Other 4xx answers will not change on a retry.
        if (response.status < 500 && response.status !== 429) break
      } catch (error) {
        failure = error instanceof Error ? `${error.name}: ${error.message}` : String(error)
      }
      if (attempt < attempts) await new Promise((resolve) => setTimeout(resolve, backoffMs * 2 ** (attempt - 1)))
    }
    log({ level: 'warn', msg: 'websub hub ping failed', hub: options.hubUrl, url, failure })
  }

  return {
    async publish(urls) {
      await Promise.all([...new Set(urls)].map((url) => ping(url)))
    },
  }
}
