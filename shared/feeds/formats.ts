/** Minutes a reader may keep a feed: RSS `<ttl>`, and `max-age` of the feeds' Cache-Control. */
export const FEED_TTL_MINUTES = 5

/** Cache-Control of every feed file; agrees with `<ttl>`. */
export const FEED_CACHE_CONTROL = `public, max-age=${FEED_TTL_MINUTES * 60}`

/** Cache-Control of the human pages and the OPML list. */
export const PAGE_CACHE_CONTROL = 'public, max-age=60'

/** Content types of everything the feeds function writes. */
export const CONTENT_TYPES = {
  rss: 'application/rss+xml; charset=utf-8',
  atom: 'application/atom+xml; charset=utf-8',
  json: 'application/feed+json; charset=utf-8',
  html: 'text/html; charset=utf-8',
  opml: 'text/x-opml; charset=utf-8',
  xml: 'application/xml; charset=utf-8',
  text: 'text/plain; charset=utf-8',
} as const

/** The object keys of one feed's files: site-wide when `slug` is undefined. */
export interface FeedObjectKeys {
  readonly rss: string
  readonly atom: string
  readonly json: string
  /** Its human page: `index.html` for the site, `category/{slug}.html` for a category. */
  readonly page: string
}

/**
 * Where a feed's files live in the bucket (and so under which path they are served).
 * @example feedObjectKeys('markets').rss // 'feeds/markets/rss.xml'
 */
export function feedObjectKeys(slug: string | undefined): FeedObjectKeys {
  const dir = slug ? `feeds/${slug}` : 'feeds'
  return {
    rss: `${dir}/rss.xml`,
    atom: `${dir}/atom.xml`,
    json: `${dir}/feed.json`,
    page: slug ? `category/${slug}.html` : 'index.html',
  }
}

/** The key of the OPML subscription list. */
export const OPML_KEY = 'feeds/index.opml'
