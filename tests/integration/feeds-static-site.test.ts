import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { s3ObjectStore } from '#shared/adapters/s3-object-store'
import { NOT_FOUND_PAGE_KEY } from '#shared/feeds/archive'
import { CONTENT_TYPES, PAGE_CACHE_CONTROL } from '#shared/feeds/formats'
import { renderNotFoundPage } from '#shared/pages/feed-pages'
import type { ObjectStore } from '#shared/ports/object-store'
import { createStaticSiteApp } from '../../local/static-site.ts'
import { attr, isInside, parsePage, text } from '../support/parse-html.ts'
import { testStack } from '../support/stack.ts'

const BASE = 'https://news.example.com'
let stack: Awaited<ReturnType<typeof testStack>>
let objects: ObjectStore
let clock = new Date('2024-01-01T00:00:00Z')
let app: ReturnType<typeof createStaticSiteApp>

beforeAll(async () => {
  stack = await testStack()
  objects = s3ObjectStore({ client: stack.s3, bucket: stack.bucketName, now: () => clock })
  app = createStaticSiteApp({ objects })
})
afterAll(() => stack.dispose())

const rss = (body: string, lastModified = new Date('2022-04-16T03:21:56+08:00')) => ({
  key: 'feeds/markets/rss.xml',
  body,
  contentType: 'application/rss+xml; charset=utf-8',
  cacheControl: 'public, max-age=300',
  lastModified,
  link: `<https://hub.example.com/>; rel="hub", <${BASE}/feeds/markets/rss.xml>; rel="self"`,
})

describe('the S3 object store', () => {
  it('writes an object once, and again only when its bytes change', async () => {
    const first = await objects.putIfChanged(rss('<rss>一</rss>'))
    const same = await objects.putIfChanged(rss('<rss>一</rss>'))
    const changed = await objects.putIfChanged(rss('<rss>二</rss>', new Date('2022-04-17T00:00:00Z')))

    expect([first, same, changed]).toEqual([true, false, true])
    const stored = await objects.get('feeds/markets/rss.xml')
    expect(new TextDecoder().decode(stored?.body)).toBe('<rss>二</rss>')
    expect(stored?.contentType).toBe('application/rss+xml; charset=utf-8')
    expect(stored?.lastModified.toISOString()).toBe('2022-04-17T00:00:00.000Z')
  })

  it('never moves Last-Modified back when the bytes change (a deletion makes `updated` older)', async () => {
    await objects.putIfChanged(rss('<rss>三</rss>', new Date('2022-05-01T00:00:00Z')))
    clock = new Date('2024-02-02T10:20:30.456Z')

    await objects.putIfChanged(rss('<rss>四</rss>', new Date('2022-04-01T00:00:00Z')))

    expect((await objects.get('feeds/markets/rss.xml'))?.lastModified.toISOString()).toBe('2024-02-02T10:20:30.000Z')
  })

  it('answers undefined for a key that is not there', async () => {
    expect(await objects.get('feeds/none/rss.xml')).toBeUndefined()
  })
})

