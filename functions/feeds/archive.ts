import { type Category, type FeedEntry, SITE_FEED } from '#shared/domain/model'
import {
  ARCHIVE_CACHE_CONTROL,
  ARCHIVE_PAGE_SIZE,
  ARCHIVE_SEAL_SIZE,
  type ArchiveLinks,
  archiveLinks,
  archivePageId,
  archivePageKeys,
  FIRST_BOUNDARY,
  laterKey,
  OLDEST_MEMBER_KEY,
  SITEMAP_CACHE_CONTROL,
} from '#shared/feeds/archive'
import { buildFeed, categoryLabel, type FeedSource } from '#shared/feeds/build-feed'
import { type FeedDocument, type FeedDocumentLinks, type FeedHistory, isoDate } from '#shared/feeds/feed-model'
import { CONTENT_TYPES } from '#shared/feeds/formats'
import { renderAtom } from '#shared/feeds/render-atom'
import { renderJsonFeed } from '#shared/feeds/render-json'
import { renderRss } from '#shared/feeds/render-rss'
import { renderUrlset } from '#shared/feeds/render-sitemap'
import { renderArchivePage } from '#shared/pages/feed-pages'
import type { ArchiveIndex } from '#shared/ports/archive-index'
import type { ObjectStore, ObjectWrite } from '#shared/ports/object-store'
import { memberKey } from '#shared/table'

/** What the archive writer needs from outside. */
export interface ArchiveWriterDeps {
  readonly index: ArchiveIndex
  readonly objects: ObjectStore
  readonly publicBaseUrl: string
  readonly siteName: string
  readonly feedSize: number
  readonly siteOffsetMinutes: number
  readonly hubUrl?: string | undefined
  readonly now: () => number
  /** Renders the bodies of the items a page shows (see FeedSource.renderBody). */
  readonly renderBody?: FeedSource['renderBody']
}

/** What one archive regeneration did. */
export interface ArchiveResult {
  /** Object keys whose bytes changed and were written. */
  readonly written: string[]
  /** The archive page the head links to as `prev-archive` (its newest page); undefined without archive. */
  readonly headPrev: FeedDocumentLinks | undefined
  /** True when a page was split (a boundary added): the sitemap index lists one more file. */
  readonly split: boolean
  /**
   * True when nothing the head shows can have changed: every changed article lies below the head, which
   * ended where it did last time, and no page was split. The head need not be rendered again.
   */
  readonly headUnchanged: boolean
}

/** Everything a feed's archive regeneration reads about the feed at the moment. */
export interface ArchiveInput {
  readonly feed: string
  /** The newest `feedSize + 1` entries already published, newest first (the head, then the newest archived). */
  readonly newest: readonly FeedEntry[]
  /** Member keys of the articles that changed in this feed (before and after the change). */
  readonly changed: readonly string[]
  readonly categories: readonly Category[]
  /** The subscription document's URLs, linked from every archive document as `current`. */
  readonly current: FeedDocumentLinks
}

// Splits are bounded by the articles that arrived since the last run; this only stops a runaway loop.
const MAX_STEPS = 10_000

/**
 * The archive of one feed, partitioned by stored boundaries. A page starts at a boundary (a member key)
 * and holds the feed's articles up to the next boundary, less the newest `feedSize` (the head). Boundaries
 * are only ever added: when a page passes ARCHIVE_PAGE_SIZE it is split, at its 100th article when it is
 * the newest page (so pages fill up as articles arrive), at its median otherwise (an import of old
 * articles). So a page changes only when one of its own articles does, when the head's oldest article
 * moves into it, or when it is split; every call reads a few bounded ranges.
 * @example await createArchiveWriter(deps).regenerate({ feed, newest, changed, categories, current })
 */
