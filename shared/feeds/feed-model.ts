import { formatIso } from '../domain/dates.ts'

/** An instant and the offset it is shown in: feeds keep each article's own offset. */
export interface FeedDate {
  readonly epochMs: number
  /** Offset from UTC in minutes (+480 for +08:00). */
  readonly offsetMinutes: number
}

/** A category an item is filed under: an ASCII slug as term, a human label without `<` or `>`. */
export interface FeedCategory {
  readonly term: string
  readonly label: string
}

/** One item, already cleaned: every renderer writes exactly these values. */
export interface FeedItem {
  /** The share URL, normalised once: the id and the link in every format. */
  readonly id: string
  /** Plain text as the editor wrote it (markup in it is literal text); never empty. */
  readonly title: string
  /** Plain text; never empty (falls back to the title). */
  readonly summary: string
  /** Sanitised HTML with absolute URLs. */
  readonly contentHtml: string
  readonly published: FeedDate
  /** When the content last changed (`last_modified_at`, else `published`): never before `published`. */
  readonly updated: FeedDate
  readonly categories: readonly FeedCategory[]
  /** The author's name (Atom `author`, JSON Feed `authors`, RSS `dc:creator`); undefined: the feed's. */
  readonly author: string | undefined
  /** The article's picture, absolute: the thumbnail (`media:thumbnail`, JSON Feed `image`). */
  readonly image: string | undefined
  /** The original article elsewhere (Atom `link rel="via"`, JSON Feed `external_url`). */
  readonly originalUrl: string | undefined
}

/** The URL each format of this feed is served at. */
export interface FeedLinks {
  readonly rss: string
  readonly atom: string
  readonly json: string
}

/** The served URLs of a feed document's formats and of its human page. */
export interface FeedDocumentLinks extends FeedLinks {
  readonly page: string
}

/** RFC 5005 links of a paged feed: what an archive document is, and where the older one is. */
export interface FeedHistory {
  /** True in an archive document (`<fh:archive/>`); false in the subscription document. */
  readonly archived: boolean
  /** The next older archive document (`prev-archive`, JSON Feed `next_url`); undefined at the oldest. */
  readonly prev: FeedDocumentLinks | undefined
  /** The next newer archive document (`next-archive`); undefined for the newest and for the head. */
  readonly next?: FeedDocumentLinks | undefined
  /** The subscription document, linked from each archive document as `current`. */
  readonly current: FeedDocumentLinks
}

/** A whole feed, format-neutral: the renderers turn it into RSS 2.0, Atom 1.0 and JSON Feed 1.1. */
export interface FeedDocument {
  readonly title: string
  /** Never empty. */
  readonly description: string
  /** The human page of the feed (home page or category page). */
  readonly homePageUrl: string
  readonly links: FeedLinks
  /** WebSub hub announced in every format; undefined when none is configured. */
  readonly hubUrl: string | undefined
  /** Feed-level author: the site. */
  readonly authorName: string
  /** BCP 47 language tag, `zh-CN`. */
  readonly language: string
  /** The newest item's `updated`; a fixed date for an empty feed. Never "now". */
  readonly updated: FeedDate
  /** Minutes a reader may cache the feed; agrees with the Cache-Control it is served with. */
  readonly ttlMinutes: number
  /** Base URL of the category pages, the scheme (Atom) or domain (RSS) of category terms. */
  readonly categoryScheme: string
  readonly generator: string
  readonly items: readonly FeedItem[]
  /** Paging (RFC 5005); undefined for a feed that has no archive. */
  readonly history?: FeedHistory | undefined
}

/**
 * ISO 8601 in the date's own offset, seconds precision.
 * @example isoDate({ epochMs: Date.parse('2022-04-15T19:21:56Z'), offsetMinutes: 480 }) // '2022-04-16T03:21:56+08:00'
 */
export function isoDate(date: FeedDate): string {
  return formatIso(date.epochMs, date.offsetMinutes)
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

/**
 * RFC 822 (as RFC 1123 amends it: four-digit year) in the date's own offset, as RSS 2.0 wants.
 * @example rfc822Date({ epochMs: Date.parse('2022-04-15T19:21:56Z'), offsetMinutes: 480 }) // 'Sat, 16 Apr 2022 03:21:56 +0800'
 */
export function rfc822Date(date: FeedDate): string {
  const local = new Date(date.epochMs + date.offsetMinutes * 60_000)
  const abs = Math.abs(date.offsetMinutes)
  const offset = `${date.offsetMinutes < 0 ? '-' : '+'}${pad(Math.floor(abs / 60))}${pad(abs % 60)}`
  return `${DAYS[local.getUTCDay()]}, ${pad(local.getUTCDate())} ${MONTHS[local.getUTCMonth()]} ${local.getUTCFullYear()} ${pad(
    local.getUTCHours(),
  )}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())} ${offset}`
}

function pad(n: number): string {
  return String(n).padStart(2, '0')
}
