import { createHash } from 'node:crypto'
import { gunzipSync } from 'node:zlib'
import { PutCommand } from '@aws-sdk/lib-dynamodb'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { createApiApp } from '../../functions/api/app.ts'
import { createShareApp, type ShareDeps } from '../../functions/share/app.ts'
import { watchWrites } from '../../functions/share/watch-writes.ts'
import { type BodyRenderer, guardedRenderer } from '../../shared/content/guarded-render.ts'
import { buildFeed } from '../../shared/feeds/build-feed.ts'
import { renderAtom } from '../../shared/feeds/render-atom.ts'
import type { ArticleStore } from '../../shared/ports/article-store.ts'
import { MARKETS_SOURCE } from '../support/feeds.ts'
import { FIXTURE_INFO_CODE, FIXTURE_POST, FIXTURE_TITLE, post } from '../support/fixture.ts'
import { attr, parsePage, text } from '../support/parse-html.ts'
import { TEST_KEY, testApiApp, testStack } from '../support/stack.ts'

const BASE = 'https://news.example.com'
const SHARE = `${BASE}/html_News/NewsShare.html?infoCode=${FIXTURE_INFO_CODE}`
const BROWSER_UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.47'
const auth = { Authorization: `Bearer ${TEST_KEY}` }

let stack: Awaited<ReturnType<typeof testStack>>
let api: ReturnType<typeof createApiApp>
let shortPath: string

/** A share app on the test table; `store` lets a test count the reads it makes. */
function shareApp(overrides: Partial<ShareDeps> = {}) {
  return createShareApp({ articles: stack.articles, publicBaseUrl: BASE, siteOffsetMinutes: 480, ...overrides })
}

async function upload(body: string, type = 'text/markdown') {
  const response = await api.request('/api/articles', {
    method: 'POST',
    headers: { ...auth, 'Content-Type': type },
    body,
  })
  expect(response.status).toBeLessThan(300)
  return (await response.json()) as { infoCode: string; shortUrl: string; shareUrl: string; summary: string }
}

async function clicks(infoCode: string): Promise<number> {
  const response = await api.request(`/api/articles/${infoCode}`, { headers: auth })
  return ((await response.json()) as { clicks: number }).clicks
}

/** A store that counts the calls made to it, around the real DynamoDB store. */
function countingStore(store: ArticleStore) {
  const calls: Record<string, number> = {}
  const counted = new Proxy(store, {
    get(target, key: string) {
      const value = Reflect.get(target, key)
      if (typeof value !== 'function') return value
      return (...args: unknown[]) => {
        calls[key] = (calls[key] ?? 0) + 1
        return value.apply(target, args)
      }
    },
  })
  return { store: counted, calls }
}