export function createArchiveWriter(deps: ArchiveWriterDeps) {
  const base = deps.publicBaseUrl

  async function pageOf(feed: string, key: string): Promise<string> {
    return (await deps.index.boundaryBelow(feed, key)) ?? FIRST_BOUNDARY
  }

  // The pages holding some keys, in two queries however many keys (a batch names hundreds): the page of the
  // lowest key, then every boundary up to the highest.
  async function pagesOf(feed: string, keys: readonly string[]): Promise<Set<string>> {
    const sorted = [...new Set(keys)].sort()
    const lowest = sorted[0]
    const highest = sorted[sorted.length - 1]
    if (lowest === undefined || highest === undefined) return new Set()
    const boundaries = [
      await pageOf(feed, lowest),
      ...(await deps.index.boundaries(feed, { from: `${lowest}\u0000`, to: `${highest}\u0000`, limit: 100_000 })),
    ]
    const pages = new Set<string>()
    let at = 0
    for (const key of sorted) {
      while (at + 1 < boundaries.length && (boundaries[at + 1] as string) <= key) at++
      pages.add(boundaries[at] as string)
    }
    return pages
  }

  function linksOf(feed: string, boundary: string): ArchiveLinks {
    return archiveLinks(base, feed, archivePageId(boundary))
  }

  async function regenerate(input: ArchiveInput): Promise<ArchiveResult> {
    const { feed, newest } = input
    const head = newest.slice(0, deps.feedSize)
    const oldestInHead = head[deps.feedSize - 1]
    const newestArchived = newest[deps.feedSize]
    // The archive holds members below the cut: everything older than the head's oldest article.
    const cut = oldestInHead ? keyOf(oldestInHead) : OLDEST_MEMBER_KEY
    const stored = await deps.index.getCut(feed)
    const pages = await pagesOf(feed, input.changed)
    if (stored !== undefined && stored !== cut) {
      // Articles between the old and the new cut moved between the head and the archive.
      const [low, high] = stored < cut ? [stored, cut] : [cut, stored]
      pages.add(await pageOf(feed, low))
      for (const boundary of await deps.index.boundaries(feed, { from: low, to: high, limit: 1_000 })) {
        pages.add(boundary)
      }
    }
    const written: string[] = []
    let split = false
    // The first archived article starts a stored page, so `first` holds only what is older (articles
    // uploaded later with older dates) and no archive document is ever alone without a neighbour to link to.
    if (newestArchived && (await deps.index.boundaryAbove(feed, FIRST_BOUNDARY)) === undefined) {
      const [oldest] = await deps.index.members(feed, { from: OLDEST_MEMBER_KEY, to: cut, limit: 1 })
      if (oldest) {
        if (await deps.index.addBoundary(feed, oldest.key)) split = true
        pages.add(FIRST_BOUNDARY)
        pages.add(oldest.key)
      }
    }
    if (newestArchived) pages.add(await pageOf(feed, keyOf(newestArchived)))
    const queue = [...pages]
    const done = new Set<string>()
    for (let step = 0; queue.length > 0 && step < MAX_STEPS; step++) {
      const boundary = queue.shift() as string
      if (done.has(boundary)) continue
      const next = await deps.index.boundaryAbove(feed, boundary)
      const reachesHead = next === undefined || next >= cut
      const end = reachesHead ? cut : next
      const from = laterKey(boundary, OLDEST_MEMBER_KEY)
      // The newest page is sealed at ARCHIVE_SEAL_SIZE as articles arrive; an older one is split in half
      // when late arrivals take it past ARCHIVE_PAGE_SIZE.
      const limit = reachesHead ? ARCHIVE_SEAL_SIZE : ARCHIVE_PAGE_SIZE
      const members = await deps.index.members(feed, { from, to: end, limit: limit + 1 })
      if (members.length > limit) {
        const at = members[reachesHead ? limit : Math.floor(limit / 2)]?.key as string
        if (await deps.index.addBoundary(feed, at)) split = true
        // This page, the new one, and the page whose `next` link pointed here are rendered again.
        queue.push(boundary, at)
        if (!reachesHead && next !== undefined) {
          done.delete(next)
          queue.push(next)
        }
        continue
      }
      done.add(boundary)
      const older =
        boundary === FIRST_BOUNDARY
          ? undefined
          : ((await deps.index.boundaryBelow(feed, boundary, true)) ?? FIRST_BOUNDARY)
      const newer = next !== undefined && next < cut ? next : undefined
      // People are not sent to an empty oldest page; feeds may link to it (it exists and is valid).
      const olderEmpty =
        older === FIRST_BOUNDARY &&
        (await deps.index.members(feed, { from: OLDEST_MEMBER_KEY, to: boundary, limit: 1 })).length === 0
      // Whether `first` is empty decides the link of the page above it.
      if (boundary === FIRST_BOUNDARY && newer !== undefined && !done.has(newer)) queue.push(newer)
      written.push(
        ...(await writePage(input, boundary, members.map((m) => m.entry).reverse(), { older, newer, olderEmpty })),
        ...(feed === SITE_FEED ? await writeSitemap(boundary, next) : []),
      )
    }
    if (stored !== cut) await deps.index.putCut(feed, cut)
    // Read again, not reused from above: a split in this run may have started a newer page holding it.
    const headPrev = newestArchived ? linksOf(feed, await pageOf(feed, keyOf(newestArchived))) : undefined
    const headUnchanged =
      stored === cut && !split && input.changed.length > 0 && input.changed.every((key) => key < cut)
    return { written, headPrev, split, headUnchanged }
  }

  async function writePage(
    input: ArchiveInput,
    boundary: string,
    entries: readonly FeedEntry[],
    neighbours: {
      readonly older: string | undefined
      readonly newer: string | undefined
      readonly olderEmpty: boolean
    },
  ): Promise<string[]> {
    const { older, newer } = neighbours
    const { feed } = input
    const id = archivePageId(boundary)
    const links = linksOf(feed, boundary)
    const objectKeys = archivePageKeys(feed, id)
    const slug = feed === SITE_FEED ? undefined : feed
    const category = input.categories.find((c) => c.slug === feed)
    const built = buildFeed(
      entries,
      {
        baseUrl: base,
        siteName: deps.siteName,
        slug,
        category,
        categoryTitles: new Map(input.categories.map((c) => [c.slug, c.title])),
        hubUrl: undefined,
        siteOffsetMinutes: deps.siteOffsetMinutes,
        renderBody: deps.renderBody,
      },
      deps.now(),
    )
    const document: FeedDocument = {
      ...built,
      links: { rss: links.rss, atom: links.atom, json: links.json },
      homePageUrl: links.page,
      history: {
        archived: true,
        prev: older === undefined ? undefined : linksOf(feed, older),
        next: newer === undefined ? undefined : linksOf(feed, newer),
        current: input.current,
      },
    }
    const pageDocument: FeedDocument = neighbours.olderEmpty
      ? { ...document, history: { ...(document.history as FeedHistory), prev: undefined } }
      : document
    const heading = slug ? categoryLabel(slug, category?.title) : '全部文章'
    const lastModified = new Date(document.updated.epochMs)
    const file = (key: string, body: string, contentType: string): ObjectWrite => ({
      key,
      body,
      contentType,
      cacheControl: ARCHIVE_CACHE_CONTROL,
      lastModified,
    })
    const objects = [
      file(objectKeys.rss, renderRss(document), CONTENT_TYPES.rss),
      file(objectKeys.atom, renderAtom(document), CONTENT_TYPES.atom),
      file(objectKeys.json, renderJsonFeed(document), CONTENT_TYPES.json),
      file(
        objectKeys.page,
        await renderArchivePage(pageDocument, heading, {
          siteName: deps.siteName,
          baseUrl: base,
          siteOffsetMinutes: deps.siteOffsetMinutes,
        }),
        CONTENT_TYPES.html,
      ),
    ]
    return putAll(objects)
  }

  // One sitemap per page of the site-wide archive, over the page's whole range (head included), so it
  // changes only when one of its own articles does.
  async function writeSitemap(boundary: string, next: string | undefined): Promise<string[]> {
    const now = deps.now()
    const from = laterKey(boundary, OLDEST_MEMBER_KEY)
    const nowKey = memberKey(now + 1, '')
    const to = next === undefined || next > nowKey ? nowKey : next
    const members = await deps.index.members(SITE_FEED, { from, to, limit: 1_000 })
    const document = sitemapDocument(
      members.map((m) => m.entry),
      now,
    )
    return putAll([
      {
        key: archivePageKeys(SITE_FEED, archivePageId(boundary)).sitemap,
        body: renderUrlset(document.items.map((item) => ({ loc: item.id, lastmod: isoDate(item.updated) }))),
        contentType: CONTENT_TYPES.xml,
        cacheControl: SITEMAP_CACHE_CONTROL,
      },
    ])
  }

  function sitemapDocument(entries: readonly FeedEntry[], now: number): FeedDocument {
    // Only ids and dates are needed: bodies are dropped so nothing is rendered.
    return buildFeed(
      entries.map((entry) => ({ ...entry, body: '' })),
      {
        baseUrl: base,
        siteName: deps.siteName,
        slug: undefined,
        categoryTitles: new Map(),
        hubUrl: undefined,
        siteOffsetMinutes: deps.siteOffsetMinutes,
      },
      now,
    )
  }

  async function putAll(objects: readonly ObjectWrite[]): Promise<string[]> {
    const results = await Promise.all(objects.map((object) => deps.objects.putIfChanged(object)))
    return objects.filter((_, i) => results[i]).map((object) => object.key)
  }

  /** Every page of a feed, oldest first, 1,000 boundaries a query: for `npm run feeds:rebuild` and the sitemap index. */
  async function* allPages(feed: string): AsyncGenerator<string> {
    yield FIRST_BOUNDARY
    let from = '0'
    for (;;) {
      const page = await deps.index.boundaries(feed, { from, to: '\uffff', limit: 1_000 })
      yield* page
      const last = page[page.length - 1]
      if (page.length < 1_000 || last === undefined) return
      from = `${last}\u0000`
    }
  }

  return { regenerate, allPages, sitemapDocument, linksOf }
}

/** The archive writer of one publisher. */
export type ArchiveWriter = ReturnType<typeof createArchiveWriter>

/** The member key of an entry: where it sits in its feeds and their archives. */
export function keyOf(entry: FeedEntry): string {
  return memberKey(entry.publishedAt, entry.infoCode)
}
