import type { Context } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { DomainError } from '../domain/errors.ts'

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

/**
 * The `onError` of a JSON app: domain errors become their problem document; anything else is logged and
 * answered as a 500 that says nothing of its cause.
 */
export function onApiError(error: Error, c: Context): Response {
  if (error instanceof DomainError) {
    return problemResponse(
      {
        type: error.type,
        title: error.title,
        status: error.status,
        detail: error.message,
        instance: c.req.path,
        ...(error.errors ? { errors: error.errors } : {}),
      },
      error.headers,
    )
  }
  if (error instanceof HTTPException && error.status < 500) {
    return problemResponse({
      type: `urn:finews:problem:http-${error.status}`,
      title: error.message || 'Bad request',
      status: error.status,
      detail: error.message || 'The request could not be read',
      instance: c.req.path,
    })
  }
  if (isDependencyUnavailable(error)) {
    console.error(
      JSON.stringify({ level: 'warn', msg: 'dependency unavailable', path: c.req.path, error: String(error) }),
    )
    return problemResponse(
      {
        type: 'urn:finews:problem:unavailable',
        title: 'Service Unavailable',
        status: 503,
        detail: 'Storage did not answer; try again after Retry-After seconds',
        instance: c.req.path,
      },
      { 'Retry-After': '1' },
    )
  }
  console.error(
    JSON.stringify({ level: 'error', msg: 'unhandled error', path: c.req.path, error: String(error?.stack ?? error) }),
  )
  return problemResponse({
    type: 'urn:finews:problem:internal',
    title: 'Internal Server Error',
    status: 500,
    detail: 'Something went wrong on our side; it has been logged',
  })
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
