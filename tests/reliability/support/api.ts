import { setTimeout as sleep } from 'node:timers/promises'
import { type ArticleFields, asJekyll, type Operation } from './workload.ts'

/** Counts of what a workload's calls met. */
export interface CallCounts {
  calls: number
  /** Answers 503 (store busy: a transaction conflict it gave up on) and 429, each retried after Retry-After. */
  retried: number
  /** Connection errors and 5xx other than 503, retried. */
  failedAttempts: number
}

/**
 * Runs one workload operation against the API as a careful client does: 503 and 429 are retried after their
 * Retry-After, connection errors with backoff; any other unexpected status fails the operation.
 */
export async function perform(
  base: string,
  key: string,
  operation: Operation,
  counts: CallCounts,
  attempts = 12,
): Promise<void> {
  const expected = operation.kind === 'create' ? [201] : operation.kind === 'edit' ? [200] : [204]
  for (let attempt = 1; ; attempt++) {
    counts.calls++
    let status: number
    let detail = ''
    let retryAfter = 0
    try {
      const response = await fetch(new URL(pathOf(operation), base), requestOf(key, operation))
      status = response.status
      retryAfter = Number(response.headers.get('retry-after') ?? '0')
      detail = await response.text()
    } catch (error) {
      status = 0
      detail = String((error as Error).cause ?? error)
    }
    if (expected.includes(status)) return
    // A create retried after a lost answer finds its own article: the same content again is 200
    if (operation.kind === 'create' && status === 200 && attempt > 1) return
    const retryable = status === 0 || status === 429 || status >= 500
    if (!retryable || attempt >= attempts) {
      throw new Error(`${operation.kind} of article ${operation.article}: ${status} ${detail.slice(0, 300)}`)
    }
    if (status === 503 || status === 429) counts.retried++
    else counts.failedAttempts++
    await sleep(Math.max(retryAfter * 1000, Math.min(2000, 50 * 2 ** attempt)) * (0.5 + Math.random() / 2))
  }
}

function pathOf(operation: Operation): string {
  if (operation.kind === 'create') return '/api/articles'
  return `/api/articles/${operation.kind === 'edit' ? operation.fields.infoCode : operation.infoCode}`
}

function requestOf(key: string, operation: Operation): RequestInit {
  const auth = { Authorization: `Bearer ${key}` }
  if (operation.kind === 'delete') return { method: 'DELETE', headers: auth }
  const fields: ArticleFields = operation.fields
  if (operation.kind === 'create' && operation.markdown) {
    return { method: 'POST', headers: { ...auth, 'Content-Type': 'text/markdown' }, body: asJekyll(fields) }
  }
  return {
    method: operation.kind === 'create' ? 'POST' : 'PUT',
    headers: { ...auth, 'Content-Type': 'application/json' },
    body: JSON.stringify(fields),
  }
}
