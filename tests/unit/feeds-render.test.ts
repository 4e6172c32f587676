import { describe, expect, it } from 'vitest'
import { buildFeed, categoryLabel, type FeedSource, OLDEST_FEED_DATE_MS } from '#shared/feeds/build-feed'
import { isoDate, rfc822Date } from '#shared/feeds/feed-model'
import { FEED_CACHE_CONTROL, FEED_TTL_MINUTES } from '#shared/feeds/formats'
import { plainTitle } from '#shared/feeds/plain-title'
import { renderAtom } from '#shared/feeds/render-atom'
import { renderJsonFeed } from '#shared/feeds/render-json'
import { renderOpml } from '#shared/feeds/render-opml'
import { renderRss } from '#shared/feeds/render-rss'
import { escapeXmlAttribute, escapeXmlText } from '#shared/feeds/xml'
import { renderCategoryPage } from '#shared/pages/feed-pages'
import { atomSchemaErrors, feedEntry, parseJsonFeed, parseXmlFeed, xmlErrors } from '../support/feeds.ts'
import { parsePage } from '../support/parse-html.ts'

const BASE = 'https://news.example.com'
const SHARE = `${BASE}/html_News/NewsShare.html?infoCode=NW202204162345423378`
// A fixed clock: the renderers never read the time, buildFeed only uses it to leave out future items.
const NOW = Date.parse('2024-06-01T00:00:00Z')

function source(overrides: Partial<FeedSource> = {}): FeedSource {
  return {
    baseUrl: BASE,
    siteName: '财经新闻',
    slug: 'zhongguojingyingwang',
    categoryTitles: new Map([
      ['zhongguojingyingwang', '中国经营网新闻'],
      ['markets', '市场'],
    ]),
    hubUrl: undefined,
    siteOffsetMinutes: 480,
    ...overrides,
  }
}

const ENTRIES = [
  feedEntry(),
  feedEntry({
    infoCode: 'NW202204150900000001',
    title: '美股收盘：道指 <涨> 1% & 纳指持平',
    date: '2022-04-15T09:00:00-05:00',
    publishedAt: Date.parse('2022-04-15T09:00:00-05:00'),
    // Stored (imported) long after the content last changed: the record's time is never the item's.
    updatedAt: '2024-01-01T00:00:00.000Z',
    modifiedAt: '2022-04-19T20:02:03-05:00',
    categories: ['zhongguojingyingwang', 'markets'],
    body: '<p>A &amp; B <a href="https://example.com/?a=1&amp;b=2">链接</a></p>',
    summary: 'A & B 链接',
    source: undefined,
    author: '张三 <记者>',
    image: '/images/a&b.png',
    originalUrl: 'http://finance.eastmoney.com/news/1354,202204150900000001.html',
  }),
]

