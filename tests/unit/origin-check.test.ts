import { describe, expect, it } from 'vitest'
import { API_ORIGIN_HEADER } from '#shared/http/origin'
import type { ArticleStore } from '#shared/ports/article-store'
import { createApiApp } from '../../functions/api/app.ts'

const ORIGIN_SECRET = 'origin-secret-0123456789abcdefghij'

// No route below reaches the store: the origin check and the bearer check answer first.
const app = createApiApp({
  articles: {} as ArticleStore,
  keys: async () => ['test-key-0123456789abcdef'],
  originSecrets: async () => [ORIGIN_SECRET],
  publicBaseUrl: 'https://news.example.com',
  siteOffsetMinutes: 480,
  rateLimitPerMinute: 0,
})
const get = (path: string, headers: Record<string, string> = {}) => app.request(`http://localhost${path}`, { headers })

describe('the api behind CloudFront refuses requests without the origin header', () => {
  it.each([
    ['no header', {}],
    ['a wrong value', { [API_ORIGIN_HEADER]: 'guess-0123456789abcdefghij' }],
    ['an empty value', { [API_ORIGIN_HEADER]: '' }],
    ['the value with a suffix', { [API_ORIGIN_HEADER]: `${ORIGIN_SECRET}x` }],
  ])('%s: 403 problem+json on /healthz and /api/*, before the key check', async (_, headers) => {
    for (const path of ['/healthz', '/api/articles', '/no-such-route']) {
      const res = await get(path, headers)
      expect(res.status, path).toBe(403)
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/)
      const body = (await res.json()) as { status: number; type: string }
      expect(body).toMatchObject({ status: 403, type: 'urn:finews:problem:forbidden' })
      expect(JSON.stringify(body)).not.toContain(ORIGIN_SECRET)
    }
  })

  it('with the header CloudFront adds: /healthz answers, /api/* goes on to the bearer key check', async () => {
    const headers = { [API_ORIGIN_HEADER]: ORIGIN_SECRET }
    expect((await get('/healthz', headers)).status).toBe(200)
    expect((await get('/api/articles', headers)).status).toBe(401)
  })

  it('without originSecrets (local server, tests) there is no check', async () => {
    const local = createApiApp({
      articles: {} as ArticleStore,
      keys: async () => [],
      publicBaseUrl: 'https://news.example.com',
      siteOffsetMinutes: 480,
    })
    expect((await local.request('http://localhost/healthz')).status).toBe(200)
  })
})
