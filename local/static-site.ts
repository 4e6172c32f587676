import { type Context, Hono } from 'hono'
import { categoryNameProblem, categorySlug } from '#shared/domain/categories'
import { MOVED_PAGES } from '#shared/domain/legacy-urls'
import { NOT_FOUND_PAGE_KEY } from '#shared/feeds/archive'
import { CONTENT_TYPES } from '#shared/feeds/formats'
import { log } from '#shared/observability'
import type { ObjectStore, StoredObject } from '#shared/ports/object-store'

/** What the static site needs: the bucket the feeds function writes (its 404.html included). */
export interface StaticSiteDeps {
  readonly objects: ObjectStore
}

// Paths CloudFront sends to another origin (the API, the share function), whose own 404s answer there.
const OTHER_ORIGINS = /^\/(?:api\/|healthz$|s\/|html_News\/)/

// Keys the feeds function writes: category slugs (letters and digits of any script, `-`), archive page ids
// and file names, nothing that could climb out of a prefix.
const SLUG = '[\\p{L}\\p{N}-]+'
const ID = '(?:first|\\d{8}T\\d{6}(?:\\.\\d{3})?Z-[A-Z]{2}\\d{18})'
const SAFE_KEY = new RegExp(
  [
    `^(?:feeds/(?:${SLUG}/)?${SLUG}\\.(?:xml|json|opml)`,
    `feeds/(?:${SLUG}/)?archive/${ID}/(?:rss\\.xml|atom\\.xml|feed\\.json)`,
    `category/${SLUG}\\.html`,
    `category/${SLUG}/${ID}\\.html`,
    `archive/${ID}\\.html`,
    `sitemaps/site/${ID}\\.xml`,
    'sitemaps/(?:news|categories)\\.xml',
    'sitemap\\.xml|robots\\.txt|categories\\.html|index\\.html|404\\.html)$',
  ].join('|'),
  'u',
)

// What CloudFront's response headers policy adds in AWS; pages from the bucket run no script.
const HTML_SECURITY_HEADERS = {
  'Content-Security-Policy':
    "default-src 'none'; img-src https: http: data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'Referrer-Policy': 'strict-origin-when-cross-origin',
}

/**
 * Serves `/feeds/**`, `/category/**`, `/archive/**`, the sitemaps, robots.txt and `/` from the bucket as CloudFront in front of S3 does: the stored
 * content type and Cache-Control, a strong ETag, Last-Modified, 304 to If-None-Match / If-Modified-Since
 * (If-None-Match wins when both are sent), HEAD without a body, and for a missing object or any other path the
 * bucket's 404.html with status 404, as CloudFront maps S3's miss (a short text until the feeds function wrote it).
 * @example apps.route('/', createStaticSiteApp({ objects }))
 */
