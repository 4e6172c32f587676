import type { MiddlewareHandler } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { Hono } from 'hono/tiny'
import * as v from 'valibot'
import { hashFor, prepareWrite } from '#shared/content/prepare'
import { type ArticleDraft, draftFromFields, draftFromJekyll } from '#shared/domain/article'
import { categoryNameProblem, categorySlug } from '#shared/domain/categories'
import { isInfoCode } from '#shared/domain/codes'
import {
  invalidRequest,
  MalformedBodyError,
  NotFoundError,
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
  ValidationError,
} from '#shared/domain/errors'
import { REDIRECT_FROM_KEY, recordedPaths } from '#shared/domain/legacy-urls'
import { presentArticle } from '#shared/domain/present'
import { cleanText, decodeUtf8, hasCorruptChars, hasVisibleText } from '#shared/domain/text'
import { bearerAuth, type KeyProvider } from '#shared/http/auth'
import { findDuplicateKey } from '#shared/http/duplicate-keys'
import { observed } from '#shared/http/observe'
import { originCheck } from '#shared/http/origin'
import { OUTCOME_HEADER } from '#shared/http/outcome'
import { onApiError, problemResponse } from '#shared/http/problem'
import { rateLimit } from '#shared/http/rate-limit'
import { count, METRIC } from '#shared/observability'
import { type ArticleStore, isTombstone } from '#shared/ports/article-store'

/** What the API app needs from outside. */
export interface ApiDeps {
  readonly articles: ArticleStore
  readonly keys: KeyProvider
  readonly publicBaseUrl: string
  readonly siteOffsetMinutes: number
  /** Requests per minute per API key; 0 turns the limit off. @default 600 */
  readonly rateLimitPerMinute?: number
  /** Accepted values of the origin header CloudFront adds (AWS); unset: no check (local server, tests). */
  readonly originSecrets?: KeyProvider | undefined
}

/** Largest request body the API reads. */
export const MAX_BODY_BYTES = 1024 * 1024

const MARKDOWN_TYPES = new Set(['text/markdown', 'text/x-markdown'])

const CategoryBody = v.object({
  title: v.pipe(
    v.string('title is required and must be a string'),
    v.transform((s) => cleanText(s).trim()),
    v.check(hasVisibleText, 'title must not be empty'),
    v.maxLength(200, 'title must be at most 200 characters'),
  ),
  description: v.optional(
    v.pipe(
      v.string('description must be a string'),
      v.transform((s) => cleanText(s).trim()),
      v.maxLength(1000, 'description must be at most 1000 characters'),
    ),
    '',
  ),
})

/**
 * The upload API: `/api/articles` and `/api/categories`, behind bearer auth, answering problem+json.
 * @example const app = createApiApp({ articles, keys: async () => ['k'], publicBaseUrl, siteOffsetMinutes: 480 })
 */
