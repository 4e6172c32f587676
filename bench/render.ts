import { Feed } from 'feed'
import MarkdownIt from 'markdown-it'
import { renderHtml } from '#shared/content/render-body'
import { summariseBody } from '#shared/content/summary'
import type { FeedEntry } from '#shared/domain/model'
import { shareUrl } from '#shared/domain/urls'
import { buildFeed, type FeedSource } from '#shared/feeds/build-feed'
import { renderAtom } from '#shared/feeds/render-atom'
import { renderJsonFeed } from '#shared/feeds/render-json'
import { renderRss } from '#shared/feeds/render-rss'
import { BENCH_OFFSET_MINUTES, generateArticle } from './articles.ts'
import type { BenchContext } from './context.ts'
import { FLOOD_FAMILIES } from './floods.ts'
import type { Row } from './report.ts'

const BASE = 'https://news.example.com'
const FEED_SIZE = 50

/** Stored entries as the store reads them (body as uploaded, rendered where shown), in feeds of 50. */
function entries(count: number): FeedEntry[][] {
  const feeds: FeedEntry[][] = []
  for (let start = 0; start < count; start += FEED_SIZE) {
    const feed: FeedEntry[] = []
    for (let i = start; i < Math.min(count, start + FEED_SIZE); i++) {
      const a = generateArticle(i)
      const { summary, source } = summariseBody(a.body)
      feed.push({
        infoCode: a.infoCode,
        title: a.title,
        date: a.date,
        publishedAt: a.publishedAt,
        updatedAt: new Date(a.publishedAt).toISOString(),
        categories: a.categories,
        tags: a.tags,
        body: a.body,
        summary,
        source,
        shortCode: 'Ab3dE5g',
      })
    }
    feeds.push(feed)
  }
  return feeds
}

const SOURCE: FeedSource = {
  baseUrl: BASE,
  siteName: '财经新闻',
  slug: 'zhongguojingyingwang',
  categoryTitles: new Map([['zhongguojingyingwang', '中国经营网']]),
  hubUrl: undefined,
  siteOffsetMinutes: BENCH_OFFSET_MINUTES,
}

/** The project's path for one feed: buildFeed renders + sanitises each body (renderHtml), then three formats. */
export function renderOurs(feed: readonly FeedEntry[]): number {
  const document = buildFeed(feed, SOURCE, Date.now())
  return renderRss(document).length + renderAtom(document).length + renderJsonFeed(document).length
}

const markdown = new MarkdownIt({ html: true })

/** The baseline for one feed: the same Markdown rendering, then the `feed` package with the HTML unsanitised. */
export function renderFeedPackage(feed: readonly FeedEntry[]): number {
  const newest = feed.reduce((max, e) => Math.max(max, e.publishedAt), 0)
  const out = new Feed({
    title: '中国经营网 - 财经新闻',
    description: '财经新闻「中国经营网」栏目的最新文章',
    id: `${BASE}/category/zhongguojingyingwang.html`,
    link: `${BASE}/category/zhongguojingyingwang.html`,
    language: 'zh-CN',
    updated: new Date(newest),
    generator: 'finews',
    feedLinks: {
      rss: `${BASE}/feeds/zhongguojingyingwang/rss.xml`,
      atom: `${BASE}/feeds/zhongguojingyingwang/atom.xml`,
      json: `${BASE}/feeds/zhongguojingyingwang/feed.json`,
    },
    author: { name: '财经新闻' },
    copyright: '财经新闻',
  })
  for (const entry of feed) {
    const link = shareUrl(BASE, entry.infoCode)
    out.addItem({
      title: entry.title,
      id: link,
      link,
      description: entry.summary,
      content: markdown.render(entry.body),
      date: new Date(entry.publishedAt),
      category: entry.categories.map((slug) => ({ name: slug, domain: `${BASE}/category/` })),
    })
  }
  return out.rss2().length + out.atom1().length + out.json1().length
}

