// The real site's posts (tests/fixtures/real-site, from github zning1994/finews) imported into the local pipeline:
// no page, feed, archive or sitemap this site writes, and no share page, points at the old site's hosts; the old
// footer is not shown, rolling news links its original as 原文链接; `published: false` keeps an article private.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LEGACY_HOSTS } from '#shared/domain/urls'
import type { Pipeline } from '../../local/pipeline.ts'
import type { ImportSummary } from '../../scripts/import/importer.ts'
import { type ImportedRealSite, importRealSite } from '../support/real-site.ts'
import { TEST_KEY } from '../support/stack.ts'

const LEGACY = new RegExp(LEGACY_HOSTS.map((host) => host.replaceAll('.', '\\.')).join('|'), 'g')
const auth = { Authorization: `Bearer ${TEST_KEY}`, 'Content-Type': 'application/json' }

let stack: ImportedRealSite['stack']
let pipeline: Pipeline
let imported: ImportSummary
let codes: string[]

/** Every object the feeds function wrote, by key. */
async function bucket(): Promise<Map<string, string>> {
  const out = new Map<string, string>()
  let token: string | undefined
  do {
    const page = await stack.s3.send(new ListObjectsV2Command({ Bucket: stack.bucketName, ContinuationToken: token }))
    for (const object of page.Contents ?? []) {
      const got = await stack.s3.send(new GetObjectCommand({ Bucket: stack.bucketName, Key: object.Key }))
      out.set(object.Key as string, (await got.Body?.transformToString('utf-8')) ?? '')
    }
    token = page.NextContinuationToken
  } while (token)
  return out
}

const sharePage = (code: string) => fetch(`${pipeline.url}/html_News/NewsShare.html?infoCode=${code}`)

let stateDir: string | undefined

beforeAll(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'finews-display-'))
  ;({ stack, pipeline, imported } = await importRealSite(join(stateDir, 'state.jsonl')))
  codes = [...new Set(imported.results.flatMap((r) => (r.outcome !== 'failed' && r.infoCode ? [r.infoCode] : [])))]
}, 300_000)

afterAll(async () => {
  await pipeline?.stop()
  await stack?.dispose()
  if (stateDir) await rm(stateDir, { recursive: true, force: true })
})

describe('the real site, shown here', () => {
  it('shows no link to the old hosts and no old footer on any share page; rolling news links its original', async () => {
    expect(codes.length).toBeGreaterThanOrEqual(20)
    let originals = 0
    for (const code of codes) {
      const response = await sharePage(code)
      const html = await response.text()
      expect(response.status, code).toBe(200)
      expect(html.match(LEGACY), code).toBeNull()
      expect(html, code).not.toMatch(/返回东财滚动新闻|返回首页|\[返回/)
      const stored = await stack.articles.get(code)
      const original = stored && 'originalUrl' in stored ? stored.originalUrl : undefined
      if (original) {
        originals++
        expect(original).toMatch(/^http:\/\/[a-z]+\.eastmoney\.com\/news\/\d+,\d{18}\.html$/)
        expect(html).toContain(`原文链接：<a href="${original}"`)
      }
    }
    expect(originals).toBeGreaterThanOrEqual(10)
  }, 180_000)

  it('keeps the original link of a rolling-news copy merged into its source-news copy', async () => {
    // Each pair: the source-news copy (its body and footer chosen) and the rolling-news copy linking eastmoney.
    const merged = {
      NW202205262391921712: 'http://finance.eastmoney.com/news/1354,202205262391921712.html',
      NW202201072239307540: expect.stringMatching(
        /^http:\/\/[a-z]+\.eastmoney\.com\/news\/\d+,202201072239307540\.html$/,
      ),
      NW202204212352230938: expect.stringMatching(
        /^http:\/\/[a-z]+\.eastmoney\.com\/news\/\d+,202204212352230938\.html$/,
      ),
    }
    for (const [code, original] of Object.entries(merged)) {
      expect(imported.merges.find((m) => m.infoCode === code)?.files, code).toHaveLength(2)
      expect(await stack.articles.get(code), code).toMatchObject({ originalUrl: original })
    }
  })

  it('labels each category by its posts’ tag, also one whose only article merges two copies', async () => {
    // The old site's posts name one category and its tag, and link back to the category as 返回{tag}
    // (old_post/2022-05-26-NW202205262391921712.md: [返回上海证券报新闻](…/category/shanghaizhengquanbao.html)).
    // shanghaizhengquanbao and quanshangzhongguo hold one article each, merged with its emnews copy.
    const labels = {
      shanghaizhengquanbao: '上海证券报新闻',
      quanshangzhongguo: '券商中国新闻',
      cailianshe: '财联社新闻',
      emnews: '东财滚动新闻',
    }
    const text = async (key: string) => {
      const got = await stack.s3.send(new GetObjectCommand({ Bucket: stack.bucketName, Key: key }))
      return (await got.Body?.transformToString('utf-8')) ?? ''
    }
    for (const [slug, label] of Object.entries(labels)) {
      expect(await text(`category/${slug}.html`), slug).toContain(`<h1>${label}</h1>`)
      expect(await text(`feeds/${slug}/atom.xml`), slug).toContain(`<title type="html">${label} - `)
    }
  })

  it('writes no feed, page, archive or sitemap that links the old hosts', async () => {
    const objects = await bucket()
    expect([...objects.keys()]).toEqual(
      expect.arrayContaining(['feeds/atom.xml', 'feeds/emnews/rss.xml', 'index.html']),
    )
    for (const [key, body] of objects) expect(body.match(LEGACY), key).toBeNull()
    // The feeds show the footer-free body: the share link and 返回 lines of the real posts are gone.
    expect(objects.get('feeds/atom.xml')).not.toMatch(/返回首页|NewsShare\.html\?infoCode=NW\d{18}&gt;/)
  }, 180_000)

  it('keeps an unpublished article stored and editable, out of every feed and page, its share page 404', async () => {
    const code = 'NW202205310000000077'
    const draft = {
      title: '尚未发布的稿件',
      date: '2022-05-31 09:00:00 +0800',
      categories: ['cailianshe'],
      published: false,
      body: '<p>草稿。</p>',
    }
    const put = await fetch(`${pipeline.url}/api/articles/${code}`, {
      method: 'PUT',
      headers: auth,
      body: JSON.stringify(draft),
    })
    await pipeline.stream.drained()

    expect(put.status).toBe(201)
    expect(await put.json()).toMatchObject({ infoCode: code, published: false })
    expect((await sharePage(code)).status).toBe(404)
    for (const [key, body] of await bucket()) expect(body.includes(code), key).toBe(false)

    const publish = await fetch(`${pipeline.url}/api/articles/${code}`, {
      method: 'PUT',
      headers: auth,
      body: JSON.stringify({ ...draft, published: true }),
    })
    await pipeline.stream.drained()
    expect(publish.status).toBe(200)
    expect((await sharePage(code)).status).toBe(200)
    const objects = await bucket()
    expect(objects.get('feeds/cailianshe/atom.xml')).toContain(code)
    expect(objects.get('feeds/atom.xml')).toContain(code)
  }, 180_000)
})
