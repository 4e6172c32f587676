import type { FieldError } from '#shared/domain/errors'
import { OUTCOME_HEADER } from '#shared/http/outcome'
import { ImportApiError } from './errors.ts'
import { isRetryableStatus, parseRetryAfter, type RateGate, type RetryPolicy, retryDelayMs, sleep } from './retry.ts'

const OUTCOMES = new Set(['created', 'replaced', 'unchanged'])

/** What a successful write did on the server. */
export type WriteOutcome = 'created' | 'replaced' | 'unchanged'

/** Where and as whom to upload. */
export interface ApiTarget {
  /** Base URL, like `http://127.0.0.1:3000`. */
  readonly api: string
  readonly key: string
  /** Limit for one request, answer body included. */
  readonly timeoutMs: number
  /** Injected for tests; the global `fetch` otherwise. */
  readonly fetch?: typeof fetch
}

/** One upload: PUT to a known infoCode, or POST for the server to choose one. */
export interface UploadRequest {
  readonly method: 'PUT' | 'POST'
  readonly infoCode?: string | undefined
  /** The article: a post file's bytes (`text/markdown`) or its fields as JSON (`application/json`). */
  readonly body: Uint8Array<ArrayBuffer>
  /** @default 'text/markdown; charset=utf-8' */
  readonly contentType?: string
  /**
   * Sent as `Idempotency-Key` with a POST: the server then answers a repeat with what the first created, so
   * a POST whose answer was lost is retried like a PUT instead of being given up.
   */
  readonly idempotencyKey?: string
}

/** Why an upload did not succeed. */
export type FailureReason =
  /** A 4xx that another try would not change. */
  | 'rejected'
  /** Retries used up. */
  | 'gave-up'
  /** Stopped (Ctrl-C) while waiting to retry. */
  | 'interrupted'
  /** A POST got no answer: it may have been created; it is not retried, as that could create it twice. */
  | 'unknown-outcome'
  /** 401/403: no other file will do better. */
  | 'unauthorized'

/** The end of an upload, after any retries. */
export type UploadAnswer =
  | {
      readonly ok: true
      readonly status: number
      readonly outcome: WriteOutcome
      readonly infoCode: string
      readonly attempts: number
    }
  | {
      readonly ok: false
      readonly reason: FailureReason
      readonly status: number | null
      readonly detail: string
      readonly type?: string | undefined
      readonly errors?: readonly FieldError[] | undefined
      readonly attempts: number
      /** The last failure was a connection error or a timeout (the API may be down). */
      readonly network: boolean
    }

type Failure = Extract<UploadAnswer, { ok: false }>
type LastFailure = Omit<Failure, 'reason' | 'attempts'>

/** What the uploads of one run share. */
export interface UploadContext {
  readonly target: ApiTarget
  readonly policy: RetryPolicy
  readonly gate: RateGate
  /** Aborting it cuts retry waits short; an attempt already sent still gets its answer. */
  readonly signal?: AbortSignal | undefined
  /** When the run started: the fallback for telling replaced from unchanged on servers without the outcome header. */
  readonly runStartedAt: number
  readonly random?: () => number
}

interface NetworkFailure {
  readonly detail: string
  /** The request may have reached the server (not for refused or unresolved connections). */
  readonly mayHaveArrived: boolean
}

/**
 * Uploads one post with retries: 429 (honouring `Retry-After`, holding all workers), 5xx, timeouts and
 * connection errors are retried with exponential backoff and jitter; other 4xx are final.
 * @example const answer = await uploadPost({ method: 'PUT', infoCode, body }, context)
 */
