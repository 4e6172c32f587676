import { createHash } from 'node:crypto'
import { gzipSync } from 'node:zlib'
import type { Context } from 'hono'
import { html } from 'hono/html'
import { Hono } from 'hono/tiny'
import { type BodyRenderer, guardedRenderer } from '#shared/content/guarded-render'
import { isInfoCode, SHORT_CODE_PATTERN } from '#shared/domain/codes'
import { legacyPostTarget } from '#shared/domain/legacy-urls'
import { shareUrl } from '#shared/domain/urls'
import { observed } from '#shared/http/observe'
import { failureOf } from '#shared/http/problem'
import { count, log, METRIC, milliseconds } from '#shared/observability'
import { SITE_CSS } from '#shared/pages/layout'
import { type ArticleStore, isTombstone } from '#shared/ports/article-store'
import { coalescingClicks } from './click-counter.ts'
import { isCrawler } from './crawlers.ts'
import { type CategoryLink, renderErrorPage, renderSharePage, type SiteInfo } from './page.ts'
import { TtlLru } from './ttl-lru.ts'
import type { ArticleChanges } from './watch-writes.ts'

/** Bounds of the warm-instance cache of rendered pages and short codes. */
export interface ShareCacheOptions {
  /** @default 500 */
  readonly maxEntries: number
  /** Total characters of cached pages. @default 8_000_000 (at most ~16 MB of strings) */
  readonly maxWeight: number
  /** How long a rendered page is served from memory. @default 60_000 */
  readonly ttlMs: number
  /** How long "no such article / code" is remembered. @default 5_000 */
  readonly negativeTtlMs: number
  /** How long a short code's target is remembered; codes are never reassigned. @default 3_600_000 */
  readonly codeTtlMs: number
  /** Clock, for tests. @default Date.now */
  readonly now: () => number
}

/** What the share app needs from outside. */
export interface ShareDeps {
  readonly articles: ArticleStore
  readonly publicBaseUrl: string
  readonly siteOffsetMinutes: number
  /** @default '财经新闻' */
  readonly siteName?: string
  readonly cache?: Partial<ShareCacheOptions>
  /** Writes made in this process (`npm start`): a changed article's page is dropped from the cache at once. */
  readonly changes?: ArticleChanges
  /**
   * Renders a shown article's body to HTML sanitised by the allow-list; a body that fails or runs over budget
   * shows its summary. @default guardedRenderer({ baseUrl: publicBaseUrl, log })
   */
  readonly renderBody?: BodyRenderer
  /** The clock RenderTime is measured with, in ms; tests advance it. @default performance.now */
  readonly clock?: () => number
}

/** An answer as kept in the cache: rendered, encoded and given its headers once, served many times. */
interface Rendered {
  readonly status: number
  readonly bytes: Uint8Array<ArrayBuffer>
  readonly etag: string
  readonly headers: Readonly<Record<string, string>>
  /** The same answer gzipped, for clients (and CloudFront) that accept it; share pages only. */
  readonly gzipped?: Rendered
}

const SHARE_PATH = '/html_News/NewsShare.html'

// The one inline stylesheet is allowed by its hash, so no other style (let alone script) can run.
const STYLE_HASH = `'sha256-${createHash('sha256').update(SITE_CSS).digest('base64')}'`

/** The Content-Security-Policy of every share-app answer: no script at all, nothing but images fetched. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  'img-src https: http: data:',
  `style-src ${STYLE_HASH}`,
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ')

const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'strict-origin-when-cross-origin',
  'X-Frame-Options': 'DENY',
}

// How long CloudFront and browsers may keep each answer. A missing article may be uploaded soon, a
// malformed link never becomes valid, a deleted one may be re-created (so not for long either).
const CACHE_CONTROL: Readonly<Record<number, string>> = {
  200: 'public, max-age=300',
  400: 'public, max-age=300',
  404: 'public, max-age=60',
  405: 'public, max-age=300',
  410: 'public, max-age=300',
}

// An old post URL always leads to the same article: its 301 may be kept a day.
const LEGACY_REDIRECT_CACHE = 'public, max-age=86400'

/**
 * The share app: the legacy `GET /html_News/NewsShare.html?infoCode=…` page and `GET /s/{code}` short
 * links, server-rendered without script, with a bounded in-memory cache so a viral link costs few reads.
 * @example const app = createShareApp({ articles, publicBaseUrl: 'https://news.example.com', siteOffsetMinutes: 480 })
 */
