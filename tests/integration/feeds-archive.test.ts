import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { type Pipeline, startPipeline } from '../../local/pipeline.ts'
import { atomSchemaErrors, parseJsonFeed, parseXmlFeed, xmlErrors } from '../support/feeds.ts'

// The archive end to end on `startPipeline` (API, stream poller, feeds handler, static site): 300 articles
// of one category over 90 days, uploaded in shuffled order (so old pages are split as well as new ones
// filled), then every chain walked from its head as a reader or a crawler would.
const CATEGORY = 'archive-walk'
const COUNT = 300
const DAY = 86_400_000

let pipeline: Pipeline
let base: string

beforeAll(async () => {
  const id = randomUUID().slice(0, 8)
  pipeline = await startPipeline({
    servers: { dynamoEndpoint: inject('dynamoEndpoint'), s3Endpoint: inject('s3Endpoint') },
    env: { TABLE_NAME: `archive-${id}`, BUCKET_NAME: `archive-${id}`, API_KEY: 'archive-walk-key' },
  })
  base = pipeline.config.publicBaseUrl
})
afterAll(() => pipeline?.stop())

/** A document as served: its body and its ETag. */
interface Fetched {
  readonly url: string
  readonly body: string
  readonly etag: string
}

async function get(url: string): Promise<Fetched> {
  const response = await fetch(url.replace(base, pipeline.url))
  expect(response.status, url).toBe(200)
  return { url, body: await response.text(), etag: response.headers.get('etag') ?? '' }
}

/** A walk: every document of a chain, and the article URLs found in it, in order. */
interface Walk {
  readonly documents: Fetched[]
  readonly articles: string[]
}

async function walk(start: string, idsOf: (body: string) => string[], nextOf: (body: string) => string | undefined) {
  const documents: Fetched[] = []
  const articles: string[] = []
  const seen = new Set<string>()
  for (let url: string | undefined = start; url !== undefined; ) {
    expect(seen.has(url), `a chain loops back to ${url}`).toBe(false)
    seen.add(url)
    const document = await get(url)
    documents.push(document)
    articles.push(...idsOf(document.body))
    url = nextOf(document.body)
  }
  return { documents, articles } satisfies Walk
}

const decode = (value: string) => value.replaceAll('&amp;', '&')
const first = (pattern: RegExp, body: string) => {
  const match = pattern.exec(body)?.[1]
  return match === undefined ? undefined : decode(match)
}
const all = (pattern: RegExp, body: string) => [...body.matchAll(pattern)].map((m) => decode(m[1] as string))

const chains = {
  pages: () =>
    walk(
      `${base}/category/${CATEGORY}.html`,
      (body) => all(/<a class="title" href="([^"]+)"/g, body),
      (body) => first(/<a rel="next" href="([^"]+)"/, body),
    ),
  atom: () =>
    walk(
      `${base}/feeds/${CATEGORY}/atom.xml`,
      (body) => parseXmlFeed(body)[0]?.items.map((item) => item.id) ?? [],
      (body) => first(/<link rel="prev-archive" type="application\/atom\+xml" href="([^"]+)"/, body),
    ),
  rss: () =>
    walk(
      `${base}/feeds/${CATEGORY}/rss.xml`,
      (body) => parseXmlFeed(body)[0]?.items.map((item) => item.id) ?? [],
      (body) => first(/<atom:link href="([^"]+)" rel="prev-archive"/, body),
    ),
  json: () =>
    walk(
      `${base}/feeds/${CATEGORY}/feed.json`,
      (body) => parseJsonFeed(body)[0]?.items.map((item) => item.id) ?? [],
      (body) => JSON.parse(body).next_url,
    ),
  sitemaps: async (): Promise<Walk> => {
    const robots = await get(`${base}/robots.txt`)
    const index = all(/^Sitemap: (\S+)$/gm, robots.body).find((url) => url.endsWith('/sitemap.xml'))
    expect(index).toBe(`${base}/sitemap.xml`)
    const documents = [robots, await get(index as string)]
    const articles: string[] = []
    for (const url of all(/<sitemap><loc>([^<]+)<\/loc><\/sitemap>/g, documents[1]?.body ?? '')) {
      const sitemap = await get(url)
      documents.push(sitemap)
      articles.push(...all(/<loc>([^<]+)<\/loc>/g, sitemap.body).filter((loc) => loc.includes('NewsShare.html')))
    }
    return { documents, articles }
  },
}
type Chain = keyof typeof chains