export async function uploadPost(request: UploadRequest, context: UploadContext): Promise<UploadAnswer> {
  const { target, policy, gate, signal } = context
  const random = context.random ?? Math.random
  const doFetch = target.fetch ?? fetch
  const url = `${base(target.api)}/api/articles${request.method === 'PUT' ? `/${request.infoCode}` : ''}`
  let attempts = 0
  let errors = 0
  let limited = 0
  // The last failure seen, reported if a retry wait is cut short.
  let last: LastFailure = { ok: false, status: null, detail: 'not sent', network: false }
  // A POST that may have been written is repeated only under an idempotency key: a repeat then creates nothing.
  const unsafeRepeat = request.method === 'POST' && !request.idempotencyKey
  const interrupted = (): Failure => ({ ...last, reason: 'interrupted', attempts })
  for (;;) {
    try {
      await sleep(gate.remaining(), signal)
    } catch {
      return interrupted()
    }
    attempts++
    let status: number
    let text: string
    let headers: Headers
    try {
      const response = await doFetch(url, {
        method: request.method,
        headers: {
          Authorization: `Bearer ${target.key}`,
          'Content-Type': request.contentType ?? 'text/markdown; charset=utf-8',
          Accept: 'application/json',
          ...(request.idempotencyKey ? { 'Idempotency-Key': `"${request.idempotencyKey}"` } : {}),
        },
        body: request.body,
        signal: AbortSignal.timeout(target.timeoutMs),
      })
      status = response.status
      headers = response.headers
      text = await response.text()
    } catch (error) {
      const failure = describeNetworkError(error, target.timeoutMs)
      last = { ok: false, status: null, detail: failure.detail, network: true }
      if (unsafeRepeat && failure.mayHaveArrived) {
        return {
          ...last,
          reason: 'unknown-outcome',
          attempts,
          detail: `${failure.detail}; the POST may have created the article, so it is not sent again`,
        }
      }
      errors++
      if (errors >= policy.attempts) return { ...last, reason: 'gave-up', attempts }
      try {
        await sleep(retryDelayMs(errors, undefined, policy, random), signal)
      } catch {
        return interrupted()
      }
      continue
    }

    if (status >= 200 && status < 300) {
      const body = parseJson(text)
      const infoCode =
        stringField(body, 'infoCode') ??
        /\/api\/articles\/([^/?#]+)$/.exec(headers.get('location') ?? '')?.[1] ??
        request.infoCode
      if (!infoCode) {
        return {
          ok: false,
          reason: 'rejected',
          status,
          detail: 'the answer names no infoCode',
          attempts,
          network: false,
        }
      }
      return { ok: true, status, outcome: outcomeOf(status, headers, body, context.runStartedAt), infoCode, attempts }
    }

    const problem = readProblem(status, text)
    last = { ok: false, status, ...problem, network: false }
    if (status === 401 || status === 403) return { ...last, reason: 'unauthorized', attempts }
    // Behind a gateway, 502/504 may come after the API wrote: a POST is then not safe to repeat.
    if (unsafeRepeat && (status === 502 || status === 504)) {
      return { ...last, reason: 'unknown-outcome', attempts }
    }
    if (!isRetryableStatus(status)) return { ...last, reason: 'rejected', attempts }
    const retryAfter = parseRetryAfter(headers.get('retry-after'), Date.now())
    let delay: number
    if (status === 429) {
      limited++
      if (limited > policy.rateLimitedAttempts) return { ...last, reason: 'gave-up', attempts }
      delay = retryDelayMs(limited, retryAfter, policy, random)
      gate.hold(Math.min(retryAfter ?? delay, policy.capMs))
    } else {
      errors++
      if (errors >= policy.attempts) return { ...last, reason: 'gave-up', attempts }
      delay = retryDelayMs(errors, retryAfter, policy, random)
    }
    try {
      await sleep(delay, signal)
    } catch {
      return interrupted()
    }
  }
}

/**
 * Checks, before a run, that the API answers and takes the key: one authorised `GET /api/articles?limit=1`.
 * Throws `ImportApiError` with a sentence for a person otherwise.
 */
export async function checkApi(target: ApiTarget): Promise<void> {
  const doFetch = target.fetch ?? fetch
  let response: Response
  try {
    response = await doFetch(`${base(target.api)}/api/articles?limit=1`, {
      headers: { Authorization: `Bearer ${target.key}`, Accept: 'application/json' },
      signal: AbortSignal.timeout(target.timeoutMs),
    })
    await response.arrayBuffer()
  } catch (error) {
    const failure = describeNetworkError(error, target.timeoutMs)
    throw new ImportApiError(503, `cannot reach the API at ${target.api} (${failure.detail}): is it running?`, error)
  }
  if (response.status === 401 || response.status === 403) {
    throw new ImportApiError(
      response.status,
      `the API at ${target.api} refused the key (${response.status}): pass --key or set API_KEY`,
    )
  }
  if (response.status === 404) {
    throw new ImportApiError(404, `${target.api} has no /api/articles: is --api the site's base URL?`)
  }
}

function base(api: string): string {
  return api.replace(/\/+$/, '')
}

function outcomeOf(status: number, headers: Headers, body: unknown, runStartedAt: number): WriteOutcome {
  const said = headers.get(OUTCOME_HEADER)?.trim().toLowerCase()
  if (said && OUTCOMES.has(said)) return said as WriteOutcome
  if (status === 201) return 'created'
  // Older servers: a replace stamps updatedAt with the server's "now", which is after this run started.
  const updatedAt = Date.parse(stringField(body, 'updatedAt') ?? '')
  return Number.isFinite(updatedAt) && updatedAt >= runStartedAt ? 'replaced' : 'unchanged'
}

function readProblem(status: number, text: string): { detail: string; type?: string; errors?: FieldError[] } {
  const body = parseJson(text)
  const detail = stringField(body, 'detail') ?? stringField(body, 'title')
  const type = stringField(body, 'type')
  const raw = body && typeof body === 'object' ? (body as { errors?: unknown }).errors : undefined
  const errors = Array.isArray(raw)
    ? raw
        .filter((e): e is FieldError => typeof e?.path === 'string' && typeof e?.message === 'string')
        .map((e) => ({ path: e.path, message: e.message }))
    : undefined
  return {
    detail: detail ?? (text.trim().slice(0, 200) || `HTTP ${status}`),
    ...(type ? { type } : {}),
    ...(errors?.length ? { errors } : {}),
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

function stringField(value: unknown, name: string): string | undefined {
  if (!value || typeof value !== 'object') return undefined
  const field = (value as Record<string, unknown>)[name]
  return typeof field === 'string' ? field : undefined
}

// Codes of connections that never carried the request: safe to retry even a POST.
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT', 'EHOSTUNREACH'])

function describeNetworkError(error: unknown, timeoutMs: number): NetworkFailure {
  const err = error as { name?: string; message?: string; cause?: { code?: string; message?: string } }
  if (err?.name === 'TimeoutError' || err?.name === 'AbortError') {
    return { detail: `no answer within ${Math.round(timeoutMs / 1000)} s`, mayHaveArrived: true }
  }
  const code = err?.cause?.code
  const message = err?.cause?.message ?? err?.message ?? String(error)
  return { detail: code ? `${code}: ${message}` : message, mayHaveArrived: !(code && NOT_SENT.has(code)) }
}