export function createShareApp(deps: ShareDeps) {
  const site: SiteInfo = {
    baseUrl: deps.publicBaseUrl,
    siteName: deps.siteName ?? '财经新闻',
    siteOffsetMinutes: deps.siteOffsetMinutes,
  }
  const options: ShareCacheOptions = {
    maxEntries: 500,
    maxWeight: 8_000_000,
    ttlMs: 60_000,
    negativeTtlMs: 5_000,
    codeTtlMs: 3_600_000,
    now: Date.now,
    ...deps.cache,
  }
  const renderBody = deps.renderBody ?? guardedRenderer({ baseUrl: deps.publicBaseUrl, log })
  const clock = deps.clock ?? (() => performance.now())
  const cache = new TtlLru<string, Rendered | string | null>(options)
  const inflight = new Map<string, Promise<Rendered | string | null>>()
  const errorPages = new Map<number, Promise<Rendered>>()
  // Bumped on every change heard, so a load that started before it does not cache what it read.
  let generation = 0
  deps.changes?.subscribe((infoCode) => {
    generation++
    if (infoCode === undefined) {
      cache.clear()
      inflight.clear()
    } else {
      cache.delete(`i:${infoCode}`)
      inflight.delete(`i:${infoCode}`)
    }
  })

  /** The cached value under `key`, or the loader's, with concurrent misses sharing one load. */
  async function cached<V extends Rendered | string | null>(
    key: string,
    load: () => Promise<{ value: V; ttlMs: number; weight: number }>,
  ): Promise<V> {
    const hit = cache.get(key)
    if (hit !== undefined) return hit as V
    const running = inflight.get(key)
    if (running) return (await running) as V
    const started = generation
    const loading = load().then(({ value, ttlMs, weight }) => {
      if (generation === started) cache.set(key, value, ttlMs, weight)
      return value
    })
    inflight.set(key, loading)
    try {
      return await loading
    } finally {
      if (inflight.get(key) === loading) inflight.delete(key)
    }
  }

  function errorPage(status: number): Promise<Rendered> {
    let rendered = errorPages.get(status)
    if (!rendered) {
      rendered = renderErrorPage(status, site).then((body) => prepared(status, body))
      errorPages.set(status, rendered)
    }
    return rendered
  }

  /** A redirect to `location` with a short body, as RFC 9110 suggests, for clients that do not follow redirects. */
  async function redirect(c: Context, status: 301 | 302, location: string, cacheControl: string): Promise<Response> {
    const note = await html`<!doctype html><title>${site.siteName}</title><a href="${location}">${location}</a>`
    return c.body(note.toString(), status, {
      ...SECURITY_HEADERS,
      Location: location,
      'Content-Type': 'text/html; charset=utf-8',
      'Cache-Control': cacheControl,
    })
  }

  async function renderArticle(infoCode: string): Promise<Rendered> {
    const stored = await deps.articles.get(infoCode)
    if (!stored) return errorPage(404)
    if (isTombstone(stored)) return errorPage(410)
    // An unpublished article (Jekyll's `published: false`) is stored and editable, never public.
    if (!stored.published) return errorPage(404)
    const categories: CategoryLink[] = await Promise.all(
      stored.categories.map(async (slug) => ({ slug, title: (await deps.articles.getCategory(slug))?.title ?? slug })),
    )
    // The body is rendered inside renderSharePage: only for a page shown, and measured with it.
    const started = clock()
    const page = await renderSharePage(stored, categories, site, renderBody)
    milliseconds(METRIC.renderTime, clock() - started)
    return prepared(200, page)
  }

  const app = new Hono()
  app.use('*', observed())

  app.onError(async (error, c) => {
    // One classifier for every app: storage that is down is a 503 the reader can retry, not a 500.
    const failure = failureOf(error, c.req.path)
    return send(c, await errorPage(failure.status), { ...failure.headers })
  })
  app.notFound(async (c) => send(c, await errorPage(404)))

  // Every post URL the old Jekyll site published: one 301 to the share page (docs/operations.md, Old URLs). The name
  // gives the infoCode (`NW{18}`, `{18}`) without a read; any other name is looked up among recorded paths.
  app.get('*', async (c, next) => {
    const target = legacyPostTarget(c.req.path)
    if (!target) return next()
    const infoCode =
      'infoCode' in target
        ? target.infoCode
        : await cached(`p:${target.lookup}`, async () => {
            const value = (await deps.articles.resolveLegacyPath(target.lookup)) ?? null
            return { value, ttlMs: value ? options.codeTtlMs : options.negativeTtlMs, weight: 64 }
          })
    if (!infoCode) return send(c, await errorPage(404))
    return redirect(c, 301, shareUrl(site.baseUrl, infoCode), LEGACY_REDIRECT_CACHE)
  })

  app.get(SHARE_PATH, async (c) => {
    const infoCode = c.req.query('infoCode')
    if (infoCode === undefined || !isInfoCode(infoCode)) return send(c, await errorPage(400))
    const rendered = await cached(`i:${infoCode}`, async () => {
      const value = await renderArticle(infoCode)
      const ttlMs = value.status === 200 || value.status === 410 ? options.ttlMs : options.negativeTtlMs
      return { value, ttlMs, weight: value.status === 200 ? value.bytes.byteLength : 64 }
    })
    return send(c, rendered)
  })

  app.get('/s/:code', async (c) => {
    const code = c.req.param('code')
    // A path that is not a code names no link: 404, like any unknown path.
    if (!SHORT_CODE_PATTERN.test(code)) return send(c, await errorPage(404))
    const infoCode = await cached(`s:${code}`, async () => {
      const value = (await deps.articles.resolveShortCode(code)) ?? null
      return { value, ttlMs: value ? options.codeTtlMs : options.negativeTtlMs, weight: 64 }
    })
    if (!infoCode) return send(c, await errorPage(404))
    if (c.req.method === 'GET') {
      if (isCrawler(c.req.header('user-agent'))) count(METRIC.crawlersIgnored)
      else await countClick(infoCode)
    }
    return redirect(c, 302, shareUrl(site.baseUrl, infoCode), 'private, no-store')
  })

  // Other methods on the two routes: 405 with the methods that work.
  app.all(SHARE_PATH, async (c) => send(c, await errorPage(405), { Allow: 'GET, HEAD' }))
  app.all('/s/:code', async (c) => send(c, await errorPage(405), { Allow: 'GET, HEAD' }))

  const click = coalescingClicks((infoCode, count) => deps.articles.countClick(infoCode, count))
  async function countClick(infoCode: string): Promise<void> {
    try {
      await click(infoCode)
      count(METRIC.clicksCounted)
    } catch (error) {
      // A counter that fails must not break the link for the person who clicked it.
      log({ level: 'warn', msg: 'click not counted', infoCode, error: String(error) })
    }
  }

  return app
}

