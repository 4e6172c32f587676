import { isCategorySlug } from '#shared/domain/categories'
import { type Category, type FeedEntry, SITE_FEED } from '#shared/domain/model'
import { categoryPageUrl, feedUrl } from '#shared/domain/urls'
import { buildFeed, categoryLabel, OLDEST_FEED_DATE_MS } from '#shared/feeds/build-feed'
import type { FeedDocument } from '#shared/feeds/feed-model'
import { CONTENT_TYPES, FEED_CACHE_CONTROL, feedObjectKeys, OPML_KEY, PAGE_CACHE_CONTROL } from '#shared/feeds/formats'
import { renderAtom } from '#shared/feeds/render-atom'
import { renderJsonFeed } from '#shared/feeds/render-json'
import { renderOpml } from '#shared/feeds/render-opml'
import { renderRss } from '#shared/feeds/render-rss'
import { renderCategoryPage, renderHomePage } from '#shared/pages/feed-pages'
import type { ArticleStore } from '#shared/ports/article-store'
import type { Hub } from '#shared/ports/hub'
import type { ObjectStore, ObjectWrite } from '#shared/ports/object-store'

/** What to regenerate: a feed (`SITE_FEED` or a category slug, with its page) or the OPML list. */
export type FeedTarget = string

/** The target that stands for `feeds/index.opml`. */
export const OPML_TARGET: FeedTarget = '#opml'

/** A structured log line. */
export type Log = (entry: Record<string, unknown>) => void

/** What the publisher needs from outside. */
export interface FeedPublisherDeps {
  readonly articles: ArticleStore
  readonly objects: ObjectStore
  /** Pinged with the URLs of feeds whose bytes changed; none when no hub is configured. */
  readonly hub?: Hub | undefined
  /** Announced in every feed (`rel="hub"`); set together with `hub`. */
  readonly hubUrl?: string | undefined
  readonly publicBaseUrl: string
  readonly siteName: string
  readonly feedSize: number
  readonly siteOffsetMinutes: number
  /** Injected clock (epoch ms), for tests: only decides which items are already published. */
  readonly now?: () => number
  readonly log?: Log
  /** Feeds regenerated at once. @default 4 */
  readonly concurrency?: number
}

/** The outcome of one publish run. */
export interface PublishResult {
  /** Targets that could not be regenerated, with the reason. */
  readonly failed: ReadonlyMap<FeedTarget, unknown>
  /** Object keys whose bytes changed and were written. */
  readonly written: readonly string[]
}

/** Progress of a full rebuild. */
export interface RebuildProgress {
  readonly done: number
  readonly total: number
  readonly target: FeedTarget
  readonly failed: number
}

/** Regenerates feeds, pages and the OPML list from the store into the object store. */
export interface FeedPublisher {
  /** Regenerates each target once (a set: duplicates are coalesced), then pings the hub. Never throws. */
  publish(targets: Iterable<FeedTarget>): Promise<PublishResult>
  /** One category's three feeds and its page, from one bounded query: what the benchmarks time. */
  regenerateCategory(slug: string): Promise<PublishResult>
  /** Every feed, page and the OPML list, a page of categories at a time (after a template change). */
  rebuildAll(options?: {
    readonly pageSize?: number
    readonly onProgress?: (progress: RebuildProgress) => void
  }): Promise<PublishResult>
}

// A regeneration re-reads its feed after writing and starts again when the feed moved meanwhile: two
// invocations on different shards can race, and the one holding the older read must not write last.
const MAX_PASSES = 3

/**
 * The feed publisher: regenerates a feed from `ArticleStore.latest` (a bounded query, newest FEED_SIZE
 * already published) into RSS, Atom, JSON Feed and its human page, writing only what changed.
 * @example const publisher = createFeedPublisher({ articles, objects, publicBaseUrl, siteName, feedSize: 50, siteOffsetMinutes: 480 })
 */