export function createApiApp(deps: ApiDeps) {
  const app = new Hono<{ Variables: { apiKeyId: string } }>()
  const base = deps.publicBaseUrl
  const context = { siteOffsetMinutes: deps.siteOffsetMinutes }

  app.use('*', observed())
  app.onError(onApiError)
  app.notFound((c) =>
    problemResponse({
      type: 'urn:finews:problem:not-found',
      title: 'Not found',
      status: 404,
      detail: `no route for ${c.req.method} ${c.req.path}`,
    }),
  )

  // Before every route, /healthz included: a request that did not come through CloudFront reaches nothing.
  if (deps.originSecrets) app.use('*', originCheck(deps.originSecrets))

  app.get('/healthz', (c) => c.json({ status: 'ok' }))

  app.use('/api/*', bearerAuth(deps.keys), rateLimit(deps.rateLimitPerMinute ?? 600))
  // Uploads by outcome (an authenticated POST or PUT of an article), read from the answer once it is made.
  // (`/api/articles/*` matches `/api/articles` as well.)
  app.use('/api/articles/*', countUploads)
  // The rest of an oversized body is still on the wire: a client that reused the connection would have its next
  // request cut off when the server stops draining it (undici's fetch then fails one in four).
  const tooLarge = (): never => {
    throw new PayloadTooLargeError(`request bodies are limited to ${MAX_BODY_BYTES} bytes (1 MiB)`, {
      bodyLeftUnread: true,
    })
  }
  const streamedLimit = bodyLimit({ maxSize: MAX_BODY_BYTES, onError: tooLarge })
  app.use('/api/*', (c, next) => {
    // A declared length is judged from the header alone, as bodyLimit would judge it; bodyLimit first reads
    // `c.req.raw.body`, which makes @hono/node-server build a second, stream-backed Request for every upload
    // and read the body through it. Only a body without a length (chunked) is counted as it streams.
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next()
    const length = c.req.header('content-length')
    if (length === undefined || c.req.header('transfer-encoding') !== undefined) return streamedLimit(c, next)
    return Number.parseInt(length, 10) > MAX_BODY_BYTES ? tooLarge() : next()
  })

  async function readDraft(req: Request): Promise<ArticleDraft> {
    const type = (req.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? ''
    if (type !== 'application/json' && !MARKDOWN_TYPES.has(type)) {
      throw new UnsupportedMediaTypeError(
        `send application/json (article fields) or text/markdown (a Jekyll post), not ${type || 'no content type'}`,
      )
    }
    const charset = /;\s*charset\s*=\s*"?([^";\s]*)/i.exec(req.headers.get('content-type') ?? '')?.[1]?.toLowerCase()
    if (charset !== undefined && !['utf-8', 'utf8', 'us-ascii'].includes(charset)) {
      throw new UnsupportedMediaTypeError(`bodies are read as UTF-8; charset=${charset.slice(0, 40)} is not accepted`)
    }
    const text = await readUtf8(req)
    if (MARKDOWN_TYPES.has(type)) return draftFromJekyll(text, context)
    return draftFromFields(parseJsonObject(text), context)
  }

  app.post('/api/articles', async (c) => {
    const draft = await readDraft(c.req.raw)
    // After the body is read, so that a refused header leaves nothing on the wire (the connection stays usable).
    const idempotencyKey = parseIdempotencyKey(c.req.header('idempotency-key'))
    checkLegacyPaths(draft)
    const hash = hashFor(draft)
    // Scoped by the API key, so one client's keys never meet another's; the fingerprint is the content alone.
    const claim =
      idempotencyKey === undefined
        ? undefined
        : { scope: `${c.get('apiKeyId')}#${idempotencyKey}`, fingerprint: hash('') }
    const result = await deps.articles.create(prepareWrite(draft), hash, claim)
    const status = result.outcome === 'created' ? 201 : 200
    return c.json(presentArticle(result.article, base), status, {
      Location: `/api/articles/${result.article.infoCode}`,
      ETag: versionTag(result.article.version),
      [OUTCOME_HEADER]: result.outcome,
    })
  })

  app.put('/api/articles/:infoCode', async (c) => {
    const infoCode = checkedInfoCode(c.req.param('infoCode'))
    const draft = await readDraft(c.req.raw)
    if (draft.infoCode !== undefined && draft.infoCode !== infoCode) {
      throw new ValidationError([
        { path: 'infoCode', message: `the body says ${draft.infoCode} but the URL says ${infoCode}` },
      ])
    }
    const expected = parseIfMatch(c.req.header('if-match'))
    checkLegacyPaths(draft)
    // (no spread of prepareWrite's result: it would compute the summary, which an unchanged upload never needs)
    const write = Object.assign(prepareWrite(draft), { infoCode })
    const result = await deps.articles.put(write, hashFor(draft)(infoCode), expected)
    return c.json(presentArticle(result.article, base), result.outcome === 'created' ? 201 : 200, {
      Location: `/api/articles/${infoCode}`,
      ETag: versionTag(result.article.version),
      [OUTCOME_HEADER]: result.outcome,
    })
  })

  app.get('/api/articles/:infoCode', async (c) => {
    const infoCode = checkedInfoCode(c.req.param('infoCode'))
    const stored = await deps.articles.get(infoCode)
    if (!stored) throw new NotFoundError(`no article ${infoCode}`)
    if (isTombstone(stored)) throw new NotFoundError(`article ${infoCode} was deleted at ${stored.deletedAt}`)
    return c.json(presentArticle(stored, base), 200, { ETag: versionTag(stored.version) })
  })

  app.delete('/api/articles/:infoCode', async (c) => {
    const infoCode = checkedInfoCode(c.req.param('infoCode'))
    if (!(await deps.articles.delete(infoCode))) throw new NotFoundError(`no article ${infoCode}`)
    return c.body(null, 204)
  })

  app.get('/api/articles', async (c) => {
    const category = c.req.query('category')
    const limitRaw = c.req.query('limit') ?? '20'
    const cursor = c.req.query('cursor')
    const errors = []
    const categoryProblem = category === undefined ? undefined : categoryNameProblem(category.trim())
    if (categoryProblem) errors.push({ path: 'category', message: categoryProblem })
    const limit = Number(limitRaw)
    if (!/^\d{1,3}$/.test(limitRaw) || limit < 1 || limit > 100) {
      errors.push({ path: 'limit', message: 'limit must be a whole number from 1 to 100' })
    }
    if (errors.length > 0) throw new ValidationError(errors)
    const page = await deps.articles.list({
      limit,
      ...(category ? { category: categorySlug(category) } : {}),
      ...(cursor ? { cursor } : {}),
    })
    return c.json({ items: page.items.map((a) => presentArticle(a, base)), cursor: page.cursor })
  })

  app.get('/api/categories', async (c) => c.json({ items: await deps.articles.listCategories() }))

  app.get('/api/categories/:slug', async (c) => {
    const slug = checkedSlug(c.req.param('slug'))
    const category = await deps.articles.getCategory(slug)
    if (!category) throw new NotFoundError(`no category ${slug}`)
    return c.json(category)
  })

  app.put('/api/categories/:slug', async (c) => {
    const slug = checkedSlug(c.req.param('slug'))
    const type = (c.req.header('content-type') ?? '').split(';')[0]?.trim().toLowerCase()
    if (type !== 'application/json') throw new UnsupportedMediaTypeError('send the category as application/json')
    const parsed = v.safeParse(CategoryBody, parseJsonObject(await readUtf8(c.req.raw)))
    if (!parsed.success) {
      const errors = parsed.issues.map((i) => ({ path: v.getDotPath(i) ?? 'title', message: i.message }))
      throw new ValidationError(errors, undefined, 'category')
    }
    return c.json(await deps.articles.putCategory({ slug, ...parsed.output }))
  })

  return app
}