export function createStaticSiteApp(deps: StaticSiteDeps): Hono {
  const app = new Hono()

  async function serve(c: Context, key: string): Promise<Response> {
    let object: StoredObject | undefined
    try {
      object = SAFE_KEY.test(key) ? await deps.objects.get(key) : undefined
    } catch (error) {
      log({ level: 'warn', msg: 'bucket read failed', key, error: String(error) })
      return c.text('Service Unavailable', 503, { 'Retry-After': '1', 'Cache-Control': 'no-store' })
    }
    if (!object) return notFound(c)
    const headers = validators(object)
    if (notModified(c.req.raw.headers, object)) return new Response(null, { status: 304, headers })
    headers.set('Content-Type', object.contentType)
    headers.set('Content-Length', String(object.body.byteLength))
    if (object.contentType.startsWith('text/html')) {
      for (const [name, value] of Object.entries(HTML_SECURITY_HEADERS)) headers.set(name, value)
    }
    return new Response(c.req.method === 'HEAD' ? null : (object.body as Uint8Array<ArrayBuffer>), {
      status: 200,
      headers,
    })
  }

  async function notFound(c: Context): Promise<Response> {
    const headers = { 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' }
    const page = await deps.objects.get(NOT_FOUND_PAGE_KEY).catch((error: unknown) => {
      log({ level: 'warn', msg: 'bucket read failed', key: NOT_FOUND_PAGE_KEY, error: String(error) })
      return undefined
    })
    if (!page) return c.text('页面不存在。', 404, headers)
    return new Response(c.req.method === 'HEAD' ? null : (page.body as Uint8Array<ArrayBuffer>), {
      status: 404,
      headers: { ...headers, ...HTML_SECURITY_HEADERS, 'Content-Type': CONTENT_TYPES.html },
    })
  }

  app.get('/', (c) => serve(c, 'index.html'))
  app.get('/index.html', (c) => serve(c, 'index.html'))
  app.get('/feeds/*', (c) => serve(c, keyOf(c.req.path)))
  app.get('/category/*', (c) => {
    const key = keyOf(c.req.path)
    const slug = oldCategorySlug(key)
    return slug ? moved(c, `/category/${encodeURIComponent(slug)}.html`) : serve(c, key)
  })
  // The old site's URLs, as CloudFront's function answers them (infra/cloudfront/legacy-redirects.js).
  for (const [path, to] of Object.entries(MOVED_PAGES)) app.get(path, (c) => moved(c, to))
  app.get('/archive/*', (c) => serve(c, keyOf(c.req.path)))
  app.get('/sitemaps/*', (c) => serve(c, keyOf(c.req.path)))
  for (const path of ['/sitemap.xml', '/robots.txt', '/categories.html', '/404.html'])
    app.get(path, (c) => serve(c, path.slice(1)))
  // Every other path CloudFront sends to the bucket: S3's miss, which the distribution answers with 404.html.
  app.get('*', (c, next) => (OTHER_ORIGINS.test(c.req.path) ? next() : notFound(c)))
  return app
}

/** One 301 to a path of this site, cached a day as CloudFront's function answers it. */
function moved(c: Context, path: string): Response {
  return c.body(null, 301, { Location: path, 'Cache-Control': 'public, max-age=86400' })
}

/**
 * The slug of `category/{name}.html` when the name is an accepted category name that is not its own slug
 * (`Wind`, `anxinguojizhengquan(xianggang)`, `Career In touxingPEVC`): the old site's page of that category.
 */
function oldCategorySlug(key: string): string | undefined {
  const name = /^category\/([^/]+)\.html$/.exec(key)?.[1]
  if (name === undefined || categoryNameProblem(name) !== undefined) return undefined
  const slug = categorySlug(name)
  return slug !== name ? slug : undefined
}

function keyOf(path: string): string {
  try {
    return decodeURIComponent(path).replace(/^\/+/, '')
  } catch {
    return ''
  }
}

function validators(object: StoredObject): Headers {
  const headers = new Headers({
    ETag: object.etag,
    'Last-Modified': object.lastModified.toUTCString(),
    'X-Content-Type-Options': 'nosniff',
  })
  if (object.cacheControl) headers.set('Cache-Control', object.cacheControl)
  if (object.link) headers.set('Link', object.link)
  return headers
}

/** RFC 9110 §13.2.2: If-None-Match first (weak comparison); If-Modified-Since only without it. */
function notModified(request: Headers, object: StoredObject): boolean {
  const ifNoneMatch = request.get('if-none-match')
  if (ifNoneMatch !== null) {
    if (ifNoneMatch.trim() === '*') return true
    const opaque = (tag: string) => tag.trim().replace(/^W\//, '')
    return ifNoneMatch.split(',').some((tag) => opaque(tag) === opaque(object.etag))
  }
  const ifModifiedSince = request.get('if-modified-since')
  if (ifModifiedSince === null) return false
  const since = Date.parse(ifModifiedSince)
  if (!Number.isFinite(since)) return false
  return Math.floor(object.lastModified.getTime() / 1000) * 1000 <= since
}
