import { isCategorySlug } from '#shared/domain/categories'
import { type Category, type FeedEntry, SITE_FEED } from '#shared/domain/model'
import { categoryPageUrl, feedUrl } from '#shared/domain/urls'
import {
  archivePageId,
  archivePageKeys,
  CATEGORIES_PAGE_KEY,
  NEWS_SITEMAP_CACHE_CONTROL,
  NOT_FOUND_PAGE_KEY,
  OLDEST_MEMBER_KEY,
  objectUrl,
  SITEMAP_CACHE_CONTROL,
  SITEMAP_KEYS,
} from '#shared/feeds/archive'
import { buildFeed, categoryLabel, type FeedSource, OLDEST_FEED_DATE_MS } from '#shared/feeds/build-feed'
import { type FeedDocument, isoDate } from '#shared/feeds/feed-model'
import { CONTENT_TYPES, FEED_CACHE_CONTROL, feedObjectKeys, OPML_KEY, PAGE_CACHE_CONTROL } from '#shared/feeds/formats'
import { renderAtom } from '#shared/feeds/render-atom'
import { renderJsonFeed } from '#shared/feeds/render-json'
import { renderOpml } from '#shared/feeds/render-opml'
import { renderRss } from '#shared/feeds/render-rss'
import { renderNewsSitemap, renderRobots, renderSitemapIndex, renderUrlset } from '#shared/feeds/render-sitemap'
import { count, log as defaultLog, type Log, METRIC, milliseconds } from '#shared/observability'
import { renderCategoriesPage, renderCategoryPage, renderHomePage, renderNotFoundPage } from '#shared/pages/feed-pages'
import { pool } from '#shared/pool'
import type { ArchiveIndex } from '#shared/ports/archive-index'
import type { ArticleStore } from '#shared/ports/article-store'
import type { Hub } from '#shared/ports/hub'
import type { ObjectStore, ObjectWrite } from '#shared/ports/object-store'
import { memberKey } from '#shared/table'
import { type ArchiveWriter, createArchiveWriter, keyOf } from './archive.ts'

/** What to regenerate: a feed (`SITE_FEED` or a category slug, with its page) or the OPML list. */
export type FeedTarget = string

/** The target that stands for `feeds/index.opml`. */
export const OPML_TARGET: FeedTarget = '#opml'

/** A structured log line (the Powertools logger's by default). */
export type { Log }

/** What the publisher needs from outside. */
export interface FeedPublisherDeps {
  readonly articles: ArticleStore
  /** The archive's boundaries and ranges; without it feeds have no archive (heads only). */
  readonly archive?: ArchiveIndex | undefined
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
  /** Renders the bodies a feed shows, with a fallback to the summary (shared/content/guarded-render.ts). */
  readonly renderBody?: FeedSource['renderBody']
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
  /**
   * Regenerates each target once (a set: duplicates are coalesced), then pings the hub. Never throws.
   * `changed` names, per feed, the member keys (`shared/table.ts`) of the articles that changed, before and
   * after: the archive pages holding them are rewritten too. A feed's head is skipped when every change lies
   * below it, unless the feed is in `headChanged` (a change that names no article, such as a category's title).
   */
  publish(
    targets: Iterable<FeedTarget>,
    changed?: ReadonlyMap<FeedTarget, Iterable<string>>,
    headChanged?: ReadonlySet<FeedTarget>,
  ): Promise<PublishResult>
  /** One category's three feeds and its page, from one bounded query: what the benchmarks time. */
  regenerateCategory(slug: string): Promise<PublishResult>
  /** Every feed, page, archive document, sitemap and the OPML list, a page of categories at a time. */
  rebuildAll(options?: {
    readonly pageSize?: number
    readonly onProgress?: (progress: RebuildProgress) => void
  }): Promise<PublishResult>
  /** Writes `404.html` when its bytes changed (the site feed's regeneration does it once per process); its key if written. */
  writeNotFoundPage(): Promise<string[]>
}

