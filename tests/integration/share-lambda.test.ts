import { gunzipSync } from 'node:zlib'
import { handle } from 'hono/aws-lambda'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { createApiApp } from '../../functions/api/app.ts'
import { createShareApp } from '../../functions/share/app.ts'
import { FIXTURE_INFO_CODE, FIXTURE_POST, FIXTURE_TITLE } from '../support/fixture.ts'
import { httpApiEvent, lambdaContext } from '../support/lambda-events.ts'
import { parsePage } from '../support/parse-html.ts'
import { TEST_KEY, testApiApp, testStack } from '../support/stack.ts'

const BASE = 'https://news.example.com'
const SHARE_URL = `${BASE}/html_News/NewsShare.html?infoCode=${FIXTURE_INFO_CODE}`
const BROWSER_UA = 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile'

interface LambdaResult {
  statusCode: number
  headers: Record<string, string>
  body: string
  isBase64Encoded: boolean
}

let stack: Awaited<ReturnType<typeof testStack>>
let handler: ReturnType<typeof handle>
let api: ReturnType<typeof createApiApp>
let shortCode: string

// Hono types the body `string | null`; AWS leaves it out of body-less events, as the helper does.
const invoke = (event: ReturnType<typeof httpApiEvent>) =>
  handler(event as unknown as Parameters<typeof handler>[0], lambdaContext) as Promise<LambdaResult>

async function clicks(): Promise<number> {
  const response = await api.request(`/api/articles/${FIXTURE_INFO_CODE}`, {
    headers: { Authorization: `Bearer ${TEST_KEY}` },
  })
  return ((await response.json()) as { clicks: number }).clicks
}

beforeAll(async () => {
  stack = await testStack()
  api = testApiApp(stack.articles, { publicBaseUrl: BASE })
  const created = await api.request('/api/articles', {
    method: 'POST',
    headers: { Authorization: `Bearer ${TEST_KEY}`, 'Content-Type': 'text/markdown' },
    body: FIXTURE_POST,
  })
  shortCode = new URL(((await created.json()) as { shortUrl: string }).shortUrl).pathname.slice(3)
  // The real adapter around the real app, as functions/share/handler.ts wires it.
  handler = handle(createShareApp({ articles: stack.articles, publicBaseUrl: BASE, siteOffsetMinutes: 480 }))
})
afterAll(() => stack.dispose())

describe('the share function behind the Lambda adapter (HTTP API / Function URL payload 2.0)', () => {
  it('serves the share page as text with its headers', async () => {
    const result = await invoke(
      httpApiEvent({
        method: 'GET',
        path: '/html_News/NewsShare.html',
        query: `infoCode=${FIXTURE_INFO_CODE}&from=singlemessage&isappinstalled=0`,
        headers: { 'user-agent': BROWSER_UA },
      }),
    )

    expect(result.statusCode).toBe(200)
    expect(result.isBase64Encoded).toBe(false)
    expect(result.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(result.headers['cache-control']).toBe('public, max-age=300')
    expect(result.headers['content-security-policy']).toContain("default-src 'none'")
    expect(result.headers['x-content-type-options']).toBe('nosniff')
    expect(parsePage(result.body).meta('og:title')).toBe(FIXTURE_TITLE)
  })

  it('sends a gzipped page base64-encoded, as Lambda needs binary bodies', async () => {
    const result = await invoke(
      httpApiEvent({
        method: 'GET',
        path: '/html_News/NewsShare.html',
        query: `infoCode=${FIXTURE_INFO_CODE}`,
        headers: { 'accept-encoding': 'gzip, deflate, br' },
      }),
    )

    expect(result.statusCode).toBe(200)
    expect(result.headers['content-encoding']).toBe('gzip')
    expect(result.isBase64Encoded).toBe(true)
    const html = gunzipSync(Buffer.from(result.body, 'base64')).toString('utf8')
    expect(parsePage(html).meta('og:title')).toBe(FIXTURE_TITLE)
  })

  it('answers HEAD with the headers and no body', async () => {
    const result = await invoke(
      httpApiEvent({ method: 'HEAD', path: '/html_News/NewsShare.html', query: `infoCode=${FIXTURE_INFO_CODE}` }),
    )

    expect(result.statusCode).toBe(200)
    expect(result.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(result.body).toBe('')
  })

  it('answers 304 to If-None-Match with the ETag it gave', async () => {
    const event = { method: 'GET', path: '/html_News/NewsShare.html', query: `infoCode=${FIXTURE_INFO_CODE}` }
    const first = await invoke(httpApiEvent(event))

    const second = await invoke(httpApiEvent({ ...event, headers: { 'if-none-match': first.headers.etag ?? '' } }))

    expect(second.statusCode).toBe(304)
    expect(second.body).toBe('')
  })

  it('redirects a short link with 302 and Location, counting a person but not a crawler or HEAD', async () => {
    // Prepare
    const before = await clicks()

    // Act
    const person = await invoke(
      httpApiEvent({ method: 'GET', path: `/s/${shortCode}`, headers: { 'user-agent': BROWSER_UA } }),
    )
    const afterPerson = await clicks()
    const bot = await invoke(
      httpApiEvent({ method: 'GET', path: `/s/${shortCode}`, headers: { 'user-agent': 'Twitterbot/1.0' } }),
    )
    const head = await invoke(
      httpApiEvent({ method: 'HEAD', path: `/s/${shortCode}`, headers: { 'user-agent': BROWSER_UA } }),
    )

    // Assess
    expect(before).toBe(0)
    for (const result of [person, bot, head]) {
      expect(result.statusCode).toBe(302)
      expect(result.headers.location).toBe(SHARE_URL)
      expect(result.headers['cache-control']).toBe('private, no-store')
    }
    expect(person.body).toContain(SHARE_URL)
    expect(head.body).toBe('')
    expect(afterPerson).toBe(1)
    expect(await clicks()).toBe(1)
  })

  it.each([
    [400, '/html_News/NewsShare.html', 'infoCode=%3Cscript%3E'],
    [400, '/html_News/NewsShare.html', ''],
    [404, '/html_News/NewsShare.html', 'infoCode=NW000000000000000009'],
    [404, '/s/nope', ''],
    [404, '/s/0000000', ''],
    [404, '/elsewhere', ''],
  ])('answers %i HTML pages for bad input (%s?%s)', async (status, path, query) => {
    const result = await invoke(httpApiEvent({ method: 'GET', path, query }))

    expect(result.statusCode).toBe(status)
    expect(result.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(result.headers['content-security-policy']).toContain("default-src 'none'")
  })
})
