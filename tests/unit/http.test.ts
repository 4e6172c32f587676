import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { StoreBusyError } from '#shared/adapters/dynamodb-article-store'
import { parseKeys } from '#shared/adapters/secrets-key-provider'
import {
  MalformedBodyError,
  NotFoundError,
  PayloadTooLargeError,
  RateLimitedError,
  UnauthorizedError,
  ValidationError,
} from '#shared/domain/errors'
import { bearerAuth, keyMatches } from '#shared/http/auth'
import { classifyError, onApiError } from '#shared/http/problem'
import { rateLimit } from '#shared/http/rate-limit'

describe('keyMatches', () => {
  it('accepts only an exact key, whatever the lengths', () => {
    const keys = ['k-0123456789abcdef', 'other-key-0123456789']
    expect(keyMatches('k-0123456789abcdef', keys)).toBe(true)
    expect(keyMatches('other-key-0123456789', keys)).toBe(true)
    expect(keyMatches('k-0123456789abcdeF', keys)).toBe(false)
    expect(keyMatches('k-0123456789abcdef ', keys)).toBe(false)
    expect(keyMatches('', keys)).toBe(false)
    expect(keyMatches('anything', [])).toBe(false)
  })
})

describe('parseKeys', () => {
  it('reads a JSON list, {keys}, or one plain key, and ignores short ones', () => {
    expect(parseKeys('["aaaaaaaaaaaaaaaa","short"]')).toEqual(['aaaaaaaaaaaaaaaa'])
    expect(parseKeys('{"keys":["bbbbbbbbbbbbbbbb"]}')).toEqual(['bbbbbbbbbbbbbbbb'])
    expect(parseKeys(' cccccccccccccccc \n')).toEqual(['cccccccccccccccc'])
    expect(parseKeys('')).toEqual([])
  })
})

describe('rateLimit', () => {
  function app(limit: number, clock: { t: number }) {
    const a = new Hono<{ Variables: { apiKeyId: string } }>()
    a.onError(onApiError)
    a.use(
      '*',
      bearerAuth(async () => ['key-0123456789abcdef']),
      rateLimit(limit, () => clock.t),
    )
    a.get('/', (c) => c.text('ok'))
    return a
  }
  const auth = { headers: { Authorization: 'Bearer key-0123456789abcdef' } }

  it('answers 429 with Retry-After over the limit, and lets requests through again later', async () => {
    const clock = { t: 1_000_000_020_000 }
    const limited = app(3, clock)
    const statuses = []
    for (let i = 0; i < 4; i++) statuses.push((await limited.request('/', auth)).status)
    expect(statuses).toEqual([200, 200, 200, 429])
    const over = await limited.request('/', auth)
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(over.headers.get('content-type')).toMatch(/problem\+json/)
    clock.t += 120_000
    expect((await limited.request('/', auth)).status).toBe(200)
  })

  it('answers 401 with WWW-Authenticate to a missing key, and never echoes the key', async () => {
    const a = app(0, { t: 0 })
    const missing = await a.request('/')
    expect(missing.status).toBe(401)
    expect(missing.headers.get('www-authenticate')).toMatch(/^Bearer/)
    const wrong = await a.request('/', { headers: { Authorization: 'Bearer secret-guess-123456' } })
    expect(wrong.status).toBe(401)
    expect(await wrong.text()).not.toContain('secret-guess-123456')
  })
})

describe('classifyError (the one place errors meet statuses)', () => {
  it.each([
    [new ValidationError([{ path: 'title', message: 'x' }]), 400, {}, 'none', 'Invalid article'],
    [
      new ValidationError([{ path: 'If-Match', message: 'x' }], undefined, 'request'),
      400,
      {},
      'none',
      'Invalid request',
    ],
    [new MalformedBodyError('bad'), 400, {}, 'none', 'Malformed request body'],
    [new UnauthorizedError('no key'), 401, { 'WWW-Authenticate': 'Bearer realm="finews"' }, 'none', 'Unauthorized'],
    [new NotFoundError('none'), 404, {}, 'none', 'Not found'],
    [
      new PayloadTooLargeError('big', { bodyLeftUnread: true }),
      413,
      { Connection: 'close' },
      'none',
      'Payload too large',
    ],
    [new PayloadTooLargeError('big'), 413, {}, 'none', 'Payload too large'],
    [new RateLimitedError(7), 429, { 'Retry-After': '7' }, 'none', 'Too many requests'],
    [new StoreBusyError('busy'), 503, { 'Retry-After': '1' }, 'warn', 'Service busy'],
    [
      Object.assign(new Error('down'), { code: 'ECONNREFUSED' }),
      503,
      { 'Retry-After': '1' },
      'warn',
      'Service Unavailable',
    ],
    [new TypeError('a bug'), 500, {}, 'error', 'Internal Server Error'],
  ] as const)('%s: %i', (error, status, headers, level, title) => {
    const failure = classifyError(error)
    expect(failure).toMatchObject({ status, headers, level, problem: { status, title } })
  })
})
