import { ConfiguredRetryStrategy } from '@smithy/core/retry'
import type { RetryErrorInfo, StandardRetryToken } from '@smithy/types'

/**
 * How long one AWS call may take at worst: attempts, the time each may spend connecting and waiting, and the
 * pause before each retry. Every function's timeout is checked against these (tests/unit/timeout-budget.test.ts):
 * a storage call that gives up must leave the function time to answer 503 with Retry-After itself.
 */
export interface ClientLimits {
  /** Attempts in all, the first included. */
  readonly maxAttempts: number
  readonly connectionTimeoutMs: number
  /** Per attempt; with `throwOnRequestTimeout` the attempt fails at this point instead of only warning. */
  readonly requestTimeoutMs: number
  /** Pause before attempt `attempt` (2 for the first retry). */
  readonly backoffMs: (attempt: number) => number
}

const doubling = (firstMs: number) => (attempt: number) => firstMs * 2 ** Math.max(0, attempt - 2)

/** DynamoDB in AWS: single-digit-millisecond calls, so 2 s is already a sick service. */
export const DYNAMODB_LIMITS: ClientLimits = {
  maxAttempts: 3,
  connectionTimeoutMs: 1_000,
  requestTimeoutMs: 2_000,
  backoffMs: doubling(100),
}

/** S3 in AWS (the feeds function only): objects of up to a few hundred KB. */
export const S3_LIMITS: ClientLimits = {
  maxAttempts: 3,
  connectionTimeoutMs: 1_000,
  requestTimeoutMs: 5_000,
  backoffMs: doubling(100),
}

/** Secrets Manager: the API keys and the origin secret, read on the first request and then every 5 minutes. */
export const SECRETS_LIMITS: ClientLimits = {
  maxAttempts: 2,
  connectionTimeoutMs: 1_000,
  requestTimeoutMs: 2_000,
  backoffMs: doubling(100),
}

/** SSM: the public base URL, read once in the init phase (which Lambda cuts at 10 s). */
export const SSM_LIMITS: ClientLimits = {
  maxAttempts: 2,
  connectionTimeoutMs: 1_000,
  requestTimeoutMs: 2_000,
  backoffMs: doubling(100),
}

/**
 * DynamoDB Local and s3rver on a shared 2-core machine answer far slower than the services under load
 * (the soak and the benchmarks): local endpoints keep the longer limits the project started with.
 */
export const LOCAL_SERVER_LIMITS: ClientLimits = {
  maxAttempts: 4,
  connectionTimeoutMs: 2_000,
  requestTimeoutMs: 5_000,
  backoffMs: doubling(100),
}

/** The longest one call can take under `limits`: every attempt times out, every pause is taken. */
export function worstCaseMs(limits: ClientLimits): number {
  let total = limits.maxAttempts * (limits.connectionTimeoutMs + limits.requestTimeoutMs)
  for (let attempt = 2; attempt <= limits.maxAttempts; attempt++) total += limits.backoffMs(attempt)
  return total
}

/**
 * The SDK's standard retries with our pauses, and no longer pause when a server sends Retry-After (the standard
 * strategy may add up to 5 s per retry for it, which no function timeout here would absorb).
 */
class BoundedRetryStrategy extends ConfiguredRetryStrategy {
  override refreshRetryTokenForRetry(
    token: StandardRetryToken,
    errorInfo: RetryErrorInfo,
  ): Promise<StandardRetryToken> {
    return super.refreshRetryTokenForRetry(token, { ...errorInfo, retryAfterHint: undefined })
  }
}

/**
 * The client options that apply `limits`, for any AWS SDK v3 client.
 * @example new SSMClient({ region, ...clientOptions(SSM_LIMITS) })
 */
export function clientOptions(limits: ClientLimits) {
  return {
    retryStrategy: new BoundedRetryStrategy(limits.maxAttempts, limits.backoffMs),
    requestHandler: {
      requestTimeout: limits.requestTimeoutMs,
      connectionTimeout: limits.connectionTimeoutMs,
      // Without it the SDK only warns at requestTimeout and waits up to 5 minutes per attempt.
      throwOnRequestTimeout: true,
    },
  }
}
