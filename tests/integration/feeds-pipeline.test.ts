import { createServer, type Server } from 'node:http'
import { marshall } from '@aws-sdk/util-dynamodb'
import type { AttributeValue } from 'aws-lambda'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { s3ObjectStore } from '#shared/adapters/s3-object-store'
import { websubHub } from '#shared/adapters/websub-hub'
import { SITE_FEED } from '#shared/domain/model'
import { plainTitle } from '#shared/feeds/plain-title'
import type { ArticleStore, ArticleWrite } from '#shared/ports/article-store'
import type { ObjectStore } from '#shared/ports/object-store'
import type { createApiApp } from '../../functions/api/app.ts'
import { createFeedPublisher, type FeedPublisher } from '../../functions/feeds/regenerate.ts'
import { createStreamHandler } from '../../functions/feeds/stream.ts'
import { type StreamPoller, startStreamPoller } from '../../local/stream-poller.ts'
import {
  activeContent,
  atomSchemaErrors,
  type ParsedFeed,
  parseJsonFeed,
  parseXmlFeed,
  xmlErrors,
} from '../support/feeds.ts'
import { listenOnLoopback } from '../support/loopback.ts'
import { attr, parsePage } from '../support/parse-html.ts'
import { TEST_KEY, testApiApp, testStack } from '../support/stack.ts'

const BASE = 'https://news.example.com'
const silent = () => undefined
const share = (infoCode: string) => `${BASE}/html_News/NewsShare.html?infoCode=${infoCode}`
const FEED_FILES = ['rss.xml', 'atom.xml', 'feed.json'] as const

let stack: Awaited<ReturnType<typeof testStack>>
let articles: ArticleStore
let objects: ObjectStore
let publisher: FeedPublisher
let poller: StreamPoller
let api: ReturnType<typeof createApiApp>
let hub: { server: Server; url: string; pings: string[] }

beforeAll(async () => {
  stack = await testStack()
  hub = await startHub()
  articles = stack.articles
  objects = s3ObjectStore({ client: stack.s3, bucket: stack.bucketName })
  publisher = createFeedPublisher({
    articles,
    objects,
    hub: websubHub({ hubUrl: hub.url, log: silent }),
    hubUrl: hub.url,
    publicBaseUrl: BASE,
    siteName: '财经新闻',
    feedSize: 50,
    siteOffsetMinutes: 480,
    log: silent,
  })
  poller = await startStreamPoller({
    endpoint: stack.settings.dynamoEndpoint,
    tableName: stack.tableName,
    handler: createStreamHandler(publisher, silent),
    batchWindowMs: 200,
    idlePollMs: 50,
    log: silent,
  })
  api = testApiApp(articles, { publicBaseUrl: BASE })
})
afterAll(async () => {
  await poller?.stop()
  await new Promise((resolve) => hub?.server.close(resolve))
  await stack?.dispose()
})

