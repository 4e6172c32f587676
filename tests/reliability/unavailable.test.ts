import { describe, expect, it } from 'vitest'
import { isDependencyUnavailable } from '#shared/http/problem'

const error = (fields: Record<string, unknown>, cause?: unknown) =>
  Object.assign(new Error('x', cause === undefined ? undefined : { cause }), fields)

describe('isDependencyUnavailable', () => {
  it.each([
    ['connection refused', error({ code: 'ECONNREFUSED' })],
    ['an SDK timeout', error({ name: 'TimeoutError' })],
    ['throttling', error({ name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } })],
    ['a 500 from the service', error({ name: 'InternalFailure', $metadata: { httpStatusCode: 500 } })],
    ['a retryable SDK error', error({ name: 'Whatever', $retryable: { throttling: false } })],
    ['a reset socket under a wrapper', error({ name: 'ObjectStoreError' }, error({ code: 'ECONNRESET' }))],
  ])('%s: yes', (_name, e) => {
    expect(isDependencyUnavailable(e)).toBe(true)
  })

  it.each([
    ['a validation error from DynamoDB', error({ name: 'ValidationException', $metadata: { httpStatusCode: 400 } })],
    ['a plain bug', new TypeError('x is undefined')],
    ['not an error', 'ECONNREFUSED'],
    ['null', null],
  ])('%s: no', (_name, e) => {
    expect(isDependencyUnavailable(e)).toBe(false)
  })
})