// Two invocations on different shards can regenerate one feed at once, and S3 keeps whichever PUT lands last
// (s3rver, where this is tested, has no conditional PUT at all). So a regeneration re-reads its feed after
// writing and writes again while the feed moved: the writer that landed last always checks after landing, and
// finds out if what it wrote is already old. After MAX_PASSES it stops with a warning and leaves the feed to
// the changes that moved it: each has its own stream record, whose regeneration reads after it. (Failing the
// target instead sent records to the dead-letter queue during every large import, where the site feed never
// stops moving.) README: Deploy, Stream to feeds.
const MAX_PASSES = 3

/**
 * The feed publisher: regenerates a feed from `ArticleStore.latest` (a bounded query, newest FEED_SIZE
 * already published) into RSS, Atom, JSON Feed and its human page, writing only what changed.
 * @example const publisher = createFeedPublisher({ articles, objects, publicBaseUrl, siteName, feedSize: 50, siteOffsetMinutes: 480 })
 */
export function createFeedPublisher(deps: FeedPublisherDeps): FeedPublisher {
  const now = deps.now ?? Date.now
  const log: Log = deps.log ?? defaultLog
  const base = deps.publicBaseUrl
  const pageContext = { siteName: deps.siteName, baseUrl: base, siteOffsetMinutes: deps.siteOffsetMinutes }
  const link = (self: string) => (deps.hubUrl ? `<${deps.hubUrl}>; rel="hub", <${self}>; rel="self"` : undefined)

  const archive: ArchiveWriter | undefined = deps.archive
    ? createArchiveWriter({
        index: deps.archive,
        objects: deps.objects,
        publicBaseUrl: base,
        siteName: deps.siteName,
        feedSize: deps.feedSize,
        siteOffsetMinutes: deps.siteOffsetMinutes,
        now,
        renderBody: deps.renderBody,
      })
    : undefined
  // The sitemap index changes only when the site's archive gains a page; each process writes it once anyway.
  let sitemapIndexWritten = false
  // 404.html depends on no article, only on the site's name and URL: each process checks it once.
  let notFoundPageWritten = false

  // The head and, with an archive, the newest archived entry (where the head's `prev-archive` leads).
  // With an archive the entries come without rendered bodies: `buildFeed` renders them only when the head
  // is written, and a change deep in the archive leaves the head as it was.
  async function latest(feed: string): Promise<FeedEntry[]> {
    if (deps.archive) {
      const members = await deps.archive.members(feed, {
        from: OLDEST_MEMBER_KEY,
        to: memberKey(now() + 1, ''),
        limit: deps.feedSize + 1,
        newestFirst: true,
      })
      return members.map((member) => member.entry)
    }
    return deps.articles.latest(feed, deps.feedSize, { publishedFrom: OLDEST_FEED_DATE_MS, publishedTo: now() })
  }

  async function regenerateFeed(
    feed: string,
    categories: () => Promise<Category[]>,
    changedFeeds: string[],
    changed: readonly string[],
    headChanged = false,
  ) {
    const written: string[] = []
    let newest = await latest(feed)
    for (let pass = 1; ; pass++) {
      const all = await categories()
      const entries = newest.slice(0, deps.feedSize)
      const slug = feed === SITE_FEED ? undefined : feed
      const current = {
        ...{
          rss: feedUrl(base, slug, 'rss.xml'),
          atom: feedUrl(base, slug, 'atom.xml'),
          json: feedUrl(base, slug, 'feed.json'),
        },
        page: slug ? categoryPageUrl(base, slug) : new URL('/', `${base}/`).href,
      }
      const archived = archive
        ? await archive.regenerate({ feed, newest, changed, categories: all, current })
        : undefined
      if (archived) written.push(...archived.written)
      // A change deep in the archive leaves the head's bytes as they were: it is not rendered again.
      if (!(pass === 1 && archived?.headUnchanged && !headChanged)) {
        const built = buildFeed(
          entries,
          {
            baseUrl: base,
            siteName: deps.siteName,
            slug: feed === SITE_FEED ? undefined : feed,
            category: all.find((c) => c.slug === feed),
            categoryTitles: new Map(all.map((c) => [c.slug, c.title])),
            hubUrl: deps.hubUrl,
            siteOffsetMinutes: deps.siteOffsetMinutes,
            renderBody: deps.renderBody,
          },
          now(),
        )
        const document: FeedDocument = archived?.headPrev
          ? { ...built, history: { archived: false, prev: archived.headPrev, current } }
          : built
        const objects = await feedObjects(feed, document, all)
        const results = await Promise.all(objects.map((object) => deps.objects.putIfChanged(object)))
        objects.forEach((object, i) => {
          if (!results[i]) return
          written.push(object.key)
          if (object.key.endsWith('.xml') || object.key.endsWith('.json')) changedFeeds.push(selfUrl(object.key))
        })
      }
      if (feed === SITE_FEED && archive) written.push(...(await writeSiteSitemaps(archived?.split === true)))
      if (feed === SITE_FEED && !notFoundPageWritten) written.push(...(await writeNotFoundPage()))
      const again = await latest(feed)
      if (fingerprint(again) === fingerprint(newest)) break
      if (pass >= MAX_PASSES) {
        log({ level: 'warn', msg: 'feed still moving; its newer records regenerate it', target: feed, passes: pass })
        break
      }
      // The feed moved meanwhile: the archive pages of what moved are rewritten too.
      changed = [...changed, ...movedKeys(newest, again)]
      newest = again
    }
    return written
  }

  /** The Google News sitemap (every time: it moves with each upload) and, when needed, the index and robots.txt. */
  async function writeSiteSitemaps(split: boolean): Promise<string[]> {
    const index = deps.archive
    if (!index || !archive) return []
    const at = now()
    const recent = await index.members(SITE_FEED, {
      from: memberKey(Math.max(at - 48 * 3_600_000, Date.parse(OLDEST_MEMBER_KEY)), ''),
      to: memberKey(at + 1, ''),
      limit: 1_000,
      newestFirst: true,
    })
    const news = archive.sitemapDocument(
      recent.map((m) => m.entry),
      at,
    )
    const objects: ObjectWrite[] = [
      {
        key: SITEMAP_KEYS.news,
        body: renderNewsSitemap(
          news.items.map((item) => ({ loc: item.id, title: item.title, published: isoDate(item.published) })),
          deps.siteName,
          'zh-cn',
        ),
        contentType: CONTENT_TYPES.xml,
        cacheControl: NEWS_SITEMAP_CACHE_CONTROL,
      },
    ]
    if (split || !sitemapIndexWritten) objects.push(...(await sitemapIndexObjects()))
    const results = await Promise.all(objects.map((object) => deps.objects.putIfChanged(object)))
    sitemapIndexWritten = true
    return objects.filter((_, i) => results[i]).map((object) => object.key)
  }

  async function writeNotFoundPage(): Promise<string[]> {
    const changed = await deps.objects.putIfChanged({
      key: NOT_FOUND_PAGE_KEY,
      body: await renderNotFoundPage(pageContext),
      contentType: CONTENT_TYPES.html,
      cacheControl: PAGE_CACHE_CONTROL,
    })
    notFoundPageWritten = true
    return changed ? [NOT_FOUND_PAGE_KEY] : []
  }

  async function sitemapIndexObjects(): Promise<ObjectWrite[]> {
    if (!archive) return []
    const files = [objectUrl(base, SITEMAP_KEYS.categories)]
    for await (const boundary of archive.allPages(SITE_FEED)) {
      files.push(objectUrl(base, archivePageKeys(SITE_FEED, archivePageId(boundary)).sitemap))
    }
    return [
      {
        key: SITEMAP_KEYS.index,
        body: renderSitemapIndex(files),
        contentType: CONTENT_TYPES.xml,
        cacheControl: SITEMAP_CACHE_CONTROL,
      },
      {
        key: SITEMAP_KEYS.robots,
        body: renderRobots([objectUrl(base, SITEMAP_KEYS.index), objectUrl(base, SITEMAP_KEYS.news)]),
        contentType: CONTENT_TYPES.text,
        cacheControl: SITEMAP_CACHE_CONTROL,
      },
    ]
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
        ? await renderHomePage(document, categories.length, pageContext)
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
    const links = all.map((c) => ({ label: categoryLabel(c.slug, c.title), pageUrl: categoryPageUrl(base, c.slug) }))
    const objects: ObjectWrite[] = [
      { key: OPML_KEY, body, contentType: CONTENT_TYPES.opml, cacheControl: PAGE_CACHE_CONTROL },
      {
        key: CATEGORIES_PAGE_KEY,
        body: await renderCategoriesPage(links, pageContext),
        contentType: CONTENT_TYPES.html,
        cacheControl: PAGE_CACHE_CONTROL,
      },
      ...(archive
        ? [
            {
              key: SITEMAP_KEYS.categories,
              body: renderUrlset([
                { loc: new URL('/', `${base}/`).href },
                { loc: objectUrl(base, CATEGORIES_PAGE_KEY) },
                ...links.map((link) => ({ loc: link.pageUrl })),
              ]),
              contentType: CONTENT_TYPES.xml,
              cacheControl: SITEMAP_CACHE_CONTROL,
            },
          ]
        : []),
    ]
    const results = await Promise.all(objects.map((object) => deps.objects.putIfChanged(object)))
    return objects.filter((_, i) => results[i]).map((object) => object.key)
  }

  function selfUrl(key: string): string {
    return new URL(`/${key}`, `${base}/`).href
  }

  async function publish(
    targets: Iterable<FeedTarget>,
    changed: ReadonlyMap<FeedTarget, Iterable<string>> = new Map(),
    headChanged: ReadonlySet<FeedTarget> = new Set(),
  ): Promise<PublishResult> {
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
    await pool(unique.length, deps.concurrency ?? 4, async (index) => {
      const target = unique[index] as FeedTarget
      try {
        if (target !== OPML_TARGET && target !== SITE_FEED && !isCategorySlug(target)) {
          throw new Error(`not a feed: ${JSON.stringify(target)}`)
        }
        written.push(
          ...(target === OPML_TARGET
            ? await regenerateOpml(categories)
            : await regenerateFeed(
                target,
                categories,
                changedFeeds,
                [...(changed.get(target) ?? [])],
                headChanged.has(target),
              )),
        )
      } catch (error) {
        failed.set(target, error)
        log({ level: 'error', msg: 'feed regeneration failed', target, error: describe(error) })
      }
    })
    if (deps.hub && changedFeeds.length > 0) await deps.hub.publish(changedFeeds)
    count(METRIC.feedsRegenerated, unique.length - failed.size)
    milliseconds(METRIC.regenerationTime, Date.now() - started)
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
    writeNotFoundPage,
    async rebuildAll(options = {}) {
      const pageSize = Math.max(1, options.pageSize ?? 20)
      const slugs = sortedCategories(await deps.articles.listCategories())
        .map((c) => c.slug)
        .filter((slug) => isCategorySlug(slug))
      const targets = [SITE_FEED, OPML_TARGET, ...slugs]
      const failed = new Map<FeedTarget, unknown>()
      const written: string[] = []
      sitemapIndexWritten = false
      notFoundPageWritten = false
      for (let start = 0; start < targets.length; start += pageSize) {
        const page = targets.slice(start, start + pageSize)
        // Every page of each feed's archive is rewritten: its boundaries are named as changed.
        const changed = new Map<FeedTarget, string[]>()
        if (archive) {
          for (const target of page) {
            if (target === OPML_TARGET) continue
            const boundaries: string[] = []
            for await (const boundary of archive.allPages(target)) boundaries.push(boundary || OLDEST_MEMBER_KEY)
            changed.set(target, boundaries)
          }
        }
        const result = await publish(page, changed)
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

// Member keys of the entries that are in one list and not the other, or differ between them.
function movedKeys(before: readonly FeedEntry[], after: readonly FeedEntry[]): string[] {
  const seen = new Set(before.map((e) => `${keyOf(e)}|${e.updatedAt}`))
  const now = new Set(after.map((e) => `${keyOf(e)}|${e.updatedAt}`))
  return [
    ...before.filter((e) => !now.has(`${keyOf(e)}|${e.updatedAt}`)).map(keyOf),
    ...after.filter((e) => !seen.has(`${keyOf(e)}|${e.updatedAt}`)).map(keyOf),
  ]
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
