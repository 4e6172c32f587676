// Issue 13, item 3: a storage call that gives up must leave its function time to answer 503 with Retry-After;
// when the SDK outlasts the function, Lambda kills it and the reader gets a bare 5xx instead.
import { Template } from 'aws-cdk-lib/assertions'
import { describe, expect, it } from 'vitest'
import {
  type ClientLimits,
  DYNAMODB_LIMITS,
  S3_LIMITS,
  SECRETS_LIMITS,
  SSM_LIMITS,
  worstCaseMs,
} from '#shared/adapters/client-limits'
import { buildStack } from './synth.ts'

const template = Template.fromStack(buildStack())

function timeoutMsOf(name: 'api' | 'feeds' | 'share'): number {
  const found = Object.values(template.findResources('AWS::Lambda::Function')).filter((fn) =>
    String(fn.Properties.Description).startsWith(`finews ${name}:`),
  )
  expect(found).toHaveLength(1)
  return (found[0]!.Properties.Timeout as number) * 1000
}

/** Time the app needs, once the SDK gave up, to build and send its 503 (and Lambda to return it). */
const ANSWER_MARGIN_MS = 1_000
/** Lambda's init phase (top-level await included) is cut at 10 s. */
const INIT_LIMIT_MS = 10_000
/** API Gateway HTTP APIs stop waiting for an integration at 30 s and answer 503 themselves. */
const HTTP_API_LIMIT_MS = 30_000
/** CloudFront's default origin response timeout, in front of the share function URL. */
const CLOUDFRONT_ORIGIN_LIMIT_MS = 30_000

const sum = (...limits: ClientLimits[]) => limits.reduce((total, l) => total + worstCaseMs(l), 0)

describe('worst case of one call', () => {
  it('is attempts x (connection + request timeout) + every backoff pause', () => {
    expect(
      worstCaseMs({ maxAttempts: 3, connectionTimeoutMs: 1, requestTimeoutMs: 10, backoffMs: (a) => a * 100 }),
    ).toBe(3 * 11 + 200 + 300)
    expect(worstCaseMs(DYNAMODB_LIMITS)).toBe(3 * 3_000 + 100 + 200)
  })
})

describe('each function outlives its clients', () => {
  it('api: the origin secret, the API keys and a DynamoDB call that gives up, then its 503', () => {
    const needed = sum(SECRETS_LIMITS, SECRETS_LIMITS, DYNAMODB_LIMITS) + ANSWER_MARGIN_MS
    expect(needed).toBeLessThanOrEqual(timeoutMsOf('api'))
    expect(timeoutMsOf('api')).toBeLessThan(HTTP_API_LIMIT_MS)
  })

  it('share: a DynamoDB call that gives up, then its 503', () => {
    expect(sum(DYNAMODB_LIMITS) + ANSWER_MARGIN_MS).toBeLessThanOrEqual(timeoutMsOf('share'))
    expect(timeoutMsOf('share')).toBeLessThan(CLOUDFRONT_ORIGIN_LIMIT_MS)
  })

  it('api and share: the base URL read from SSM fits the init phase', () => {
    expect(sum(SSM_LIMITS) + ANSWER_MARGIN_MS).toBeLessThanOrEqual(INIT_LIMIT_MS)
  })

  it('feeds: a DynamoDB query and an S3 write that give up, then the failed records reported', () => {
    expect(sum(DYNAMODB_LIMITS, S3_LIMITS) + ANSWER_MARGIN_MS).toBeLessThanOrEqual(timeoutMsOf('feeds'))
  })
})
