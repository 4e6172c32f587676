/** One invalid field of a request, as listed in a problem document. */
export interface FieldError {
  readonly path: string
  readonly message: string
}

/**
 * What went wrong, in the domain's words. The HTTP edge (`shared/http/problem.ts`) maps each code to a
 * status, headers and a log level; nothing here knows about HTTP.
 */
export type DomainErrorCode =
  | 'validation'
  | 'malformed-body'
  | 'not-found'
  | 'conflict'
  | 'idempotency-key-reused'
  | 'precondition-failed'
  | 'unauthorized'
  | 'forbidden'
  | 'payload-too-large'
  | 'unsupported-media-type'
  | 'rate-limited'
  | 'busy'
  | 'storage-unavailable'

/** The root of every error the domain raises on purpose; `code` says what went wrong, `title` in a few words. */
export class DomainError extends Error {
  readonly code: DomainErrorCode
  readonly title: string
  readonly errors: readonly FieldError[] | undefined

  constructor(
    code: DomainErrorCode,
    title: string,
    detail: string,
    options: { errors?: readonly FieldError[]; cause?: unknown } = {},
  ) {
    super(detail, { cause: options.cause })
    this.name = new.target.name
    this.code = code
    this.title = title
    this.errors = options.errors
  }

  /** The problem type URN of this error (RFC 9457 `type`). */
  get type(): string {
    return `urn:finews:problem:${this.code}`
  }
}

/** The input breaks a field rule; `errors` names each field. Titled by what was invalid (an article by default). */
export class ValidationError extends DomainError {
  constructor(errors: readonly FieldError[], detail?: string, subject: 'article' | 'category' | 'request' = 'article') {
    super('validation', `Invalid ${subject}`, detail ?? errors.map((e) => `${e.path}: ${e.message}`).join('; '), {
      errors,
    })
  }
}

/**
 * A request (path, query or header) with one field that breaks its rule, titled "Invalid request".
 * @example throw invalidRequest('If-Match', 'If-Match must be an ETag this API returned, like "v3"')
 */
export function invalidRequest(path: string, message: string): ValidationError {
  return new ValidationError([{ path, message }], undefined, 'request')
}

/** The body could not be read at all (bad JSON, bad YAML, no front matter, bad encoding). */
export class MalformedBodyError extends DomainError {
  constructor(detail: string, path = 'body', cause?: unknown) {
    super('malformed-body', 'Malformed request body', detail, { errors: [{ path, message: detail }], cause })
  }
}

/** Nothing is stored under that key. */
export class NotFoundError extends DomainError {
  constructor(detail: string) {
    super('not-found', 'Not found', detail)
  }
}

/** The write conflicts with what is stored. */
export class ConflictError extends DomainError {
  constructor(detail: string) {
    super('conflict', 'Conflict', detail)
  }
}

/** An idempotency key already stands for a request with other content: a retry must send the same request. */
export class IdempotencyKeyReusedError extends DomainError {
  constructor(detail: string) {
    super('idempotency-key-reused', 'Idempotency key reused', detail)
  }
}

/** The version the caller said it changes is not the stored one. */
export class PreconditionFailedError extends DomainError {
  constructor(detail: string) {
    super('precondition-failed', 'Precondition failed', detail)
  }
}

/** No key, or a key that is not accepted. */
export class UnauthorizedError extends DomainError {
  constructor(detail: string) {
    super('unauthorized', 'Unauthorized', detail)
  }
}

/** The request did not come the way it must (the API reached around CloudFront). */
export class ForbiddenError extends DomainError {
  constructor(detail: string) {
    super('forbidden', 'Forbidden', detail)
  }
}

/** The request body, or the article it makes, is too large. */
export class PayloadTooLargeError extends DomainError {
  /** True when the rest of the body was left unread (the connection cannot be reused). */
  readonly bodyLeftUnread: boolean

  constructor(detail: string, options: { bodyLeftUnread?: boolean } = {}) {
    super('payload-too-large', 'Payload too large', detail)
    this.bodyLeftUnread = options.bodyLeftUnread ?? false
  }
}

/** A content type the endpoint does not read. */
export class UnsupportedMediaTypeError extends DomainError {
  constructor(detail: string) {
    super('unsupported-media-type', 'Unsupported media type', detail)
  }
}

/** The caller is over its rate limit until `retryAfterSeconds` have passed. */
export class RateLimitedError extends DomainError {
  readonly retryAfterSeconds: number

  constructor(retryAfterSeconds: number) {
    super('rate-limited', 'Too many requests', `Rate limit exceeded; retry after ${retryAfterSeconds} s`)
    this.retryAfterSeconds = retryAfterSeconds
  }
}
