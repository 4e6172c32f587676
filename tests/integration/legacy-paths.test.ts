import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dynamoArticleStore } from '#shared/adapters/dynamodb-article-store'
import { articleWrites } from '#shared/adapters/dynamodb-article-writes'
import { meter } from '#shared/adapters/dynamodb-table-access'
import { hashFor, prepareWrite } from '#shared/content/prepare'
import { draftFromFields } from '#shared/domain/article'
import { shareUrl } from '#shared/domain/urls'
import { OUTCOME_HEADER } from '#shared/http/outcome'
import type { ArticleStore } from '#shared/ports/article-store'
import { createShareApp } from '../../functions/share/app.ts'
import { output } from '../support/output.ts'
import { TEST_KEY, testApiApp, testStack } from '../support/stack.ts'
import { scanAll } from '../support/table.ts'

const BASE = 'https://news.example.com'
let stack: Awaited<ReturnType<typeof testStack>>

beforeAll(async () => {
  stack = await testStack()
})
afterAll(() => stack?.dispose())

const upload = (
  app: ReturnType<typeof testApiApp>,
  method: 'POST' | 'PUT',
  path: string,
  fields: object,
  headers: Record<string, string> = {},
) =>
  app.request(path, {
    method,
    headers: { Authorization: `Bearer ${TEST_KEY}`, 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(fields),
  })

/** The old paths recorded in the table, read with a scan (not through the store under test). */
async function recordedPaths(): Promise<string[]> {
  const items = await scanAll(stack.documentClient, stack.tableName)
  return items.map((item) => String(item.pk)).filter((pk) => pk.startsWith('PATH#'))
}

const post = (redirectFrom: unknown) => ({
  title: '开站大吉',
  date: '2021-12-01 13:33:50',
  categories: 'sitenews',
  body: '祝贺开站',
  redirect_from: redirectFrom,
})

describe('old paths an upload asks to record (redirect_from)', () => {
  it('records them for the article on PUT, normalised, and finds them again', async () => {
    const app = testApiApp(stack.articles)

    const answer = await upload(
      app,
      'PUT',
      '/api/articles/NW202112011333500001',
      post(['/sitenews/2021/12/01/init.html']),
    )

    expect(answer.status).toBe(201)
    expect(await stack.articles.resolveLegacyPath('/sitenews/2021/12/01/init.html')).toBe('NW202112011333500001')
    expect(await stack.articles.resolveLegacyPath('/sitenews/2021/12/01/other.html')).toBeUndefined()
  })

  it('records nothing for a PUT answered 412 (stale If-Match), and records them once the PUT is current', async () => {
    const app = testApiApp(stack.articles)
    const code = 'NW202112011333500003'
    const before = await recordedPaths()
    expect((await upload(app, 'PUT', `/api/articles/${code}`, post([]))).status).toBe(201)
    const path = '/sitenews/2021/12/01/stale.html'

    const edit = (ifMatch: string) =>
      upload(app, 'PUT', `/api/articles/${code}`, { ...post([path]), title: '改' }, { 'If-Match': ifMatch })

    const stale = await edit('"v7"')
    const missing = await upload(
      app,
      'PUT',
      '/api/articles/NW202112011333500004',
      post(['/sitenews/2021/12/01/never.html']),
      { 'If-Match': '"v1"' },
    )

    expect([stale.status, missing.status]).toEqual([412, 412])
    expect(await recordedPaths()).toEqual(before)
    expect(await stack.articles.resolveLegacyPath(path)).toBeUndefined()

    const current = await edit('"v1"')
    expect(current.status).toBe(200)
    expect(await stack.articles.resolveLegacyPath(path)).toBe(code)
  })

  it('records nothing for a PUT whose write fails', async () => {
    const failing: ArticleStore = Object.assign(Object.create(stack.articles) as ArticleStore, {
      put: async () => {
        throw new Error('table unavailable')
      },
    })
    const before = await recordedPaths()
    let answer: Response | undefined
    await output(async () => {
      answer = await upload(
        testApiApp(failing),
        'PUT',
        '/api/articles/NW202112011333500005',
        post(['/sitenews/2021/12/01/failed.html']),
      )
    })

    expect(answer?.status).toBe(500)
    expect(await recordedPaths()).toEqual(before)
  })

  it('refuses what is not a site path with 400, and stores nothing', async () => {
    const app = testApiApp(stack.articles)

    const answer = await upload(app, 'PUT', '/api/articles/NW202112011333500002', post(['x.html']))

    expect(answer.status).toBe(400)
    expect((await answer.json()).errors).toEqual([expect.objectContaining({ path: 'redirect_from' })])
    expect(await stack.articles.get('NW202112011333500002')).toBeUndefined()
  })

  it('refuses with 400 a path whose item key DynamoDB would refuse (over 2048 bytes), and looks none up', async () => {
    const app = testApiApp(stack.articles)
    // 926 characters (within the 1024 allowed), over 2700 bytes in UTF-8.
    const long = `/sitenews/2021/12/01/${'长'.repeat(900)}.html`
    const before = await stack.allItems()

    const answers = [
      await upload(app, 'POST', '/api/articles', { ...post([long]), infoCode: 'NW202112011333500009' }),
      await upload(app, 'PUT', '/api/articles/NW202112011333500010', post([long])),
    ]
    const share = createShareApp({ articles: stack.articles, publicBaseUrl: BASE, siteOffsetMinutes: 480 })
    const looked = await share.request(encodeURI(long))
    // Within the bound without .html, past it with the .html its look-up adds.
    const bare = await share.request(encodeURI(`/sitenews/2021/12/01/${'长'.repeat(673)}`))

    for (const answer of answers) {
      expect(answer.status).toBe(400)
      expect((await answer.json()).errors).toEqual([expect.objectContaining({ path: 'redirect_from' })])
    }
    expect(await stack.allItems()).toEqual(before)
    expect([looked.status, bare.status]).toEqual([404, 404])
  })

  it('writes the paths of a created or replaced article in its one transaction; every old path leads to it, those a later upload dropped too', async () => {
    const writes = { calls: 0 }
    const store = dynamoArticleStore({
      client: stack.documentClient,
      tableName: stack.tableName,
      siteOffsetMinutes: 480,
      onCapacity: (use) => {
        if (use.kind === 'write') writes.calls++
      },
    })
    const app = testApiApp(store)
    const code = 'NW202112011333500006'
    const [one, two, three] = [
      '/sitenews/2021/12/01/one.html',
      '/sitenews/2021/12/01/二.html',
      '/sitenews/2021/12/01/3.html',
    ]

    const created = await upload(app, 'POST', '/api/articles', { ...post([one, two]), infoCode: code })
    expect([created.status, writes.calls]).toEqual([201, 1])
    writes.calls = 0
    const replaced = await upload(app, 'PUT', `/api/articles/${code}`, { ...post([two, three]), title: '改' })
    expect([replaced.status, replaced.headers.get(OUTCOME_HEADER), writes.calls]).toEqual([200, 'replaced', 1])

    const share = createShareApp({ articles: stack.articles, publicBaseUrl: BASE, siteOffsetMinutes: 480 })
    for (const path of [one, two, three]) {
      expect({ path, infoCode: await stack.articles.resolveLegacyPath(path) }).toEqual({ path, infoCode: code })
      const answer = await share.request(encodeURI(path))
      expect([path, answer.status, answer.headers.get('location')]).toEqual([path, 301, shareUrl(BASE, code)])
    }
  })

  it('leaves no path item when the transaction of a create is cancelled', async () => {
    const writes = articleWrites(
      { client: stack.documentClient, tableName: stack.tableName, metered: meter(undefined) },
      () => new Date(),
    )
    const code = 'NW202112011333500007'
    expect((await upload(testApiApp(stack.articles), 'PUT', `/api/articles/${code}`, post([]))).status).toBe(201)
    const before = await recordedPaths()
    const path = '/sitenews/2021/12/01/raced.html'
    const draft = draftFromFields(post([path]), { siteOffsetMinutes: 480 })
    const create = (infoCode: string) => writes.insert({ ...prepareWrite(draft), infoCode }, hashFor(draft)(infoCode))

    // A create of an infoCode stored meanwhile (two POSTs of one new article): the article's condition cancels it.
    expect((await create(code)).kind).toBe('exists')
    expect(await recordedPaths()).toEqual(before)
    expect(await stack.articles.resolveLegacyPath(path)).toBeUndefined()

    // The same create under a free infoCode stores the path with the article.
    expect((await create('NW202112011333500008')).kind).toBe('ok')
    expect(await stack.articles.resolveLegacyPath(path)).toBe('NW202112011333500008')
  })
})
