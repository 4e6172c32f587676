import type { DynamoDBRecord } from 'aws-lambda'
import { describe, expect, it } from 'vitest'
import { ARCHIVE_ID_PATTERN, archiveLinks, archivePageId, archivePageKeys } from '#shared/feeds/archive'
import { buildFeed } from '#shared/feeds/build-feed'
import type { FeedDocument } from '#shared/feeds/feed-model'
import { renderAtom } from '#shared/feeds/render-atom'
import { renderJsonFeed } from '#shared/feeds/render-json'
import { renderRss } from '#shared/feeds/render-rss'
import { renderNewsSitemap, renderRobots, renderSitemapIndex, renderUrlset } from '#shared/feeds/render-sitemap'
import { memberKey } from '#shared/table'
import { changedKeysOf } from '../../functions/feeds/stream.ts'
import { atomSchemaErrors, feedEntry, MARKETS_SOURCE, xmlErrors } from '../support/feeds.ts'

const BASE = 'https://news.example.com'
const source = MARKETS_SOURCE

function archived(prev: boolean): FeedDocument {
  const feed = buildFeed([feedEntry()], source, Date.UTC(2030, 0, 1))
  const links = archiveLinks(BASE, 'markets', '20220415T192156Z-NW202204160321560001')
  return {
    ...feed,
    links,
    homePageUrl: links.page,
    history: {
      archived: true,
      prev: prev ? archiveLinks(BASE, 'markets', 'first') : undefined,
      current: { ...feed.links, page: feed.homePageUrl },
    },
  }
}

describe('archive pages', () => {
  it('are named by their boundary, and live under their feed', () => {
    // Act
    const id = archivePageId('2022-04-15T19:21:56.000Z#NW202204160321560001')
    const withMs = archivePageId('2022-04-15T19:21:56.250Z#NW202204160321560001')

    // Assess
    expect(id).toBe('20220415T192156Z-NW202204160321560001')
    expect(withMs).toBe('20220415T192156.250Z-NW202204160321560001')
    expect(archivePageId('')).toBe('first')
    for (const value of [id, withMs, 'first']) expect(ARCHIVE_ID_PATTERN.test(value)).toBe(true)
    expect(archivePageKeys('_site', 'first')).toEqual({
      rss: 'feeds/archive/first/rss.xml',
      atom: 'feeds/archive/first/atom.xml',
      json: 'feeds/archive/first/feed.json',
      page: 'archive/first.html',
      sitemap: 'sitemaps/site/first.xml',
    })
    expect(archivePageKeys('markets', id).page).toBe(`category/markets/${id}.html`)
    expect(archiveLinks(BASE, '市场', 'first').atom).toBe(`${BASE}/feeds/%E5%B8%82%E5%9C%BA/archive/first/atom.xml`)
  })

  it('are marked fh:archive with current and prev-archive links in Atom and RSS, next_url in JSON Feed', async () => {
    // Act
    const document = archived(true)
    const atom = renderAtom(document)
    const rss = renderRss(document)
    const json = JSON.parse(renderJsonFeed(document))

    // Assess
    expect(atom).toContain('xmlns:fh="http://purl.org/syndication/history/1.0"')
    expect(atom).toContain('<fh:archive/>')
    expect(atom).toContain(`<link rel="current" type="application/atom+xml" href="${BASE}/feeds/markets/atom.xml"/>`)
    expect(atom).toContain(
      `<link rel="prev-archive" type="application/atom+xml" href="${BASE}/feeds/markets/archive/first/atom.xml"/>`,
    )
    expect(rss).toContain('<fh:archive/>')
    expect(rss).toContain(
      `<atom:link href="${BASE}/feeds/markets/archive/first/rss.xml" rel="prev-archive" type="application/rss+xml"/>`,
    )
    expect(json.next_url).toBe(`${BASE}/feeds/markets/archive/first/feed.json`)
    expect(await xmlErrors({ atom, rss })).toEqual([])
    expect(await atomSchemaErrors({ atom })).toEqual([])
  })

  it('the oldest has no prev-archive; a head without archive has no RFC 5005 markup at all', () => {
    // Act
    const oldest = renderAtom(archived(false))
    const head = renderAtom(buildFeed([feedEntry()], source, Date.UTC(2030, 0, 1)))

    // Assess
    expect(oldest).toContain('<fh:archive/>')
    expect(oldest).not.toContain('prev-archive')
    expect(head).not.toContain('fh:')
    expect(head).not.toContain('prev-archive')
  })
})

describe('sitemaps', () => {
  it('write a urlset, an index without lastmod, a news sitemap and robots.txt, escaped', async () => {
    // Act
    const urlset = renderUrlset([{ loc: `${BASE}/a?x=1&y=2`, lastmod: '2022-04-16T03:21:56+08:00' }, { loc: BASE }])
    const index = renderSitemapIndex([`${BASE}/sitemaps/site/first.xml`])
    const news = renderNewsSitemap(
      [{ loc: `${BASE}/s`, title: 'A & <B>', published: '2022-04-16T03:21:56+08:00' }],
      '财经新闻',
      'zh-cn',
    )
    const robots = renderRobots([`${BASE}/sitemap.xml`])

    // Assess
    expect(urlset).toContain(
      `<url><loc>${BASE}/a?x=1&amp;y=2</loc><lastmod>2022-04-16T03:21:56+08:00</lastmod></url>\n<url><loc>${BASE}</loc></url>`,
    )
    expect(index).toContain(`<sitemap><loc>${BASE}/sitemaps/site/first.xml</loc></sitemap>`)
    expect(index).not.toContain('lastmod')
    expect(news).toContain('<news:title>A &amp; &lt;B&gt;</news:title>')
    expect(news).toContain('<news:language>zh-cn</news:language>')
    expect(await xmlErrors({ urlset, index, news })).toEqual([])
    expect(robots).toBe(`User-agent: *\nDisallow: /api/\nDisallow: /s/\n\nSitemap: ${BASE}/sitemap.xml\n`)
  })
})

describe('changedKeysOf', () => {
  it('names the member keys of an article before and after, in each feed it was or is in', () => {
    // Prepare: an edit that moves the article to another category and another publish time
    const before = Date.UTC(2020, 0, 1)
    const after = Date.UTC(2021, 0, 1)
    const record = {
      eventName: 'MODIFY',
      dynamodb: {
        Keys: { pk: { S: 'ART#NW202001010000000001' }, sk: { S: 'ART' } },
        OldImage: {
          infoCode: { S: 'NW202001010000000001' },
          publishedAt: { N: String(before) },
          categories: { L: [{ S: 'markets' }] },
        },
        NewImage: {
          infoCode: { S: 'NW202001010000000001' },
          publishedAt: { N: String(after) },
          categories: { L: [{ S: 'banks' }] },
        },
      },
    } as unknown as DynamoDBRecord

    // Act
    const changed = changedKeysOf(record)

    // Assess
    const old = memberKey(before, 'NW202001010000000001')
    const moved = memberKey(after, 'NW202001010000000001')
    expect(Object.fromEntries(changed)).toEqual({ _site: [old, moved], markets: [old], banks: [moved] })
    expect(
      changedKeysOf({ dynamodb: { Keys: { pk: { S: 'CAT' }, sk: { S: 'markets' } } } } as DynamoDBRecord).size,
    ).toBe(0)
  })
})
