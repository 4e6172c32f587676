/** One invalid field of a request, as listed in a problem document. */
export interface FieldError {
  readonly path: string
  readonly message: string
}

/** The root of every error the domain raises on purpose; `status` and `type` map it to RFC 9457. */
export class DomainError extends Error {
  readonly status: number
  readonly type: string
  readonly title: string
  readonly errors: readonly FieldError[] | undefined
  readonly headers: Readonly<Record<string, string>>

  constructor(
    status: number,
    type: string,
    title: string,
    detail: string,
    options: { errors?: readonly FieldError[]; headers?: Record<string, string>; cause?: unknown } = {},
  ) {
    super(detail, { cause: options.cause })
    this.name = new.target.name
    this.status = status
    this.type = `urn:finews:problem:${type}`
    this.title = title
    this.errors = options.errors
    this.headers = options.headers ?? {}
  }
}

/** 400: the input breaks a field rule; `errors` names each field. */
export class ValidationError extends DomainError {
  constructor(errors: readonly FieldError[], detail?: string) {
    super(400, 'validation', 'Invalid article', detail ?? errors.map((e) => `${e.path}: ${e.message}`).join('; '), {
      errors,
    })
  }
}

/** 400: the body could not be read at all (bad JSON, bad YAML, no front matter, bad encoding). */
export class MalformedBodyError extends DomainError {
  constructor(detail: string, path = 'body', cause?: unknown) {
    super(400, 'malformed-body', 'Malformed request body', detail, { errors: [{ path, message: detail }], cause })
  }
}

/** 404: nothing is stored under that key. */
export class NotFoundError extends DomainError {
  constructor(detail: string) {
    super(404, 'not-found', 'Not found', detail)
  }
}

/** 410: the article existed and was deleted. */
export class GoneError extends DomainError {
  constructor(detail: string) {
    super(410, 'gone', 'Gone', detail)
  }
}

/** 409: the write conflicts with what is stored. */
export class ConflictError extends DomainError {
  constructor(detail: string) {
    super(409, 'conflict', 'Conflict', detail)
  }
}

/** 412: an If-Match precondition did not hold. */
export class PreconditionFailedError extends DomainError {
  constructor(detail: string) {
    super(412, 'precondition-failed', 'Precondition failed', detail)
  }
}

/** 401: no key, or a key that is not accepted. */
export class UnauthorizedError extends DomainError {
  constructor(detail: string) {
    super(401, 'unauthorized', 'Unauthorized', detail, { headers: { 'WWW-Authenticate': 'Bearer realm="finews"' } })
  }
}

/** 403: the request did not come the way it must (the API reached around CloudFront). */
export class ForbiddenError extends DomainError {
  constructor(detail: string) {
    super(403, 'forbidden', 'Forbidden', detail)
  }
}

/** 413: the request body, or the article it makes, is too large. */
export class PayloadTooLargeError extends DomainError {
  constructor(detail: string, headers: Record<string, string> = {}) {
    super(413, 'payload-too-large', 'Payload too large', detail, { headers })
  }
}

/** 415: a content type the endpoint does not read. */
export class UnsupportedMediaTypeError extends DomainError {
  constructor(detail: string) {
    super(415, 'unsupported-media-type', 'Unsupported media type', detail)
  }
}

/** 429: the caller is over its rate limit. */
export class RateLimitedError extends DomainError {
  constructor(retryAfterSeconds: number) {
    super(429, 'rate-limited', 'Too many requests', `Rate limit exceeded; retry after ${retryAfterSeconds} s`, {
      headers: { 'Retry-After': String(retryAfterSeconds) },
    })
  }
}