describe('the four formats of one feed', () => {
  it('renders the same data to the same bytes, pinned by snapshots; Atom valid against RFC 4287', async () => {
    // Prepare
    const feed = buildFeed(ENTRIES, source({ hubUrl: 'https://hub.example.com/' }), NOW)

    // Act
    const outputs = {
      rss: renderRss(feed),
      atom: renderAtom(feed),
      json: renderJsonFeed(feed),
      opml: renderOpml({
        title: '财经新闻 订阅源',
        homePageUrl: `${BASE}/`,
        ownerName: '财经新闻',
        outlines: [
          { title: '市场 <b>', xmlUrl: `${BASE}/feeds/markets/rss.xml`, htmlUrl: `${BASE}/category/markets.html` },
        ],
      }),
    }
    const later = buildFeed([...ENTRIES].reverse(), source({ hubUrl: 'https://hub.example.com/' }), NOW + 86_400_000)

    // Assess
    expect(outputs.rss).toMatchSnapshot('rss')
    expect(outputs.atom).toMatchSnapshot('atom')
    expect(outputs.json).toMatchSnapshot('json')
    expect(outputs.opml).toMatchSnapshot('opml')
    expect(await atomSchemaErrors({ atom: outputs.atom, empty: renderAtom(buildFeed([], source(), NOW)) })).toEqual([])
    expect(renderRss(later)).toBe(outputs.rss)
    expect(renderAtom(later)).toBe(outputs.atom)
    expect(renderJsonFeed(later)).toBe(outputs.json)
  })

  it('keeps each date in its own offset: RFC 822 in RSS, RFC 3339 in Atom and JSON', () => {
    const feed = buildFeed(ENTRIES, source(), NOW)

    const rss = renderRss(feed)
    const atom = renderAtom(feed)
    const json = JSON.parse(renderJsonFeed(feed))

    expect(rss).toContain('<pubDate>Sat, 16 Apr 2022 03:21:56 +0800</pubDate>')
    expect(rss).toContain('<pubDate>Fri, 15 Apr 2022 09:00:00 -0500</pubDate>')
    expect(atom).toContain('<published>2022-04-16T03:21:56+08:00</published>')
    expect(atom).toContain('<published>2022-04-15T09:00:00-05:00</published>')
    expect(json.items.map((i: { date_published: string }) => i.date_published)).toEqual([
      '2022-04-16T03:21:56+08:00',
      '2022-04-15T09:00:00-05:00',
    ])
  })

  it('gives every item one id, equal to its link and to the share URL, in every format and parser', () => {
    const feed = buildFeed(ENTRIES, source(), NOW)

    const parsed = [
      ...parseXmlFeed(renderRss(feed)),
      ...parseXmlFeed(renderAtom(feed)),
      ...parseJsonFeed(renderJsonFeed(feed)),
    ]

    expect(parsed).toHaveLength(8)
    for (const one of parsed) {
      expect(
        one.items.map((i) => i.id),
        one.parser,
      ).toEqual([SHARE, `${BASE}/html_News/NewsShare.html?infoCode=NW202204150900000001`])
      for (const item of one.items) expect(item.link, one.parser).toBe(item.id)
    }
  })

  it('takes `updated` from the newest item, and a fixed date for an empty feed, never the clock', () => {
    const feed = buildFeed(ENTRIES, source(), NOW)
    const empty = buildFeed([], source(), NOW)

    // The second item's content changed last (its last_modified_at), shown in its own offset; the first
    // was stored later than it was published, which is not a change of its content.
    expect(isoDate(feed.updated)).toBe('2022-04-19T20:02:03-05:00')
    expect(feed.items.map((item) => isoDate(item.updated))).toEqual([
      '2022-04-16T03:21:56+08:00',
      '2022-04-19T20:02:03-05:00',
    ])
    expect(renderAtom(empty)).toContain('<updated>1990-01-01T08:00:00+08:00</updated>')
    expect(empty.updated.epochMs).toBe(OLDEST_FEED_DATE_MS)
    expect(renderRss(buildFeed([], source(), NOW + 1))).toBe(renderRss(empty))
  })

  it('leaves out future, pre-1990, undated and mis-keyed items', () => {
    const entries = [
      feedEntry({ infoCode: 'NW202406010000000001', date: '2024-06-01T08:00:01+08:00' }),
      feedEntry({ infoCode: 'NW198912310000000001', date: '1989-12-31T23:59:59Z' }),
      feedEntry({ infoCode: 'NW202201010000000001', date: 'not a date' }),
      feedEntry({ infoCode: 'NW202202300000000001', date: '2022-02-30T10:00:00+08:00' }),
      feedEntry({ infoCode: 'not-an-info-code' }),
      feedEntry({ infoCode: 'NW202406010000000002', date: '2024-06-01T08:00:00+08:00' }),
    ]

    const feed = buildFeed(entries, source(), NOW)

    expect(feed.items.map((i) => i.id)).toEqual([`${BASE}/html_News/NewsShare.html?infoCode=NW202406010000000002`])
    expect(renderRss(feed)).not.toMatch(/Invalid Date|NaN/)
  })

  it('writes what the validator asks of a feed: author, descriptions, self links, ttl, slugs as terms', () => {
    const feed = buildFeed(
      [feedEntry({ summary: '', categories: ['zhongguojingyingwang', 'Bad Slug', 'markets'] })],
      source({
        categoryTitles: new Map([
          ['zhongguojingyingwang', '中国经营网新闻'],
          ['markets', '<script>市场</script>'],
        ]),
      }),
      NOW,
    )

    const rss = renderRss(feed)
    const atom = renderAtom(feed)
    const json = JSON.parse(renderJsonFeed(feed))

    expect(atom).toContain('<author><name>财经新闻</name></author>')
    expect(json.authors).toEqual([{ name: '财经新闻' }])
    expect(rss).toContain(
      `<atom:link href="${BASE}/feeds/zhongguojingyingwang/rss.xml" rel="self" type="application/rss+xml"/>`,
    )
    expect(atom).toContain(
      `<link rel="self" type="application/atom+xml" href="${BASE}/feeds/zhongguojingyingwang/atom.xml"/>`,
    )
    expect(json.feed_url).toBe(`${BASE}/feeds/zhongguojingyingwang/feed.json`)
    expect(rss).toContain(`<ttl>${FEED_TTL_MINUTES}</ttl>`)
    expect(FEED_CACHE_CONTROL).toBe(`public, max-age=${FEED_TTL_MINUTES * 60}`)
    // An empty summary falls back to the title: no item without a description.
    expect(rss).toContain('<description>“数字化+专业化”：邮储银行纾困171万普惠小微客户</description>')
    expect(json.items[0].summary).toBe(json.items[0].title)
    expect(rss).toMatch(/<channel>[\s\S]*<description>财经新闻「中国经营网新闻」栏目的最新文章<\/description>/)
    const terms = [...atom.matchAll(/<category term="([^"]*)"[^>]*label="([^"]*)"/g)].map((m) => [m[1], m[2]])
    expect(terms).toEqual([
      ['zhongguojingyingwang', '中国经营网新闻'],
      ['markets', 'script市场/script'],
    ])
    expect(rss).not.toContain('Bad Slug')
  })

  it('announces the WebSub hub in every format only when one is set', () => {
    const withHub = buildFeed(ENTRIES, source({ hubUrl: 'https://hub.example.com/' }), NOW)
    const without = buildFeed(ENTRIES, source(), NOW)

    expect(renderRss(withHub)).toContain('<atom:link href="https://hub.example.com/" rel="hub"/>')
    expect(renderAtom(withHub)).toContain('<link rel="hub" href="https://hub.example.com/"/>')
    expect(JSON.parse(renderJsonFeed(withHub)).hubs).toEqual([{ type: 'WebSub', url: 'https://hub.example.com/' }])
    expect(renderRss(without)).not.toContain('rel="hub"')
    expect(renderAtom(without)).not.toContain('rel="hub"')
    expect(JSON.parse(renderJsonFeed(without)).hubs).toBeUndefined()
  })

  it('writes JSON Feed 1.1', () => {
    const json = JSON.parse(renderJsonFeed(buildFeed(ENTRIES, source(), NOW)))

    expect(json.version).toBe('https://jsonfeed.org/version/1.1')
    expect(json.language).toBe('zh-CN')
    expect(json.items[1]).toMatchObject({
      title: '美股收盘：道指 <涨> 1% & 纳指持平',
      tags: ['中国经营网新闻', '市场'],
    })
  })
})

