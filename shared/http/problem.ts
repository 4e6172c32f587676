import type { Context } from 'hono'
import { HTTPException } from 'hono/http-exception'
import {
  DomainError,
  type DomainErrorCode,
  PayloadTooLargeError,
  RateLimitedError,
  UnauthorizedError,
} from '../domain/errors.ts'
import { log } from '../observability.ts'

/** An RFC 9457 problem document. */
export interface Problem {
  readonly type: string
  readonly title: string
  readonly status: number
  readonly detail: string
  readonly instance?: string
  readonly errors?: readonly { path: string; message: string }[]
}

/** Turns a domain error into `application/problem+json`. */
export function problemResponse(problem: Problem, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(problem), {
    status: problem.status,
    headers: { 'Content-Type': 'application/problem+json; charset=utf-8', 'Cache-Control': 'no-store', ...headers },
  })
}

/** How the HTTP edge answers and logs one error: the one place errors meet statuses. */
export interface HttpFailure {
  readonly status: number
  readonly problem: Omit<Problem, 'instance'>
  readonly headers: Readonly<Record<string, string>>
  /** `none`: the caller's mistake, answered and not logged; `warn`: a dependency is away; `error`: a bug. */
  readonly level: 'none' | 'warn' | 'error'
}

const STATUS: Record<DomainErrorCode, number> = {
  validation: 400,
  'malformed-body': 400,
  unauthorized: 401,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  'precondition-failed': 412,
  'payload-too-large': 413,
  'unsupported-media-type': 415,
  'idempotency-key-reused': 422,
  'rate-limited': 429,
  busy: 503,
  'storage-unavailable': 503,
}

/** The headers an error's meaning calls for (RFC 9110: 401 names its scheme, 429 and 503 say when to retry). */
function headersOf(error: DomainError): Record<string, string> {
  if (error instanceof UnauthorizedError) return { 'WWW-Authenticate': 'Bearer realm="finews"' }
  if (error instanceof RateLimitedError) return { 'Retry-After': String(error.retryAfterSeconds) }
  // The rest of the body is still on the wire: the connection cannot carry another request.
  if (error instanceof PayloadTooLargeError && error.bodyLeftUnread) return { Connection: 'close' }
  if (error.code === 'busy') return { 'Retry-After': '1' }
  return {}
}

/**
 * What an error means at the HTTP edge: domain errors map to their status and problem; Hono's own 4xx pass
 * through; a dependency that is down, slow or throttling is a 503 to retry; anything else is a 500 that says
 * nothing of its cause.
 * @example classifyError(new NotFoundError('no article')).status // 404
 */
export function classifyError(error: unknown): HttpFailure {
  if (error instanceof DomainError) {
    const status = STATUS[error.code]
    return {
      status,
      problem: {
        type: error.type,
        title: error.title,
        status,
        detail: error.message,
        ...(error.errors ? { errors: error.errors } : {}),
      },
      headers: headersOf(error),
      level: status >= 500 ? 'warn' : 'none',
    }
  }
  if (error instanceof HTTPException && error.status < 500) {
    return {
      status: error.status,
      problem: {
        type: `urn:finews:problem:http-${error.status}`,
        title: error.message || 'Bad request',
        status: error.status,
        detail: error.message || 'The request could not be read',
      },
      headers: {},
      level: 'none',
    }
  }
  if (isDependencyUnavailable(error)) {
    return {
      status: 503,
      problem: {
        type: 'urn:finews:problem:unavailable',
        title: 'Service Unavailable',
        status: 503,
        detail: 'Storage did not answer; try again after Retry-After seconds',
      },
      headers: { 'Retry-After': '1' },
      level: 'warn',
    }
  }
  return {
    status: 500,
    problem: {
      type: 'urn:finews:problem:internal',
      title: 'Internal Server Error',
      status: 500,
      detail: 'Something went wrong on our side; it has been logged',
    },
    headers: {},
    level: 'error',
  }
}

/**
 * Classifies an error and logs it as its class says (nothing for the caller's mistakes, a warning for a
 * dependency away, the stack for a bug); every app's `onError` goes through here.
 * @example const failure = failureOf(error, c.req.path)
 */
export function failureOf(error: unknown, path: string): HttpFailure {
  const failure = classifyError(error)
  if (failure.level === 'warn') {
    log({ level: 'warn', msg: 'dependency unavailable', path, error: String(error) })
  } else if (failure.level === 'error') {
    const detail = error instanceof Error ? (error.stack ?? String(error)) : String(error)
    log({ level: 'error', msg: 'unhandled error', path, error: detail })
  }
  return failure
}

/** The `onError` of a JSON app: the failure as a problem document. */
export function onApiError(error: Error, c: Context): Response {
  const failure = failureOf(error, c.req.path)
  // A bug's path is in the log, not in the answer.
  const instance = failure.level === 'error' ? {} : { instance: c.req.path }
  return problemResponse({ ...failure.problem, ...instance }, { ...failure.headers })
}

const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
])
const UNAVAILABLE_NAMES = new Set([
  'TimeoutError',
  'ThrottlingException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
])

/**
 * True when an error says a dependency (DynamoDB, S3, Secrets Manager) is down, slow or throttling rather
 * than that the request is wrong: connection refused or reset, a timeout, a retryable or 5xx AWS answer.
 * Read from the error's own fields and its causes, so this file needs no AWS SDK.
 */
export function isDependencyUnavailable(error: unknown): boolean {
  let current: unknown = error
  for (let depth = 0; depth < 5 && current !== null && typeof current === 'object'; depth++) {
    const e = current as {
      code?: unknown
      name?: unknown
      $retryable?: unknown
      $metadata?: { httpStatusCode?: unknown }
    }
    if (typeof e.code === 'string' && UNAVAILABLE_CODES.has(e.code)) return true
    if (typeof e.name === 'string' && UNAVAILABLE_NAMES.has(e.name)) return true
    if (e.$retryable) return true
    if (typeof e.$metadata?.httpStatusCode === 'number' && e.$metadata.httpStatusCode >= 500) return true
    current = (current as { cause?: unknown }).cause
  }
  return false
}
