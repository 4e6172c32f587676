import { SITE_FEED } from '../domain/model.ts'
import type { FeedLinks } from './feed-model.ts'

/** Most articles an archive page (and a page of the human archive) holds. */
export const ARCHIVE_PAGE_SIZE = 100

/**
 * Articles the newest archive page is sealed at when it passes them: the tenth left free takes articles
 * uploaded late with an old date (imports, backdated posts) without splitting the page.
 */
export const ARCHIVE_SEAL_SIZE = 90

/** The boundary of a feed's oldest archive page, which is never stored: it reaches back to the first article. */
export const FIRST_BOUNDARY = ''

/** The smallest member key a feed may hold (items before 1990 are never published). */
export const OLDEST_MEMBER_KEY = '1990-01-01T00:00:00.000Z'

/** The later of two member keys (keys compare as strings: a UTC time first, then the infoCode). */
export function laterKey(a: string, b: string): string {
  return a > b ? a : b
}

/**
 * Cache-Control of archive documents: they change only when one of their own articles is edited or
 * deleted, so CloudFront and readers keep them a day (heads: 5 minutes, pages: 1 minute).
 */
export const ARCHIVE_CACHE_CONTROL = 'public, max-age=86400'

/** Cache-Control of robots.txt, the sitemap index and the article sitemaps. */
export const SITEMAP_CACHE_CONTROL = 'public, max-age=3600'

/** Cache-Control of the Google News sitemap (the last 48 hours: it moves with every upload). */
export const NEWS_SITEMAP_CACHE_CONTROL = 'public, max-age=300'

/** Object keys of the sitemaps and robots.txt. */
export const SITEMAP_KEYS = {
  robots: 'robots.txt',
  index: 'sitemap.xml',
  news: 'sitemaps/news.xml',
  categories: 'sitemaps/categories.xml',
} as const

/** The key of the categories index page. */
export const CATEGORIES_PAGE_KEY = 'categories.html'

/** The key of the page CloudFront (and the local static site) answers for any path the bucket does not hold. */
export const NOT_FOUND_PAGE_KEY = '404.html'

/**
 * The URL-safe id of the archive page that starts at `boundary` (a member key): its UTC time without
 * separators, then the infoCode; the oldest page is `first`.
 * @example archivePageId('2022-04-15T19:21:56.000Z#NW202204160321560001') // '20220415T192156Z-NW202204160321560001'
 */
export function archivePageId(boundary: string): string {
  if (boundary === FIRST_BOUNDARY) return 'first'
  return boundary
    .replace(/\.000Z#/, 'Z#')
    .replace(/[-:]/g, '')
    .replace('#', '-')
}

/** What an id may look like in a key or URL (the static site refuses anything else). */
export const ARCHIVE_ID_PATTERN = /^(?:first|\d{8}T\d{6}(?:\.\d{3})?Z-[A-Z]{2}\d{18})$/

/** The object keys of one archive page of a feed. */
export interface ArchivePageKeys {
  readonly rss: string
  readonly atom: string
  readonly json: string
  /** Its human page: `archive/{id}.html` for the site, `category/{slug}/{id}.html` for a category. */
  readonly page: string
  /** The sitemap of the share pages in its range (site-wide feed only). */
  readonly sitemap: string
}

/**
 * Where one archive page of a feed lives in the bucket.
 * @example archivePageKeys('markets', 'first').atom // 'feeds/markets/archive/first/atom.xml'
 */
export function archivePageKeys(feed: string, id: string): ArchivePageKeys {
  const dir = feed === SITE_FEED ? 'feeds/archive' : `feeds/${feed}/archive`
  return {
    rss: `${dir}/${id}/rss.xml`,
    atom: `${dir}/${id}/atom.xml`,
    json: `${dir}/${id}/feed.json`,
    page: feed === SITE_FEED ? `archive/${id}.html` : `category/${feed}/${id}.html`,
    sitemap: `sitemaps/site/${id}.xml`,
  }
}

/** The served URLs of one archive page: its three documents and its human page. */
export interface ArchiveLinks extends FeedLinks {
  readonly page: string
}

/** The URLs of an archive page of a feed. */
export function archiveLinks(baseUrl: string, feed: string, id: string): ArchiveLinks {
  const objectKeys = archivePageKeys(feed, id)
  const url = (key: string) => new URL(`/${key}`, `${baseUrl}/`).href
  return {
    rss: url(objectKeys.rss),
    atom: url(objectKeys.atom),
    json: url(objectKeys.json),
    page: url(objectKeys.page),
  }
}

/** The served URL of an object key. */
export function objectUrl(baseUrl: string, key: string): string {
  return new URL(`/${key}`, `${baseUrl}/`).href
}