describe('titles per format', () => {
  it.each([
    ['<b>邮储银行</b> &amp; 小微', '邮储银行 & 小微'],
    ['A < B & C > D', 'A < B & C > D'],
    ['&amp;lt;b&amp;gt;x', 'x'],
    ['<script>alert(1)</script>标题', 'alert(1)标题'],
    ['&copy; 2024', '＆copy; 2024'],
    ['<br>', '＜br＞'],
    ['  多个   空格\n换行  ', '多个 空格 换行'],
  ])('RSS gets %j as %j: plain text, no markup, no reference', (title, expected) => {
    expect(plainTitle(title)).toBe(expected)
  })

  it('Atom escapes the title as HTML, RSS strips its markup, JSON keeps it as typed', async () => {
    const feed = buildFeed([feedEntry({ title: '<b>重要</b> x < y & z' })], source(), NOW)

    const rss = renderRss(feed)
    const atom = renderAtom(feed)
    const json = JSON.parse(renderJsonFeed(feed))

    expect(rss).toContain('<title>重要 x &lt; y &amp; z</title>')
    expect(atom).toContain(
      '<title type="html">&amp;lt;b&amp;gt;重要&amp;lt;/b&amp;gt; x &amp;lt; y &amp;amp; z</title>',
    )
    expect(json.items[0].title).toBe('<b>重要</b> x < y & z')
    for (const parsed of parseXmlFeed(atom)) expect(parsed.items[0]?.title, parsed.parser).toBe('<b>重要</b> x < y & z')
    for (const parsed of parseXmlFeed(rss)) expect(parsed.items[0]?.title, parsed.parser).toBe('重要 x < y & z')
  })
})