async function walkAll(): Promise<Record<Chain, Walk>> {
  const entries = await Promise.all(Object.entries(chains).map(async ([name, run]) => [name, await run()] as const))
  return Object.fromEntries(entries) as Record<Chain, Walk>
}

/** Documents of each chain that are new or whose ETag changed. */
function changedDocuments(before: Record<Chain, Walk>, after: Record<Chain, Walk>): Record<Chain, string[]> {
  const out = {} as Record<Chain, string[]>
  for (const chain of Object.keys(chains) as Chain[]) {
    const old = new Map(before[chain].documents.map((d) => [d.url, d.etag]))
    out[chain] = after[chain].documents.filter((d) => old.get(d.url) !== d.etag).map((d) => d.url)
  }
  return out
}

const auth = () => ({ Authorization: `Bearer ${pipeline.apiKey}`, 'Content-Type': 'application/json' })

/**
 * One API request, then the feeds brought up to date and every chain walked again: the answer's status, the new
 * walk, and the documents of each chain that are new or changed since `before`.
 */
async function change(before: Record<Chain, Walk>, method: string, path: string, body?: unknown) {
  const response = await fetch(`${pipeline.url}${path}`, {
    method,
    headers: auth(),
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  await pipeline.stream.drained()
  const after = await walkAll()
  return { status: response.status, after, changes: changedDocuments(before, after) }
}
const shareUrl = (infoCode: string) => `${base}/html_News/NewsShare.html?infoCode=${infoCode}`

function article(i: number, publishedAt: number, title = `存档测试第 ${i} 篇`) {
  return {
    infoCode: `NW9000${String(i).padStart(14, '0')}`,
    title,
    date: new Date(publishedAt).toISOString(),
    categories: [CATEGORY],
    tags: ['存档'],
    body: `第 ${i} 篇的正文。`,
  }
}

describe('the archive, walked', () => {
  it('finds every article exactly once in each chain; an upload, an old edit or a delete changes at most 4 documents of each', async () => {
    // Prepare: 300 articles over the last 90 days, uploaded in a shuffled order, 8 at a time.
    const now = Date.now()
    const times = Array.from({ length: COUNT }, (_, i) => now - DAY - Math.floor(((i + 0.5) * 89 * DAY) / COUNT))
    const order = times.map((_, i) => i).sort((a, b) => ((a * 7919) % COUNT) - ((b * 7919) % COUNT))
    const uploads = order.map((i) => article(i, times[i] as number))
    for (let start = 0; start < uploads.length; start += 8) {
      const statuses = await Promise.all(
        uploads.slice(start, start + 8).map(async (body) => {
          const response = await fetch(`${pipeline.url}/api/articles`, {
            method: 'POST',
            headers: auth(),
            body: JSON.stringify(body),
          })
          return response.status === 201 ? 'ok' : `${response.status} ${await response.text()}`
        }),
      )
      expect(statuses.filter((status) => status !== 'ok')).toEqual([])
    }
    // An article that is not published, dated among the others: it must be in no document.
    const hidden = { ...article(COUNT + 1, times[100] as number, '存档测试：未发布'), published: false }
    const stored = await fetch(`${pipeline.url}/api/articles`, {
      method: 'POST',
      headers: auth(),
      body: JSON.stringify(hidden),
    })
    expect(stored.status).toBe(201)
    await pipeline.stream.drained()
    const expected = uploads.map((a) => shareUrl(a.infoCode)).sort()

    // Act: walk every chain.
    const before = await walkAll()

    // Assess: each chain holds every article exactly once; pages hold at most 100; documents are valid.
    for (const chain of Object.keys(chains) as Chain[]) {
      expect([...before[chain].articles].sort(), chain).toEqual(expected)
    }
    expect(before.pages.documents.length).toBeGreaterThanOrEqual(4)
    for (const document of before.pages.documents) {
      expect(all(/<a class="title" href="([^"]+)"/g, document.body).length).toBeLessThanOrEqual(100)
    }
    const atom = Object.fromEntries(before.atom.documents.map((d) => [d.url, d.body]))
    const rss = Object.fromEntries(before.rss.documents.map((d) => [d.url, d.body]))
    expect(await xmlErrors({ ...atom, ...rss })).toEqual([])
    expect(await atomSchemaErrors(atom)).toEqual([])
    for (const document of before.atom.documents.slice(1)) {
      expect(document.body).toContain('<fh:archive/>')
      expect(document.body).toContain(
        `<link rel="current" type="application/atom+xml" href="${base}/feeds/${CATEGORY}/atom.xml"/>`,
      )
    }
    expect(before.atom.documents[0]?.body).not.toContain('<fh:archive/>')

    // Act: upload one new article.
    const fresh = article(COUNT, now - 60_000, '存档测试：最新一篇')
    const created = await change(before, 'POST', '/api/articles', fresh)
    const { after: afterUpload, changes: uploadChanges } = created

    // Assess
    expect(created.status).toBe(201)
    for (const chain of Object.keys(chains) as Chain[]) {
      expect([...afterUpload[chain].articles].sort(), chain).toEqual([...expected, shareUrl(fresh.infoCode)].sort())
      expect(uploadChanges[chain].length, `${chain}: ${uploadChanges[chain].join(', ')}`).toBeLessThanOrEqual(4)
      expect(uploadChanges[chain].length, chain).toBeGreaterThanOrEqual(1)
    }

    // Act: edit the oldest article.
    // An edit says when its content changed (Jekyll's last_modified_at): the item's `updated` and sitemap lastmod.
    const oldest = {
      ...article(COUNT - 1, times[COUNT - 1] as number, '存档测试：最早一篇，改过'),
      last_modified_at: new Date(now - 30_000).toISOString(),
    }
    const edited = await change(afterUpload, 'PUT', `/api/articles/${oldest.infoCode}`, oldest)
    const { after: afterEdit, changes: editChanges } = edited

    // Assess: only the documents holding it change (the last page of each chain, its sitemap).
    expect(edited.status).toBe(200)
    for (const chain of Object.keys(chains) as Chain[]) {
      expect(editChanges[chain].length, `${chain}: ${editChanges[chain].join(', ')}`).toBeLessThanOrEqual(4)
      expect(editChanges[chain].length, chain).toBeGreaterThanOrEqual(1)
    }
    expect(afterEdit.atom.documents.filter((d) => d.body.includes('存档测试：最早一篇，改过'))).toHaveLength(1)

    // Act: delete an article deep in the archive.
    const gone = article(150, times[150] as number)
    const deleted = await change(afterEdit, 'DELETE', `/api/articles/${gone.infoCode}`)
    const { after: afterDelete, changes: deleteChanges } = deleted

    // Assess: it left every chain; only the documents that held it changed.
    expect(deleted.status).toBe(204)
    const remaining = [...expected, shareUrl(fresh.infoCode)].filter((url) => url !== shareUrl(gone.infoCode)).sort()
    for (const chain of Object.keys(chains) as Chain[]) {
      expect([...afterDelete[chain].articles].sort(), chain).toEqual(remaining)
      expect(deleteChanges[chain].length, `${chain}: ${deleteChanges[chain].join(', ')}`).toBeLessThanOrEqual(4)
    }
  }, 300_000)
})
