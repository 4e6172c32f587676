import type { BodyRenderer } from '../content/guarded-render.ts'
import { articlePicture } from '../content/picture.ts'
import { renderHtml } from '../content/render-body.ts'
import { isCategorySlug } from '../domain/categories.ts'
import { isInfoCode } from '../domain/codes.ts'
import { parsePublishTime } from '../domain/dates.ts'
import type { Category, FeedEntry } from '../domain/model.ts'
import { cleanText, collapseWhitespace } from '../domain/text.ts'
import { categoryPageUrl, feedUrl, shareUrl } from '../domain/urls.ts'
import type { FeedCategory, FeedDate, FeedDocument, FeedItem } from './feed-model.ts'
import { FEED_TTL_MINUTES } from './formats.ts'

/** Nothing published before this instant goes into a feed (1990-01-01T00:00:00Z). */
export const OLDEST_FEED_DATE_MS = Date.UTC(1990, 0, 1)

/** What a feed is built from besides its entries. */
export interface FeedSource {
  readonly baseUrl: string
  readonly siteName: string
  /** The category's slug; undefined for the site-wide feed. */
  readonly slug: string | undefined
  /** The category itself, when known (title, description). */
  readonly category?: Category | undefined
  /** Every known category's title by slug: the labels of item categories. */
  readonly categoryTitles: ReadonlyMap<string, string>
  readonly hubUrl: string | undefined
  readonly siteOffsetMinutes: number
  /** Renders an entry's body (the feeds function passes its guarded renderer). @default renderHtml */
  readonly renderBody?: BodyRenderer | undefined
}

/**
 * Turns stored entries into a clean, format-neutral feed: strings cleaned, ids = share URLs normalised once,
 * dates with their own offset, items dated in the future (after `now`), before 1990 or invalidly left out,
 * and `updated` taken from the newest item so the same data always gives the same feed.
 * @example const feed = buildFeed(await store.latest('markets', 50), source, Date.now())
 */
export function buildFeed(entries: readonly FeedEntry[], source: FeedSource, now: number): FeedDocument {
  const { baseUrl, siteName, slug } = source
  const seen = new Set<string>()
  const items: FeedItem[] = []
  for (const entry of entries) {
    const item = buildItem(entry, source, now)
    if (!item || seen.has(item.id)) continue
    seen.add(item.id)
    items.push(item)
  }
  items.sort((a, b) => b.published.epochMs - a.published.epochMs || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  const newest = items.reduce<FeedDate | undefined>(
    (max, item) => (!max || item.updated.epochMs > max.epochMs ? item.updated : max),
    undefined,
  )
  const categoryTitle = slug
    ? categoryLabel(slug, source.category?.title ?? source.categoryTitles.get(slug))
    : undefined
  const description = text(source.category?.description ?? '')
  return {
    title: categoryTitle ? `${categoryTitle} - ${text(siteName)}` : text(siteName),
    description:
      description ||
      (categoryTitle ? `${text(siteName)}「${categoryTitle}」栏目的最新文章` : `${text(siteName)}的最新文章`),
    homePageUrl: slug ? categoryPageUrl(baseUrl, slug) : new URL('/', `${baseUrl}/`).href,
    links: {
      rss: feedUrl(baseUrl, slug, 'rss.xml'),
      atom: feedUrl(baseUrl, slug, 'atom.xml'),
      json: feedUrl(baseUrl, slug, 'feed.json'),
    },
    hubUrl: source.hubUrl ? new URL(source.hubUrl).href : undefined,
    authorName: text(siteName) || 'finews',
    language: 'zh-CN',
    // An empty feed still needs a date (Atom requires one): the oldest we accept, the same every time.
    updated: newest ?? { epochMs: OLDEST_FEED_DATE_MS, offsetMinutes: source.siteOffsetMinutes },
    ttlMinutes: FEED_TTL_MINUTES,
    categoryScheme: new URL('/category/', `${baseUrl}/`).href,
    generator: 'finews',
    items,
  }
}

/**
 * A category's label: clean, one line, no `<` or `>` (the validator rejects them in labels), else the slug.
 * @example categoryLabel('markets', '<b>市场</b>') // 'b市场/b'
 */
export function categoryLabel(slug: string, title: string | undefined): string {
  return text((title ?? '').replace(/[<>]/g, '')) || slug
}

function buildItem(entry: FeedEntry, source: FeedSource, now: number): FeedItem | undefined {
  if (!isInfoCode(entry.infoCode)) return undefined
  const published = publishTime(entry, source.siteOffsetMinutes)
  if (!published || published.epochMs < OLDEST_FEED_DATE_MS || published.epochMs > now) return undefined
  // The content's time, never the record's: a bulk import or an edit without `last_modified_at` leaves it alone.
  const modified = entry.modifiedAt ? parsePublishTime(entry.modifiedAt, source.siteOffsetMinutes) : undefined
  const updated =
    modified && modified.epochMs > published.epochMs && modified.epochMs <= now
      ? { epochMs: modified.epochMs, offsetMinutes: modified.offsetMinutes }
      : published
  const title = text(entry.title) || '（无标题）'
  const contentHtml = entry.body ? renderEntry(entry, source) : ''
  const author = entry.author ? text(entry.author) : ''
  return {
    id: new URL(shareUrl(source.baseUrl, entry.infoCode)).href,
    title,
    summary: text(entry.summary) || title,
    // Bodies are stored as uploaded and rendered here, only for the items a feed shows (one allow-list).
    contentHtml,
    published,
    updated,
    author: author || undefined,
    image: articlePicture(entry, contentHtml, source.baseUrl),
    originalUrl:
      entry.originalUrl && /^https?:\/\//.test(entry.originalUrl) ? new URL(entry.originalUrl).href : undefined,
    categories: entry.categories
      .filter((slug) => isCategorySlug(slug))
      .map((slug): FeedCategory => ({ term: slug, label: categoryLabel(slug, source.categoryTitles.get(slug)) })),
  }
}

function renderEntry(entry: FeedEntry, source: FeedSource): string {
  return source.renderBody ? source.renderBody(entry.body, entry) : renderHtml(entry.body, source.baseUrl)
}

function publishTime(entry: FeedEntry, siteOffsetMinutes: number): FeedDate | undefined {
  const parsed = parsePublishTime(String(entry.date ?? ''), siteOffsetMinutes)
  // A date that does not parse is rejected (the item is left out), never written as "Invalid Date".
  return parsed ? { epochMs: parsed.epochMs, offsetMinutes: parsed.offsetMinutes } : undefined
}

function text(value: string): string {
  return collapseWhitespace(cleanText(value))
}