describe('escaping', () => {
  it('escapes the five XML specials and never lets `]]>` through, in text or attributes', () => {
    expect(escapeXmlText('a<b>&c ]]> ]]>')).toBe('a&lt;b&gt;&amp;c ]]&gt; ]]&gt;')
    expect(escapeXmlAttribute(`"'<>&\t\n`)).toBe('&quot;&apos;&lt;&gt;&amp;&#9;&#10;')
  })

  it('drops characters XML forbids, lone surrogates included', () => {
    expect(escapeXmlText('a\u0000b\u0001c\u0008d\u000be\u001ff\u007fg\u0085h\ud800i\udc00j\ufffek\uffffl😀')).toBe(
      'abcdefghijkl😀',
    )
  })

  it('keeps hostile titles and bodies well-formed in every XML format', async () => {
    const title = 'x ]]> y ]]> \u0001\u0002 \ud800 <script>alert(1)</script> & <b>'
    const body = '<p>]]>one</p><p>]]>two</p>\u0003\udfff<script>alert(1)</script><img src=x onerror=alert(1)>'
    const feed = buildFeed([feedEntry({ title, body })], source(), NOW)
    const documents = {
      rss: renderRss(feed),
      atom: renderAtom(feed),
      opml: renderOpml({
        title,
        homePageUrl: BASE,
        ownerName: title,
        outlines: [{ title, xmlUrl: BASE, htmlUrl: BASE }],
      }),
    }

    const errors = await xmlErrors(documents)

    expect(errors).toEqual([])
    for (const text of [...Object.values(documents), renderJsonFeed(feed)]) {
      expect(text).not.toContain(']]>')
      expect(text).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/)
    }
  })
})

describe('pages', () => {
  it('escapes titles, links items to their share pages and carries feed autodiscovery', async () => {
    const feed = buildFeed([feedEntry({ title: '</title><script>alert(1)</script>' })], source(), NOW)

    const html = await renderCategoryPage(feed, categoryLabel('zhongguojingyingwang', '中国经营网新闻'), {
      siteName: '财经新闻',
      baseUrl: BASE,
      siteOffsetMinutes: 480,
    })
    const page = parsePage(html)

    expect(page.all('script')).toEqual([])
    expect(page.all('html')[0]?.attrs).toContainEqual({ name: 'lang', value: 'zh-CN' })
    const alternates = page
      .all('link')
      .filter((l) => l.attrs.some((a) => a.name === 'rel' && a.value === 'alternate'))
      .map((l) => l.attrs.find((a) => a.name === 'type')?.value)
    expect(alternates).toEqual(['application/rss+xml', 'application/atom+xml', 'application/feed+json'])
    expect(page.all('a').map((a) => a.attrs.find((x) => x.name === 'href')?.value)).toContain(SHARE)
    expect(html).toContain('2022-04-16 03:21')
  })
})

describe('dates', () => {
  it('formats RFC 822 with a four-digit year and the offset as ±hhmm', () => {
    expect(rfc822Date({ epochMs: Date.parse('2022-04-15T19:21:56Z'), offsetMinutes: 480 })).toBe(
      'Sat, 16 Apr 2022 03:21:56 +0800',
    )
    expect(rfc822Date({ epochMs: Date.parse('2000-01-01T00:00:00Z'), offsetMinutes: -330 })).toBe(
      'Fri, 31 Dec 1999 18:30:00 -0530',
    )
  })
})