/**
 * Checks the old site paths an upload asks to lead to it (`redirect_from`) before anything is read or written;
 * the store records them in the transaction that creates or replaces the article, so an unchanged upload (whose
 * content hash covers them) writes nothing and a stored article never lacks them.
 */
function checkLegacyPaths(draft: ArticleDraft): void {
  try {
    recordedPaths(draft.extra[REDIRECT_FROM_KEY])
  } catch (error) {
    throw new ValidationError([{ path: REDIRECT_FROM_KEY, message: (error as Error).message }])
  }
}

const countUploads: MiddlewareHandler = async (c, next) => {
  await next()
  if (c.req.method !== 'POST' && c.req.method !== 'PUT') return
  const status = c.res.status
  const outcome = status >= 500 ? 'failed' : status >= 400 ? 'rejected' : (c.res.headers.get(OUTCOME_HEADER) ?? 'other')
  count(METRIC.uploads, 1, { outcome })
}

function checkedInfoCode(value: string): string {
  if (!isInfoCode(value)) {
    throw invalidRequest('infoCode', 'infoCode must be two capital letters and 18 digits, like NW202204162345423378')
  }
  return value
}

/** A category slug from a path segment holding its slug or one of its names (`TechWeb` is `techweb`). */
function checkedSlug(value: string): string {
  const problem = categoryNameProblem(value.trim())
  if (problem) throw invalidRequest('slug', problem)
  return categorySlug(value)
}

function versionTag(version: number): string {
  return `"v${version}"`
}

function parseIfMatch(header: string | undefined): number | undefined {
  if (header === undefined) return undefined
  const match = /^\s*(?:W\/)?"v(\d{1,9})"\s*$/.exec(header)
  if (!match) {
    const message = 'If-Match must be an ETag this API returned, like "v3"'
    throw invalidRequest('If-Match', message)
  }
  return Number(match[1])
}

// The Idempotency-Key header (draft-ietf-httpapi-idempotency-key-header): a structured-field string, or the
// same characters unquoted as most clients send them.
const IDEMPOTENCY_KEY = /^\s*(?:"([\x20\x21\x23-\x5b\x5d-\x7e]{1,255})"|([\x21-\x7e]{1,255}))\s*$/

function parseIdempotencyKey(header: string | undefined): string | undefined {
  if (header === undefined) return undefined
  const match = IDEMPOTENCY_KEY.exec(header)
  if (!match) {
    const message = 'Idempotency-Key must be 1 to 255 visible ASCII characters, like "import-9f86d081884c7d65"'
    throw invalidRequest('Idempotency-Key', message)
  }
  return match[1] ?? match[2]
}

async function readUtf8(req: Request): Promise<string> {
  const bytes = new Uint8Array(await req.arrayBuffer())
  if (bytes.byteLength > MAX_BODY_BYTES) {
    throw new PayloadTooLargeError(`request bodies are limited to ${MAX_BODY_BYTES} bytes (1 MiB)`)
  }
  const text = decodeUtf8(bytes)
  if (text === undefined) throw new MalformedBodyError('the body is not valid UTF-8', 'body')
  if (hasCorruptChars(text)) throw new MalformedBodyError('the body contains a NUL character', 'body')
  return text
}

function parseJsonObject(text: string): Record<string, unknown> {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    throw new MalformedBodyError(`the body is not valid JSON: ${(error as Error).message}`, 'body', error)
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new MalformedBodyError('the body must be a JSON object of article fields', 'body')
  }
  const repeated = findDuplicateKey(text)
  if (repeated !== undefined) {
    throw new MalformedBodyError(`the body gives the key ${repeated} twice; send each key once`, repeated)
  }
  return value as Record<string, unknown>
}