/** The cached answer as a `Response`; its plain header object lets the Node server write it without copying. */
function send(c: Context, rendered: Rendered, extra?: Record<string, string>): Response {
  const variant = rendered.gzipped && acceptsGzip(c.req.header('accept-encoding')) ? rendered.gzipped : rendered
  if (variant.status === 200 && matches(c.req.header('if-none-match'), variant.etag)) {
    const { 'Content-Length': _length, ...headers } = variant.headers
    return new Response(null, { status: 304, headers })
  }
  return new Response(variant.bytes, {
    status: variant.status,
    headers: extra ? { ...variant.headers, ...extra } : variant.headers,
  })
}

function prepared(status: number, body: string): Rendered {
  const bytes = new TextEncoder().encode(body)
  const etag = `"${createHash('sha256').update(bytes).digest('base64url').slice(0, 27)}"`
  const headers = {
    ...SECURITY_HEADERS,
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': String(bytes.byteLength),
    'Cache-Control': cacheControl(status),
    ETag: etag,
  }
  if (status !== 200) return { status, bytes, etag, headers }
  // Compressed once per render: a third of the bytes to send, from the Lambda and from the local server.
  const gz = new Uint8Array(gzipSync(bytes))
  const gzEtag = `${etag.slice(0, -1)}-gz"`
  const vary = { Vary: 'Accept-Encoding' }
  return {
    status,
    bytes,
    etag,
    headers: { ...headers, ...vary },
    gzipped: {
      status,
      bytes: gz,
      etag: gzEtag,
      headers: {
        ...headers,
        ...vary,
        'Content-Encoding': 'gzip',
        'Content-Length': String(gz.byteLength),
        ETag: gzEtag,
      },
    },
  }
}

/** True when `Accept-Encoding` lists gzip (or `*`) without `q=0`. */
function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false
  return header.split(',').some((part) => {
    const [name, ...params] = part.trim().toLowerCase().split(';')
    if (name !== 'gzip' && name !== '*') return false
    return !params.some((p) => /^\s*q\s*=\s*0(?:\.0*)?\s*$/.test(p))
  })
}

function cacheControl(status: number): string {
  return CACHE_CONTROL[status] ?? 'no-store'
}

function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false
  return ifNoneMatch
    .split(',')
    .map((tag) => tag.trim().replace(/^W\//, ''))
    .some((tag) => tag === etag || tag === '*')
}