describe('the static site, as CloudFront serves the bucket', () => {
  it('serves the stored type, a strong ETag, Last-Modified, Cache-Control and the WebSub Link', async () => {
    await objects.putIfChanged(rss('<rss>五</rss>', new Date('2024-03-01T08:00:00Z')))

    const response = await app.request('/feeds/markets/rss.xml')

    expect(response.status).toBe(200)
    expect(await response.text()).toBe('<rss>五</rss>')
    expect(response.headers.get('content-type')).toBe('application/rss+xml; charset=utf-8')
    expect(response.headers.get('etag')).toMatch(/^"[^"]+"$/)
    expect(response.headers.get('last-modified')).toBe('Fri, 01 Mar 2024 08:00:00 GMT')
    expect(response.headers.get('cache-control')).toBe('public, max-age=300')
    expect(response.headers.get('link')).toContain('rel="hub"')
  })

  it('answers 304 to If-None-Match and If-Modified-Since, If-None-Match first', async () => {
    const first = await app.request('/feeds/markets/rss.xml')
    const etag = first.headers.get('etag') ?? ''

    const byTag = await app.request('/feeds/markets/rss.xml', { headers: { 'If-None-Match': `"x", W/${etag}` } })
    const byDate = await app.request('/feeds/markets/rss.xml', {
      headers: { 'If-Modified-Since': 'Fri, 01 Mar 2024 08:00:00 GMT' },
    })
    const older = await app.request('/feeds/markets/rss.xml', {
      headers: { 'If-Modified-Since': 'Fri, 01 Mar 2024 07:59:59 GMT' },
    })
    const staleTagFreshDate = await app.request('/feeds/markets/rss.xml', {
      headers: { 'If-None-Match': '"other"', 'If-Modified-Since': 'Fri, 01 Mar 2024 08:00:00 GMT' },
    })

    expect(byTag.status).toBe(304)
    expect(await byTag.text()).toBe('')
    expect(byTag.headers.get('etag')).toBe(etag)
    expect(byDate.status).toBe(304)
    expect(older.status).toBe(200)
    expect(staleTagFreshDate.status).toBe(200)
  })

  it('answers HEAD with the headers and no body', async () => {
    const response = await app.request('/feeds/markets/rss.xml', { method: 'HEAD' })

    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('application/rss+xml; charset=utf-8')
    expect(await response.text()).toBe('')
  })

  it('serves / from index.html, and a 404 for anything missing or outside the published keys', async () => {
    await objects.putIfChanged({
      key: 'index.html',
      body: '<!doctype html><title>首页</title>',
      contentType: 'text/html; charset=utf-8',
      cacheControl: 'public, max-age=60',
    })

    const home = await app.request('/')
    const missing = await app.request('/category/none.html')
    const traversal = await app.request('/feeds/..%2F..%2Fetc%2Fpasswd')

    expect(home.status).toBe(200)
    expect(home.headers.get('content-security-policy')).toContain("default-src 'none'")
    expect(await home.text()).toContain('首页')
    expect(missing.status).toBe(404)
    // No 404.html in this bucket yet: a short Chinese text.
    expect(await missing.text()).toContain('页面不存在')
    expect(traversal.status).toBe(404)
  })

  it("answers any path the bucket does not hold with the feeds function's 404.html, status 404, as CloudFront maps S3's miss", async () => {
    // Prepare: the page as the feeds function writes it.
    const context = { siteName: '财经新闻', baseUrl: BASE, siteOffsetMinutes: 480 }
    await objects.putIfChanged({
      key: NOT_FOUND_PAGE_KEY,
      body: await renderNotFoundPage(context),
      contentType: CONTENT_TYPES.html,
      cacheControl: PAGE_CACHE_CONTROL,
    })

    // Act: a mistyped path, a missing category page, a HEAD, and paths CloudFront sends to other origins.
    const unknown = await app.request('/ccbnews.html')
    const missing = await app.request('/category/none.html')
    const head = await app.request('/no/such/page.html', { method: 'HEAD' })
    const api = await app.request('/api/nope')
    const page = await app.request('/404.html')

    // Assess
    for (const response of [unknown, missing, head]) {
      expect(response.status).toBe(404)
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8')
      expect(response.headers.get('content-security-policy')).toContain("default-src 'none'")
    }
    const document = parsePage(await unknown.text())
    expect(attr(document.all('html')[0], 'lang')).toBe('zh-CN')
    expect(text(document.all('h1')[0])).toBe('页面不存在')
    const mainLinks = document.all('a').filter((a) => isInside(a, (e) => e.tagName === 'main'))
    expect(mainLinks.map((a) => attr(a, 'href'))).toEqual([`${BASE}/`, `${BASE}/categories.html`])
    expect(document.all('script')).toEqual([])
    expect(await missing.text()).toContain('页面不存在')
    expect(await head.text()).toBe('')
    // Not the static site's to answer: the API and the share function have their own 404s.
    expect(api.headers.get('content-type') ?? '').not.toMatch(/^text\/html/)
    expect(page.status).toBe(200)
  })
})