function itemsPerSecond(feeds: readonly FeedEntry[][], render: (feed: readonly FeedEntry[]) => number): number {
  const items = feeds.reduce((n, f) => n + f.length, 0)
  const start = performance.now()
  let bytes = 0
  for (const feed of feeds) bytes += render(feed)
  const ms = performance.now() - start
  if (bytes === 0) throw new Error('render produced nothing')
  return (items / ms) * 1000
}

const FLOOD_BYTES = 1024 * 1024

/** One body rendered once: CPU time of this thread and wall time, each per 100 KB of body. */
function renderCost(body: string): { cpu: number; wall: number } {
  const per100kb = body.length / 102_400
  const cpuStart = process.cpuUsage()
  const start = performance.now()
  if (renderHtml(body, BASE).length === 0) throw new Error('render produced nothing')
  const wall = performance.now() - start
  const cpu = process.cpuUsage(cpuStart)
  return { cpu: (cpu.user + cpu.system) / 1000 / per100kb, wall: wall / per100kb }
}

/**
 * render_worst_ms_per_100kb: each flood family (bench/floods.ts) rendered at 1 MiB through renderHtml
 * (Markdown + allow-list), the worst family's CPU milliseconds per 100 KB; baseline: 1 MiB of ordinary articles.
 * CPU time, because wall time on a shared machine counts the time other processes hold the cores (both printed).
 */
function benchFloods(): Row {
  const ordinary: string[] = []
  for (let i = 0, length = 0; length < FLOOD_BYTES; i++) {
    const body = generateArticle(i).body
    ordinary.push(body)
    length += body.length + 2
  }
  renderCost('warm *up* [a](b) <p>x</p>')
  const baseline = renderCost(ordinary.join('\n\n').slice(0, FLOOD_BYTES))
  let worst = { family: '', cpu: 0, wall: 0 }
  for (const [family, make] of Object.entries(FLOOD_FAMILIES)) {
    const cost = renderCost(make(FLOOD_BYTES))
    if (cost.cpu > worst.cpu) worst = { family, ...cost }
  }
  return {
    label: `ms per 100 KB, worst flood family at 1 MiB (${Object.keys(FLOOD_FAMILIES).length} families), CPU time`,
    key: 'render_worst_ms_per_100kb',
    value: worst.cpu,
    unit: 'ms',
    baseline: { label: '1 MiB of ordinary articles', value: baseline.cpu, unit: 'ms' },
    goal: { on: 'value', op: '<=', limit: 100 },
    note: `worst: ${worst.family}, ${worst.wall.toFixed(0)} ms per 100 KB wall time`,
    more: { render_worst_wall_ms_per_100kb: worst.wall },
  }
}

/**
 * render_items_per_s: items per second through body rendering + sanitising + the three hand-written formats,
 * against the `feed` package rendering the same Markdown output unsanitised (render_vs_feed_package).
 * Each side runs once to warm up, then the two alternate three times; the best of each is kept.
 */
export async function benchRender(ctx: BenchContext): Promise<Row[]> {
  const feeds = entries(ctx.scale.renderItems)
  const warm = feeds.slice(0, 4)
  itemsPerSecond(warm, renderOurs)
  itemsPerSecond(warm, renderFeedPackage)
  let ours = 0
  let theirs = 0
  for (let round = 0; round < 3; round++) {
    ours = Math.max(ours, itemsPerSecond(feeds, renderOurs))
    theirs = Math.max(theirs, itemsPerSecond(feeds, renderFeedPackage))
  }
  return [
    {
      label: 'items/s: Markdown + allow-list sanitise + RSS, Atom, JSON Feed',
      key: 'render_items_per_s',
      value: ours,
      unit: 'items/s',
      baseline: { label: '`feed` package, same Markdown output, unsanitised', value: theirs, unit: 'items/s' },
      ratioKey: 'render_vs_feed_package',
      goal: { on: 'ratio', op: '>=', limit: 0.5 },
      note: `${ctx.scale.renderItems} items in feeds of ${FEED_SIZE}, ~3 KB Chinese bodies`,
    },
    benchFloods(),
  ]
}
