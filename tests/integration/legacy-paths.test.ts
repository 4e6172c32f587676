import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ArticleStore } from '#shared/ports/article-store'
import { output } from '../support/output.ts'
import { TEST_KEY, testApiApp, testStack } from '../support/stack.ts'
import { scanAll } from '../support/table.ts'

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

  it('answers a POST that created its article even when recording fails, so a retry does not create it twice', async () => {
    const failing: ArticleStore = Object.assign(Object.create(stack.articles) as ArticleStore, {
      recordLegacyPaths: async () => {
        throw new Error('table unavailable')
      },
    })
    let answer: Response | undefined
    const logged = await output(async () => {
      answer = await upload(testApiApp(failing), 'POST', '/api/articles', post('/sitenews/2021/12/02/second.html'))
    })

    expect(answer?.status).toBe(201)
    expect(logged.some((line) => line.includes('old paths not recorded'))).toBe(true)
  })
})
