import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { type Pipeline, startPipeline } from '../../local/pipeline.ts'
import { parseJsonFeed, parseXmlFeed } from '../support/feeds.ts'
import { FIXTURE_INFO_CODE, FIXTURE_POST, FIXTURE_TITLE } from '../support/fixture.ts'

const SIX = [
  '/feeds/rss.xml',
  '/feeds/atom.xml',
  '/feeds/feed.json',
  '/feeds/zhongguojingyingwang/rss.xml',
  '/feeds/zhongguojingyingwang/atom.xml',
  '/feeds/zhongguojingyingwang/feed.json',
]

let pipeline: Pipeline

beforeAll(async () => {
  const id = randomUUID().slice(0, 8)
  pipeline = await startPipeline({
    servers: { dynamoEndpoint: inject('dynamoEndpoint'), s3Endpoint: inject('s3Endpoint') },
    env: { TABLE_NAME: `e2e-feeds-${id}`, BUCKET_NAME: `e2e-feeds-${id}`, API_KEY: 'e2e-feeds-key' },
  })
})
afterAll(() => pipeline?.stop())

/** The ids each parser reads in each of the six feeds, fetched over HTTP. */
async function idsInSix(): Promise<string[][]> {
  const bodies = await Promise.all(
    SIX.map(async (path) => {
      const response = await fetch(`${pipeline.url}${path}`)
      return [path, response.status === 200 ? await response.text() : ''] as const
    }),
  )
  return bodies.flatMap(([path, body]) => {
    if (!body) return [[]]
    const parsed = path.endsWith('.json') ? parseJsonFeed(body) : parseXmlFeed(body)
    return parsed.map((p) => p.items.map((i) => i.id))
  })
}

/** Polls until `check` holds; the test's own timeout bounds it (no timed assertion). */
async function eventually<T>(read: () => Promise<T>, check: (value: T) => boolean): Promise<T> {
  for (;;) {
    const value = await read()
    if (check(value)) return value
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

describe('npm start, end to end', () => {
  it("answers a mistyped link with the site's Chinese 404 page from the start, before any upload", async () => {
    // Act: nothing uploaded yet; a path nobody published, and an API path (the API answers it, not the page).
    const missing = await fetch(`${pipeline.url}/news/2024/typo.html`)
    const api = await fetch(`${pipeline.url}/api/no-such-route`)

    // Assess
    expect(missing.status).toBe(404)
    expect(missing.headers.get('content-type')).toBe('text/html; charset=utf-8')
    const body = await missing.text()
    expect(body).toMatch(/<html lang="zh-CN">/)
    expect(body).toContain('页面不存在')
    expect(body).toContain(`href="${pipeline.config.publicBaseUrl}/categories.html"`)
    expect(api.headers.get('content-type')).toMatch(/^application\/problem\+json/)
  })

  it('shows an uploaded post in all six feeds with its share URL as id, answers 304, and drops it on delete', async () => {
    // Prepare
    const shareUrl = `${pipeline.config.publicBaseUrl}/html_News/NewsShare.html?infoCode=${FIXTURE_INFO_CODE}`
    const auth = { Authorization: `Bearer ${pipeline.apiKey}` }

    // Act: upload the reference post over HTTP, then wait for the stream to carry it to every feed.
    const upload = await fetch(`${pipeline.url}/api/articles`, {
      method: 'POST',
      headers: { ...auth, 'Content-Type': 'text/markdown; charset=utf-8' },
      body: FIXTURE_POST,
    })
    const present = await eventually(idsInSix, (ids) => ids.every((list) => list.includes(shareUrl)))

    // Assess
    expect(upload.status).toBe(201)
    expect(present).toHaveLength(16)
    for (const ids of present) expect(ids).toEqual([shareUrl])
    const atom = await fetch(`${pipeline.url}/feeds/zhongguojingyingwang/atom.xml`)
    const etag = atom.headers.get('etag') ?? ''
    const body = await atom.text()
    expect(atom.headers.get('content-type')).toBe('application/atom+xml; charset=utf-8')
    expect(atom.headers.get('cache-control')).toBe('public, max-age=300')
    expect(atom.headers.get('last-modified')).toMatch(/GMT$/)
    expect(etag).toMatch(/^"[^"]+"$/)
    expect(parseXmlFeed(body)[0]?.items[0]?.title).toBe(FIXTURE_TITLE)
    expect(body).toContain('<published>2022-04-16T03:21:56+08:00</published>')
    const again = await fetch(`${pipeline.url}/feeds/zhongguojingyingwang/atom.xml`, {
      headers: { 'If-None-Match': etag },
    })
    expect(again.status).toBe(304)
    expect(await again.text()).toBe('')
    const page = await (await fetch(`${pipeline.url}/category/zhongguojingyingwang.html`)).text()
    expect(page).toContain('中国经营网新闻')
    expect(page).toContain(shareUrl.replaceAll('&', '&amp;'))
    const opml = await (await fetch(`${pipeline.url}/feeds/index.opml`)).text()
    expect(opml).toContain('/feeds/zhongguojingyingwang/rss.xml')

    // Act: delete it.
    const removed = await fetch(`${pipeline.url}/api/articles/${FIXTURE_INFO_CODE}`, {
      method: 'DELETE',
      headers: auth,
    })
    const gone = await eventually(idsInSix, (ids) => ids.every((list) => !list.includes(shareUrl)))

    // Assess
    expect(removed.status).toBe(204)
    expect(gone).toEqual(Array(16).fill([]))
    const afterDelete = await fetch(`${pipeline.url}/feeds/zhongguojingyingwang/atom.xml`, {
      headers: { 'If-None-Match': etag },
    })
    expect(afterDelete.status).toBe(200)
  })
})