const send = (method: string, path: string, body?: unknown) =>
  api.request(path, {
    method,
    headers: { Authorization: `Bearer ${TEST_KEY}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })

async function text(key: string): Promise<string | undefined> {
  const object = await objects.get(key)
  return object ? new TextDecoder().decode(object.body) : undefined
}

/** The three feeds of a category (or the site) as every parser reads them, keyed by format. */
async function feeds(slug?: string): Promise<Record<(typeof FEED_FILES)[number], ParsedFeed[]>> {
  const dir = slug ? `feeds/${slug}` : 'feeds'
  const [rss, atom, json] = await Promise.all(FEED_FILES.map((file) => text(`${dir}/${file}`)))
  return {
    'rss.xml': parseXmlFeed(rss ?? ''),
    'atom.xml': parseXmlFeed(atom ?? ''),
    'feed.json': parseJsonFeed(json ?? ''),
  }
}

async function idsEverywhere(slug?: string): Promise<string[][]> {
  return Object.values(await feeds(slug)).flatMap((parsed) => parsed.map((p) => p.items.map((i) => i.id)))
}

const direct = (infoCode: string, fields: Partial<ArticleWrite>): ArticleWrite & { infoCode: string } => ({
  infoCode,
  title: '直接写入',
  date: '2024-01-03T10:00:00+08:00',
  publishedAt: Date.parse('2024-01-03T10:00:00+08:00'),
  categories: ['markets'],
  tags: [],
  body: '<p>正文</p>',
  summary: '正文',
  source: undefined,
  extra: {},
  ...fields,
  categoryNames: fields.categoryNames ?? fields.categories ?? ['markets'],
})

const HOSTILE_BODY = [
  '<p>第一段 ]]> 注入 <link>https://evil.example/</link></p>',
  '<p>第二段 ]]><item><title>假</title></item></p>',
  '<script>alert(1)</script>',
  '<img src="x" onerror="alert(1)">',
  '<a href="javascript:alert(1)">点我</a> <a href="JaVaScRiPt:alert(2)">再点</a>',
  '<p style="display:none">隐藏的段落</p>',
  '<!-- comment ]]> -->',
  '<svg onload="alert(1)"></svg><iframe src="https://evil.example/"></iframe>',
].join('\n')

const A = 'NW202401021000000001'
const B = 'NW202401011000000002'
const FUTURE = 'NW299901010000000003'
const E = 'NW202401031000000005'
const BAD_DATE = 'NW202401040000000006'
const OLD = 'NW198906010000000007'

describe('hostile articles through the whole pipeline (store, stream, handler, S3)', () => {
  it('publishes well-formed, script-free feeds that every parser reads, leaving out what must not show', async () => {
    // Prepare: hostile content over HTTP where the API accepts it, straight into the store where it would not.
    const uploads = await Promise.all([
      send('PUT', `/api/articles/${A}`, {
        title: '<b>重要</b> 美股 < 3000 & 回落 ]]> x',
        date: '2024-01-02 10:00:00 +0800',
        categories: ['markets'],
        body: `${HOSTILE_BODY}\u0007\u0085`,
      }),
      send('PUT', `/api/articles/${B}`, {
        title: '</title><script>alert(1)</script>标题',
        date: '2024-01-01T10:00:00+08:00',
        categories: ['markets', 'bonds'],
        body: '<p onclick="alert(1)">正文</p>',
      }),
      send('PUT', `/api/articles/${FUTURE}`, {
        title: '未来',
        date: '2999-01-01 00:00:00 +0800',
        categories: ['markets'],
        body: 'x',
      }),
    ])
    const invalid = await send('PUT', '/api/articles/NW202402300000000004', {
      title: '二月三十日',
      date: '2024-02-30 10:00:00 +0800',
      categories: ['markets'],
      body: 'x',
    })
    await articles.put(
      direct(E, {
        title: 'x\ud800y\u0001z ]]>',
        body: 'a\udfffb ]]> ]]> \u0002 <script>1</script>',
        summary: 's\u0003',
      }),
      'hash-e',
    )
    await articles.put(direct(BAD_DATE, { date: 'not a date' }), 'hash-bad-date')
    await articles.put(
      direct(OLD, { date: '1989-06-01T00:00:00+08:00', publishedAt: Date.parse('1989-06-01T00:00:00+08:00') }),
      'hash-old',
    )

    // Act
    await poller.drained()

    // Assess
    expect(uploads.map((r) => r.status)).toEqual([201, 201, 201])
    expect(invalid.status).toBe(400)
    const keys = [
      ...FEED_FILES.flatMap((f) => [`feeds/${f}`, `feeds/markets/${f}`, `feeds/bonds/${f}`]),
      'feeds/index.opml',
      'category/markets.html',
      'category/bonds.html',
      'index.html',
    ]
    const outputs = Object.fromEntries(await Promise.all(keys.map(async (k) => [k, (await text(k)) ?? ''] as const)))
    for (const [key, body] of Object.entries(outputs)) {
      expect(body, key).not.toBe('')
      expect(body, key).not.toContain(']]>')
      expect(body, key).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufffe\uffff]/)
      expect(body, key).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/)
      expect(body, key).not.toContain('隐藏的段落')
      // The hostile markup's text may stay as text; no element or attribute may carry it.
      expect(body, key).not.toMatch(/<link>https:\/\/evil|src="https:\/\/evil|&lt;link&gt;https:\/\/evil/)
    }
    const xml = Object.fromEntries(Object.entries(outputs).filter(([k]) => /\.(xml|opml)$/.test(k)))
    expect(await xmlErrors(xml)).toEqual([])
    expect(
      await atomSchemaErrors(Object.fromEntries(Object.entries(xml).filter(([k]) => k.endsWith('atom.xml')))),
    ).toEqual([])

    const markets = await feeds('markets')
    for (const [file, parsers] of Object.entries(markets)) {
      for (const parsed of parsers) {
        expect(
          parsed.items.map((i) => i.id),
          `${file} ${parsed.parser}`,
        ).toEqual([share(E), share(A), share(B)])
        for (const item of parsed.items) {
          expect(item.link, parsed.parser).toBe(item.id)
          expect(activeContent(item.content ?? ''), `${file} ${parsed.parser}`).toEqual([])
        }
      }
    }
    const titleOfA = (file: (typeof FEED_FILES)[number]) => markets[file][0]?.items[1]?.title
    expect(titleOfA('atom.xml')).toBe('<b>重要</b> 美股 < 3000 & 回落 ]]> x')
    expect(titleOfA('feed.json')).toBe('<b>重要</b> 美股 < 3000 & 回落 ]]> x')
    expect(titleOfA('rss.xml')).toBe(plainTitle('<b>重要</b> 美股 < 3000 & 回落 ]]> x'))
    expect(markets['atom.xml'][0]?.items[0]?.title).toBe('xyz ]]>')
    expect(outputs['feeds/markets/rss.xml']).toContain('<pubDate>Tue, 02 Jan 2024 10:00:00 +0800</pubDate>')
    for (const key of ['category/markets.html', 'index.html']) {
      const page = parsePage(outputs[key] ?? '')
      expect(page.all('script'), key).toEqual([])
      expect(
        page.elements.flatMap((e) => e.attrs.filter((a) => /^on/i.test(a.name))),
        key,
      ).toEqual([])
      expect(page.all('a').map((a) => a.attrs.find((x) => x.name === 'href')?.value)).toContain(share(A))
    }
    expect(await idsEverywhere('bonds')).toEqual(Array(8).fill([share(B)]))
    expect(await idsEverywhere()).toEqual(Array(8).fill([share(E), share(A), share(B)]))
    expect(outputs['feeds/index.opml']).toContain(`xmlUrl="${BASE}/feeds/bonds/rss.xml"`)
  })

  it('writes nothing when nothing changed: a full rebuild of the same data keeps every object', async () => {
    const before = hub.pings.length

    const result = await publisher.rebuildAll({ pageSize: 2 })

    expect(result.failed.size).toBe(0)
    expect(result.written).toEqual([])
    expect(hub.pings.length).toBe(before)
  })

  it("writes the site's 404.html with the site feed, once, and again only when its bytes change", async () => {
    // The stream's regenerations above wrote it, in the site's shell and language.
    const written = await text('404.html')
    expect(attr(parsePage(written ?? '').all('html')[0], 'lang')).toBe('zh-CN')
    expect(written).toContain('页面不存在')
    expect(written).toContain(`href="${BASE}/categories.html"`)
    expect((await objects.get('404.html'))?.contentType).toBe('text/html; charset=utf-8')
    const another = (siteName: string) =>
      createFeedPublisher({
        articles,
        objects,
        publicBaseUrl: BASE,
        siteName,
        feedSize: 50,
        siteOffsetMinutes: 480,
        log: silent,
      })

    // Act: a new process with the same settings, then one whose site name changed (new bytes), twice.
    const sameProcess = await another('财经新闻').publish([SITE_FEED])
    const renamed = another('财经新闻网')
    const first = await renamed.publish([SITE_FEED])
    const second = await renamed.publish([SITE_FEED])
    const renamedAgain = await another('财经新闻网').writeNotFoundPage()

    // Assess
    expect(sameProcess.written).not.toContain('404.html')
    expect(first.written).toContain('404.html')
    expect(second.written).not.toContain('404.html')
    expect(renamedAgain).toEqual([])
    expect(await text('404.html')).toContain('财经新闻网')
    // Back to this file's site name for the tests below.
    expect((await another('财经新闻').publish([SITE_FEED])).written).toContain('404.html')
  })

  it('moves an edited article between feeds and drops a deleted one from all of them', async () => {
    const moved = await send('PUT', `/api/articles/${A}`, {
      title: '改到债券',
      date: '2024-01-02 10:00:00 +0800',
      categories: ['bonds'],
      body: '<p>新正文</p>',
    })
    const deleted = await send('DELETE', `/api/articles/${B}`)

    await poller.drained()

    expect([moved.status, deleted.status]).toEqual([200, 204])
    expect(await idsEverywhere('markets')).toEqual(Array(8).fill([share(E)]))
    expect(await idsEverywhere('bonds')).toEqual(Array(8).fill([share(A)]))
    expect(await idsEverywhere()).toEqual(Array(8).fill([share(E), share(A)]))
  })

  it('renames a category in its feeds, its page, the home feed and the OPML list', async () => {
    const renamed = await send('PUT', '/api/categories/markets', { title: '股市 <新>', description: '' })

    await poller.drained()

    // A category label never carries `<` or `>` (the validator's rule for category labels), in any output.
    expect(renamed.status).toBe(200)
    expect(await text('feeds/markets/rss.xml')).toContain('<title>股市 新 - 财经新闻</title>')
    expect((await feeds('markets'))['atom.xml'][0]?.title).toBe('股市 新 - 财经新闻')
    expect(await text('feeds/index.opml')).toContain('text="股市 新"')
    expect(await text('category/markets.html')).toContain('<h1>股市 新</h1>')
    expect(await text('feeds/atom.xml')).toContain('label="股市 新"')
  })

  it('pings the hub for each feed URL whose bytes changed, and announces it in the feeds and Link metadata', async () => {
    const stored = await objects.get('feeds/markets/rss.xml')

    expect(new Set(hub.pings)).toEqual(
      new Set(
        ['', '/markets', '/bonds'].flatMap((dir) =>
          FEED_FILES.map((f) => `hub.mode=publish&hub.url=${encodeURIComponent(`${BASE}/feeds${dir}/${f}`)}`),
        ),
      ),
    )
    expect(stored?.link).toBe(`<${hub.url}>; rel="hub", <${BASE}/feeds/markets/rss.xml>; rel="self"`)
    expect(new TextDecoder().decode(stored?.body)).toContain(`<atom:link href="${hub.url}" rel="hub"/>`)
  })
})

describe('failures', () => {
  it('reports the first record whose feed could not be written as the partial batch failure', async () => {
    const broken = createFeedPublisher({
      articles,
      objects: s3ObjectStore({ client: stack.s3, bucket: 'no-such-bucket-finews' }),
      publicBaseUrl: BASE,
      siteName: '财经新闻',
      feedSize: 50,
      siteOffsetMinutes: 480,
      log: silent,
    })
    const image = (value: Record<string, unknown>) => marshall(value) as Record<string, AttributeValue>
    const record = (pk: string, sequence: string, categories: string[]) => ({
      eventName: 'INSERT' as const,
      dynamodb: { Keys: image({ pk, sk: 'ART' }), NewImage: image({ pk, categories }), SequenceNumber: sequence },
    })

    const response = await createStreamHandler(
      broken,
      silent,
    )({
      Records: [record(`ART#${A}`, '11', ['bonds']), record(`ART#${E}`, '12', ['markets'])],
    })

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: '11' }] })
  })

  it('keeps the feed write when the hub hangs: the ping times out, the feed is there', async () => {
    const hanging = createServer(() => undefined)
    const { port } = await listenOnLoopback(hanging)
    const withHangingHub = createFeedPublisher({
      articles,
      objects,
      hub: websubHub({ hubUrl: `http://127.0.0.1:${port}/`, timeoutMs: 200, attempts: 2, backoffMs: 10, log: silent }),
      hubUrl: `http://127.0.0.1:${port}/`,
      publicBaseUrl: BASE,
      siteName: '财经新闻',
      feedSize: 50,
      siteOffsetMinutes: 480,
      log: silent,
    })

    const result = await withHangingHub.regenerateCategory('markets')
    hanging.closeAllConnections()
    await new Promise((resolve) => hanging.close(resolve))

    expect(result.failed.size).toBe(0)
    expect(result.written).toContain('feeds/markets/rss.xml')
    expect(await text('feeds/markets/rss.xml')).toContain(`<atom:link href="http://127.0.0.1:${port}/" rel="hub"/>`)
  })
})

async function startHub(): Promise<{ server: Server; url: string; pings: string[] }> {
  const pings: string[] = []
  const server = createServer((request, response) => {
    let body = ''
    request.on('data', (chunk) => {
      body += chunk
    })
    request.on('end', () => {
      pings.push(body)
      response.writeHead(204).end()
    })
  })
  const { url } = await listenOnLoopback(server)
  return { server, url: `${url}/`, pings }
}