export function createFeedPublisher(deps: FeedPublisherDeps): FeedPublisher {
  const now = deps.now ?? Date.now
  const log: Log = deps.log ?? ((entry) => console.log(JSON.stringify(entry)))
  const base = deps.publicBaseUrl
  const pageContext = { siteName: deps.siteName, baseUrl: base, siteOffsetMinutes: deps.siteOffsetMinutes }
  const link = (self: string) => (deps.hubUrl ? `<${deps.hubUrl}>; rel="hub", <${self}>; rel="self"` : undefined)

  async function latest(feed: string): Promise<FeedEntry[]> {
    return deps.articles.latest(feed, deps.feedSize, { publishedFrom: OLDEST_FEED_DATE_MS, publishedTo: now() })
  }

  async function regenerateFeed(feed: string, categories: () => Promise<Category[]>, changedFeeds: string[]) {
    const written: string[] = []
    let entries = await latest(feed)
    for (let pass = 1; ; pass++) {
      const all = await categories()
      const document = buildFeed(
        entries,
        {
          baseUrl: base,
          siteName: deps.siteName,
          slug: feed === SITE_FEED ? undefined : feed,
          category: all.find((c) => c.slug === feed),
          categoryTitles: new Map(all.map((c) => [c.slug, c.title])),
          hubUrl: deps.hubUrl,
          siteOffsetMinutes: deps.siteOffsetMinutes,
        },
        now(),
      )
      const objects = await feedObjects(feed, document, all)
      const results = await Promise.all(objects.map((object) => deps.objects.putIfChanged(object)))
      objects.forEach((object, i) => {
        if (!results[i]) return
        written.push(object.key)
        if (object.key.endsWith('.xml') || object.key.endsWith('.json')) changedFeeds.push(selfUrl(object.key))
      })
      const again = await latest(feed)
      if (fingerprint(again) === fingerprint(entries) || pass >= MAX_PASSES) break
      entries = again
    }
    return written
  }

  async function feedObjects(feed: string, document: FeedDocument, categories: Category[]): Promise<ObjectWrite[]> {
    const keys = feedObjectKeys(feed === SITE_FEED ? undefined : feed)
    const lastModified = new Date(document.updated.epochMs)
    const feedFile = (key: string, body: string, contentType: string, self: string): ObjectWrite => ({
      key,
      body,
      contentType,
      cacheControl: FEED_CACHE_CONTROL,
      lastModified,
      link: link(self),
    })
    const page =
      feed === SITE_FEED
        ? await renderHomePage(
            document,
            sortedCategories(categories).map((c) => ({
              label: categoryLabel(c.slug, c.title),
              pageUrl: categoryPageUrl(base, c.slug),
            })),
            pageContext,
          )
        : await renderCategoryPage(document, categoryLabel(feed, categoryTitle(categories, feed)), pageContext)
    return [
      feedFile(keys.rss, renderRss(document), CONTENT_TYPES.rss, document.links.rss),
      feedFile(keys.atom, renderAtom(document), CONTENT_TYPES.atom, document.links.atom),
      feedFile(keys.json, renderJsonFeed(document), CONTENT_TYPES.json, document.links.json),
      { key: keys.page, body: page, contentType: CONTENT_TYPES.html, cacheControl: PAGE_CACHE_CONTROL, lastModified },
    ]
  }

  async function regenerateOpml(categories: () => Promise<Category[]>): Promise<string[]> {
    const all = sortedCategories(await categories())
    const body = renderOpml({
      title: `${deps.siteName} 订阅源`,
      homePageUrl: new URL('/', `${base}/`).href,
      ownerName: deps.siteName,
      outlines: [
        { title: `${deps.siteName}（全部文章）`, xmlUrl: feedUrl(base, undefined, 'rss.xml'), htmlUrl: `${base}/` },
        ...all.map((c) => ({
          title: categoryLabel(c.slug, c.title),
          xmlUrl: feedUrl(base, c.slug, 'rss.xml'),
          htmlUrl: categoryPageUrl(base, c.slug),
        })),
      ],
    })
    const written = await deps.objects.putIfChanged({
      key: OPML_KEY,
      body,
      contentType: CONTENT_TYPES.opml,
      cacheControl: PAGE_CACHE_CONTROL,
    })
    return written ? [OPML_KEY] : []
  }

  function selfUrl(key: string): string {
    return new URL(`/${key}`, `${base}/`).href
  }

  async function publish(targets: Iterable<FeedTarget>): Promise<PublishResult> {
    const started = Date.now()
    const unique = [...new Set(targets)]
    const failed = new Map<FeedTarget, unknown>()
    const written: string[] = []
    const changedFeeds: string[] = []
    // One category listing per run: every feed of the batch labels its items from it.
    let listing: Promise<Category[]> | undefined
    const categories = () => {
      listing ??= deps.articles.listCategories()
      return listing
    }
    await pool(unique, deps.concurrency ?? 4, async (target) => {
      try {
        if (target !== OPML_TARGET && target !== SITE_FEED && !isCategorySlug(target)) {
          throw new Error(`not a feed: ${JSON.stringify(target)}`)
        }
        written.push(
          ...(target === OPML_TARGET
            ? await regenerateOpml(categories)
            : await regenerateFeed(target, categories, changedFeeds)),
        )
      } catch (error) {
        failed.set(target, error)
        log({ level: 'error', msg: 'feed regeneration failed', target, error: describe(error) })
      }
    })
    if (deps.hub && changedFeeds.length > 0) await deps.hub.publish(changedFeeds)
    log({
      level: 'info',
      msg: 'feeds published',
      targets: unique,
      written,
      failed: [...failed.keys()],
      ms: Date.now() - started,
    })
    return { failed, written }
  }

  return {
    publish,
    regenerateCategory: (slug) => publish([slug]),
    async rebuildAll(options = {}) {
      const pageSize = Math.max(1, options.pageSize ?? 20)
      const slugs = sortedCategories(await deps.articles.listCategories())
        .map((c) => c.slug)
        .filter((slug) => isCategorySlug(slug))
      const targets = [SITE_FEED, OPML_TARGET, ...slugs]
      const failed = new Map<FeedTarget, unknown>()
      const written: string[] = []
      for (let start = 0; start < targets.length; start += pageSize) {
        const page = targets.slice(start, start + pageSize)
        const result = await publish(page)
        for (const [target, error] of result.failed) failed.set(target, error)
        written.push(...result.written)
        options.onProgress?.({
          done: Math.min(start + pageSize, targets.length),
          total: targets.length,
          target: page[page.length - 1] ?? '',
          failed: failed.size,
        })
      }
      return { failed, written }
    },
  }
}

function fingerprint(entries: readonly FeedEntry[]): string {
  return entries.map((e) => `${e.infoCode}|${e.updatedAt}|${e.publishedAt}`).join('\n')
}

function sortedCategories(categories: readonly Category[]): Category[] {
  return [...categories].sort((a, b) => (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0))
}

function categoryTitle(categories: readonly Category[], slug: string): string | undefined {
  return categories.find((c) => c.slug === slug)?.title
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error)
  const cause = error.cause instanceof Error ? ` (cause: ${error.cause.name}: ${error.cause.message})` : ''
  return `${error.name}: ${error.message}${cause}`
}

async function pool<T>(items: readonly T[], size: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T
      await run(item)
    }
  }
  await Promise.all(Array.from({ length: Math.min(Math.max(1, size), items.length) }, worker))
}