function expectSecurityHeaders(response: Response) {
  const csp = response.headers.get('content-security-policy') ?? ''
  expect(csp).toContain("default-src 'none'")
  expect(csp).not.toMatch(/script-src|unsafe-inline|unsafe-eval/)
  expect(csp).toContain("frame-ancestors 'none'")
  expect(response.headers.get('x-content-type-options')).toBe('nosniff')
  expect(response.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin')
}

beforeAll(async () => {
  stack = await testStack()
  api = testApiApp(stack.articles, { publicBaseUrl: BASE })
  const article = await upload(FIXTURE_POST)
  shortPath = new URL(article.shortUrl).pathname
})
afterAll(() => stack.dispose())

describe('the share page of the reference post', () => {
  it('answers 200 HTML with the security and cache headers', async () => {
    // Act
    const response = await shareApp().request(SHARE)

    // Assess
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(response.headers.get('cache-control')).toBe('public, max-age=300')
    expect(response.headers.get('etag')).toMatch(/^"[\w-]{20,}"$/)
    expectSecurityHeaders(response)
  })

  it('carries every social-preview meta tag of the contract', async () => {
    const page = parsePage(await (await shareApp().request(SHARE)).text())

    expect(page.meta('og:type')).toBe('article')
    expect(page.meta('og:title')).toBe(FIXTURE_TITLE)
    expect(page.meta('og:description')).toMatch(/^普惠型小微企业贷款余额9606亿元/)
    expect(page.meta('og:url')).toBe(SHARE)
    expect(page.meta('og:site_name')).toBe('财经新闻')
    // The first body image, absolute, exactly as the sanitised body carries it.
    expect(page.meta('og:image')).toBe(
      'https://webquoteklinepic.eastmoney.com/GetPic.aspx?nid=1.601658&imageType=k&token=28dfeb41d35cc81d84b4664d7c23c49f&at=1',
    )
    expect(page.meta('twitter:card')).toBe('summary_large_image')
    expect(page.meta('article:published_time')).toBe('2022-04-16T03:21:56+08:00')
    expect(
      attr(
        page.all('link').find((l) => attr(l, 'rel') === 'canonical'),
        'href',
      ),
    ).toBe(SHARE)
    expect(attr(page.all('html')[0], 'lang')).toBe('zh-CN')
  })

  it('shows title, time in site time, source, body, category and home links, QR code and feed links', async () => {
    const page = parsePage(await (await shareApp().request(SHARE)).text())

    expect(text(page.all('h1')[0])).toBe(FIXTURE_TITLE)
    expect(text(page.all('title')[0])).toBe(`${FIXTURE_TITLE} - 财经新闻`)
    const time = page.all('time')[0]
    expect(attr(time, 'datetime')).toBe('2022-04-16T03:21:56+08:00')
    expect(text(time)).toBe('2022-04-16 03:21')
    const meta = text(page.elements.find((e) => attr(e, 'class') === 'meta'))
    expect(meta).toContain('来源：中国经营网')
    const body = text(page.elements.find((e) => attr(e, 'class') === 'body'))
    expect(body).toContain('已经为超过171万户普惠小微客户送去金融活水')
    const hrefs = page.all('a').map((a) => [attr(a, 'href'), text(a)])
    expect(hrefs).toContainEqual([`${BASE}/category/zhongguojingyingwang.html`, '中国经营网新闻'])
    expect(hrefs).toContainEqual([`${BASE}/`, '首页'])
    const short = `${BASE}${shortPath}`
    expect(hrefs).toContainEqual([short, short])
    const svg = page.all('svg')
    expect(svg).toHaveLength(1)
    expect(attr(svg[0], 'viewBox')).toMatch(/^0 0 \d+ \d+$/)
    const alternates = page
      .all('link')
      .filter((l) => attr(l, 'rel') === 'alternate')
      .map((l) => [attr(l, 'type'), attr(l, 'href')])
    expect(alternates).toEqual([
      ['application/rss+xml', `${BASE}/feeds/rss.xml`],
      ['application/atom+xml', `${BASE}/feeds/atom.xml`],
      ['application/feed+json', `${BASE}/feeds/feed.json`],
      ['application/rss+xml', `${BASE}/feeds/zhongguojingyingwang/rss.xml`],
      ['application/atom+xml', `${BASE}/feeds/zhongguojingyingwang/atom.xml`],
      ['application/feed+json', `${BASE}/feeds/zhongguojingyingwang/feed.json`],
    ])
    expect(page.all('script')).toHaveLength(0)
  })

  it('allows its one stylesheet by hash in the CSP, so no other style or script may run', async () => {
    const response = await shareApp().request(SHARE)
    const page = parsePage(await response.text())

    const styles = page.all('style')
    expect(styles).toHaveLength(1)
    const hash = createHash('sha256').update(text(styles[0])).digest('base64')
    expect(response.headers.get('content-security-policy')).toContain(`style-src 'sha256-${hash}'`)
    expect(page.elements.filter((e) => attr(e, 'style') !== undefined)).toHaveLength(0)
  })

  it('answers HEAD like GET, without a body', async () => {
    const app = shareApp()
    const get = await app.request(SHARE)
    const head = await app.request(SHARE, { method: 'HEAD' })

    expect(head.status).toBe(200)
    expect(await head.text()).toBe('')
    expect(Object.fromEntries(head.headers)).toEqual(Object.fromEntries(get.headers))
  })

  it('answers 304 to a matching If-None-Match', async () => {
    const app = shareApp()
    const first = await app.request(SHARE)

    const second = await app.request(SHARE, { headers: { 'If-None-Match': first.headers.get('etag') ?? '' } })

    expect(second.status).toBe(304)
    expect(await second.text()).toBe('')
    expect(second.headers.get('etag')).toBe(first.headers.get('etag'))
  })

  it('sends the page gzipped to clients that accept it, the same page once decompressed', async () => {
    const app = shareApp()
    const plain = await app.request(SHARE)
    const gzipped = await app.request(SHARE, { headers: { 'Accept-Encoding': 'gzip, deflate, br' } })
    const refused = await app.request(SHARE, { headers: { 'Accept-Encoding': 'gzip;q=0, identity' } })
    const revalidated = await app.request(SHARE, {
      headers: { 'Accept-Encoding': 'gzip', 'If-None-Match': gzipped.headers.get('etag') ?? '' },
    })

    const bytes = Buffer.from(await gzipped.arrayBuffer())
    expect(gzipped.headers.get('content-encoding')).toBe('gzip')
    expect(gzipped.headers.get('vary')).toBe('Accept-Encoding')
    expect(plain.headers.get('vary')).toBe('Accept-Encoding')
    expect(Number(gzipped.headers.get('content-length'))).toBe(bytes.byteLength)
    expect(gunzipSync(bytes).toString('utf8')).toBe(await plain.text())
    expect(bytes.byteLength).toBeLessThan(Number(plain.headers.get('content-length')) / 2)
    expect(gzipped.headers.get('etag')).not.toBe(plain.headers.get('etag'))
    expect(refused.headers.get('content-encoding')).toBeNull()
    expect(revalidated.status).toBe(304)
  })

  it('ignores the extra parameters WeChat appends to shared links', async () => {
    const response = await shareApp().request(`${SHARE}&from=singlemessage&isappinstalled=0`)

    expect(response.status).toBe(200)
    expect(parsePage(await response.text()).meta('og:url')).toBe(SHARE)
  })
})

describe('share pages of other articles', () => {
  it('shows the time in site time when the date was written in another zone, and the set category title', async () => {
    // Prepare
    const article = await upload(
      post({ date: '2024-01-02T02:00:00Z', categories: 'markets', title: '"时区测试"' }, '没有图片的正文。'),
    )
    await api.request('/api/categories/markets', {
      method: 'PUT',
      headers: { ...auth, 'Content-Type': 'application/json' },
      body: JSON.stringify({ title: '市场动态' }),
    })

    // Act
    const page = parsePage(await (await shareApp().request(article.shareUrl)).text())

    // Assess
    expect(page.meta('article:published_time')).toBe('2024-01-02T10:00:00+08:00')
    expect(text(page.all('time')[0])).toBe('2024-01-02 10:00')
    expect(page.all('a').map((a) => text(a))).toContain('市场动态')
    // No image: no og:image (the site has no default picture) and the small card.
    expect(page.meta('og:image')).toBeUndefined()
    expect(page.meta('twitter:card')).toBe('summary')
    expect(page.meta('og:description')).toBe('没有图片的正文。')
  })
})

describe("Jekyll's front matter and the old footer on the share page", () => {
  it('shows the image, author, excerpt and content time it gives, not the footer, and links the original as 原文链接', async () => {
    // Prepare: a rolling-news post of the real template, with Jekyll's keys.
    const original = 'http://finance.eastmoney.com/news/1354,202205262391921799.html'
    const body = [
      '<p>正文第一段。<img src="https://img.example.com/body.png"></p>',
      '',
      `<${original}>`,
      '',
      '[返回东财滚动新闻](//finews.withounder.com/emnews/)｜[返回首页](//finews.withounder.com/)',
    ].join('\n')
    const article = await upload(
      post(
        {
          title: '"前言测试"',
          categories: 'emnews',
          excerpt: '"一句话摘要"',
          image: '/assets/cover.png',
          author: '记者 张三',
          last_modified_at: '2024-01-03 08:00:00 +0800',
        },
        body,
      ),
    )

    // Act
    const html = await (await shareApp().request(article.shareUrl)).text()
    const page = parsePage(html)
    const stored = await (await api.request(`/api/articles/${article.infoCode}`, { headers: auth })).json()

    // Assess
    expect(page.meta('og:image')).toBe(`${BASE}/assets/cover.png`)
    expect(page.meta('og:description')).toBe('一句话摘要')
    expect(page.meta('article:modified_time')).toBe('2024-01-03T08:00:00+08:00')
    expect(html).toContain('作者：记者 张三')
    expect(html).toContain(`原文链接：<a href="${original}"`)
    expect(html).not.toMatch(/返回东财滚动新闻|finews\.withounder\.com/)
    expect(stored).toMatchObject({
      published: true,
      originalUrl: original,
      excerpt: '一句话摘要',
      image: '/assets/cover.png',
      author: '记者 张三',
      last_modified_at: '2024-01-03 08:00:00 +0800',
      summary: '一句话摘要',
    })
  })
})

describe('error pages', () => {
  it.each([
    ['no infoCode', 400, '/html_News/NewsShare.html'],
    ['an empty infoCode', 400, '/html_News/NewsShare.html?infoCode='],
    ['a malformed infoCode', 400, '/html_News/NewsShare.html?infoCode=nw2022'],
    ['markup in the infoCode', 400, '/html_News/NewsShare.html?infoCode=%3Cscript%3E'],
    ['broken percent-encoding', 400, '/html_News/NewsShare.html?infoCode=%E0%A4%A'],
    ['an unknown infoCode', 404, '/html_News/NewsShare.html?infoCode=NW000000000000000001'],
    ['a malformed short code', 404, '/s/abc'],
    ['a short code with markup', 404, '/s/%3Cb%3Exyzxyz'],
    ['broken percent-encoding in a short code', 404, '/s/%E0%A4%A'],
    ['an unknown short code', 404, '/s/ZZZZZZZ'],
    ['another method', 405, '/html_News/NewsShare.html?infoCode=NW000000000000000001', 'POST'],
  ])('answers %s with a %i page in the site look', async (_, status, path, method = 'GET') => {
    const response = await shareApp().request(`${BASE}${path}`, { method })

    expect(response.status).toBe(status)
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expectSecurityHeaders(response)
    const page = parsePage(await response.text())
    expect(page.elements.some((e) => e.tagName === 'header' && attr(e, 'class') === 'site')).toBe(true)
    expect(text(page.all('h1')[0]).length).toBeGreaterThan(0)
    expect(page.meta('robots')).toBe('noindex')
  })

  it('answers 410 for a deleted article, at its share page; its short link still leads there', async () => {
    // Prepare
    const article = await upload(post({ infoCode: 'NW202401020000000410', title: '"将被删除"' }))
    const app = shareApp()
    expect((await app.request(article.shareUrl)).status).toBe(200)
    await api.request(`/api/articles/${article.infoCode}`, { method: 'DELETE', headers: auth })

    // Act: a fresh instance, as a cold Lambda would be (a warm one may serve the page for one TTL)
    const page = await shareApp().request(article.shareUrl)
    const short = await shareApp().request(article.shortUrl, { headers: { 'User-Agent': BROWSER_UA } })

    // Assess
    expect(page.status).toBe(410)
    expect(text(parsePage(await page.text()).all('h1')[0])).toBe('文章已删除')
    expect(short.status).toBe(302)
    expect(short.headers.get('location')).toBe(article.shareUrl)
  })
})

describe('the body, rendered only for a page that is shown', () => {
  /** The renderer the share function uses (guarded, the allow-list's), noting each article it renders. */
  function countingRenderer() {
    const guarded = guardedRenderer({ baseUrl: BASE, log: () => undefined })
    const rendered: string[] = []
    const renderBody: BodyRenderer = (body, subject) => {
      rendered.push(subject.infoCode)
      return guarded(body, subject)
    }
    return { renderBody, rendered }
  }

  it('is not rendered for a draft, a deleted or a missing article', async () => {
    // Prepare
    const draft = await upload(post({ infoCode: 'NW202401020000000501', published: 'false' }, '**草稿**'))
    const deleted = await upload(post({ infoCode: 'NW202401020000000502' }, '**已删**'))
    await api.request(`/api/articles/${deleted.infoCode}`, { method: 'DELETE', headers: auth })
    const { renderBody, rendered } = countingRenderer()
    const app = shareApp({ renderBody })

    // Act
    const statuses = []
    for (const infoCode of [draft.infoCode, deleted.infoCode, 'NW202401020000000503']) {
      statuses.push((await app.request(`/html_News/NewsShare.html?infoCode=${infoCode}`)).status)
    }

    // Assess
    expect(statuses).toEqual([404, 410, 404])
    expect(rendered).toEqual([])
  })

  it('is rendered once for a published page, as Markdown sanitised by the allow-list', async () => {
    // Prepare
    const body = '**粗体**正文\n\n<script>alert(1)</script><img src="x.png" onerror="alert(1)" alt="图">'
    const article = await upload(post({ infoCode: 'NW202401020000000504' }, body))
    const { renderBody, rendered } = countingRenderer()
    const app = shareApp({ renderBody })

    // Act: twice; the second is served from the warm cache
    const first = await app.request(article.shareUrl)
    const again = await app.request(article.shareUrl)

    // Assess
    expect([first.status, again.status]).toEqual([200, 200])
    expect(rendered).toEqual([article.infoCode])
    const page = parsePage(await first.text())
    const shown = page.elements.find((e) => attr(e, 'class') === 'body')
    expect(shown?.childNodes.some((n) => 'tagName' in n && n.tagName === 'p')).toBe(true)
    expect(page.all('strong').map(text)).toContain('粗体')
    expect(text(shown)).not.toContain('alert')
    expect(page.all('script')).toEqual([])
    expect(page.elements.filter((e) => e.attrs.some((a) => a.name.startsWith('on')))).toEqual([])
  })

  it('is rendered from the body for an item that still holds an html stored before, which nothing shows', async () => {
    // Prepare: items written when bodies were stored rendered still hold an `html` (article and memberships)
    const article = await upload(post({ infoCode: 'NW202401020000000505', categories: 'oldhtml' }, '**粗体**正文'))
    const apiJson = async () => (await api.request(`/api/articles/${article.infoCode}`, { headers: auth })).text()
    const renderBody = guardedRenderer({ baseUrl: BASE, log: () => undefined })
    const feed = async () => {
      const source = { ...MARKETS_SOURCE, baseUrl: BASE, slug: 'oldhtml', renderBody }
      return renderAtom(buildFeed(await stack.articles.latest('oldhtml', 5), source, Date.now()))
    }
    const shown = async () => ({
      api: await apiJson(),
      page: await (await shareApp().request(article.shareUrl)).text(),
      feed: await feed(),
    })
    const before = await shown()
    const items = (await stack.allItems()).filter(
      (item) => item.infoCode === article.infoCode && (item.sk === 'ART' || String(item.pk).startsWith('FEED#')),
    )
    for (const item of items) {
      await stack.documentClient.send(
        new PutCommand({ TableName: stack.tableName, Item: { ...item, html: '<p>旧的渲染</p>' } }),
      )
    }

    // Act
    const after = await shown()

    // Assess
    expect(items).toHaveLength(3)
    expect(after).toEqual(before)
    expect(Object.values(after).join('')).not.toContain('旧的渲染')
    expect(after.page).toContain('<strong>粗体</strong>')
    expect(after.feed).toContain('&lt;strong&gt;粗体&lt;/strong&gt;')
  })
})

describe('short links', () => {
  it('answers 302 to the share page, not cacheable, and counts a person: 0 then 1', async () => {
    // Prepare
    const article = await upload(post({ infoCode: 'NW202401020000000302', title: '"短链接"' }))
    const app = shareApp()
    const before = await clicks(article.infoCode)

    // Act
    const response = await app.request(article.shortUrl, { headers: { 'User-Agent': BROWSER_UA } })

    // Assess
    expect(before).toBe(0)
    expect(response.status).toBe(302)
    expect(response.headers.get('location')).toBe(article.shareUrl)
    expect(response.headers.get('cache-control')).toBe('private, no-store')
    expectSecurityHeaders(response)
    expect(await clicks(article.infoCode)).toBe(1)
  })

  it('does not count crawlers, HEAD, or a request without User-Agent', async () => {
    // Prepare
    const article = await upload(post({ infoCode: 'NW202401020000000303', title: '"爬虫"' }))
    const app = shareApp()
    await app.request(article.shortUrl, { headers: { 'User-Agent': BROWSER_UA } })

    // Act
    const responses = await Promise.all([
      app.request(article.shortUrl, { headers: { 'User-Agent': 'Twitterbot/1.0' } }),
      app.request(article.shortUrl, {
        headers: { 'User-Agent': 'facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)' },
      }),
      app.request(article.shortUrl, { headers: { 'User-Agent': 'TelegramBot (like TwitterBot)' } }),
      app.request(article.shortUrl, { method: 'HEAD', headers: { 'User-Agent': BROWSER_UA } }),
      app.request(article.shortUrl),
    ])

    // Assess
    expect(responses.map((r) => r.status)).toEqual([302, 302, 302, 302, 302])
    expect(responses.map((r) => r.headers.get('location'))).toEqual(Array(5).fill(article.shareUrl))
    expect(await responses[3]?.text()).toBe('')
    expect(await clicks(article.infoCode)).toBe(1)
  })

  it('counts every click of people, also concurrent ones', async () => {
    const article = await upload(post({ infoCode: 'NW202401020000000304', title: '"并发"' }))
    const app = shareApp()

    await Promise.all(
      Array.from({ length: 20 }, () => app.request(article.shortUrl, { headers: { 'User-Agent': BROWSER_UA } })),
    )

    expect(await clicks(article.infoCode)).toBe(20)
  })
})

describe('the warm-instance cache', () => {
  it('serves a hot article from memory: 50 views cost one read until the TTL passes', async () => {
    // Prepare
    let now = 1_000_000
    const { store, calls } = countingStore(stack.articles)
    const app = shareApp({ articles: store, cache: { ttlMs: 60_000, now: () => now } })

    // Act
    const first = await Promise.all(Array.from({ length: 25 }, () => app.request(SHARE)))
    const second = await Promise.all(Array.from({ length: 25 }, () => app.request(SHARE)))
    const readsWarm = calls.get
    now += 60_001
    await app.request(SHARE)

    // Assess
    expect([...first, ...second].every((r) => r.status === 200)).toBe(true)
    expect(readsWarm).toBe(1)
    expect(calls.get).toBe(2)
  })

  it('remembers unknown articles and codes briefly, and resolves a code once', async () => {
    let now = 1_000_000
    const { store, calls } = countingStore(stack.articles)
    const app = shareApp({ articles: store, cache: { negativeTtlMs: 5_000, now: () => now } })
    const unknown = `${BASE}/html_News/NewsShare.html?infoCode=NW000000000000000002`

    for (let i = 0; i < 10; i++) await app.request(unknown)
    for (let i = 0; i < 10; i++) await app.request(`${BASE}/s/QQQQQQQ`)
    for (let i = 0; i < 10; i++) await app.request(`${BASE}${shortPath}`, { method: 'HEAD' })
    const before = { get: calls.get, resolve: calls.resolveShortCode }
    now += 5_001
    await app.request(unknown)

    expect(before).toEqual({ get: 1, resolve: 2 })
    expect(calls.get).toBe(2)
  })

  it('drops a page the moment the api in the same process changes or deletes its article', async () => {
    // Prepare: the api writes through a watched store, as in npm start
    const writes = watchWrites(stack.articles)
    const localApi = testApiApp(writes.store, { publicBaseUrl: BASE })
    const app = shareApp({ changes: writes.changes })
    const infoCode = 'NW202401020000000600'
    const url = `${BASE}/html_News/NewsShare.html?infoCode=${infoCode}`
    const missing = await app.request(url)
    const put = (title: string) =>
      localApi.request(`/api/articles/${infoCode}`, {
        method: 'PUT',
        headers: { ...auth, 'Content-Type': 'text/markdown' },
        body: post({ title: `"${title}"` }),
      })

    // Act
    await put('第一版')
    const first = parsePage(await (await app.request(url)).text()).meta('og:title')
    await put('第二版')
    const second = parsePage(await (await app.request(url)).text()).meta('og:title')
    await localApi.request(`/api/articles/${infoCode}`, { method: 'DELETE', headers: auth })
    const deleted = await app.request(url)

    // Assess
    expect(missing.status).toBe(404)
    expect([first, second]).toEqual(['第一版', '第二版'])
    expect(deleted.status).toBe(410)
  })
})
