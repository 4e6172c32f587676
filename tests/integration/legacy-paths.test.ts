import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ArticleStore } from '#shared/ports/article-store'
import { output } from '../support/output.ts'
import { TEST_KEY, testApiApp, testStack } from '../support/stack.ts'

let stack: Awaited<ReturnType<typeof testStack>>

beforeAll(async () => {
  stack = await testStack()
})
afterAll(() => stack?.dispose())

const upload = (app: ReturnType<typeof testApiApp>, method: 'POST' | 'PUT', path: string, fields: object) =>
  app.request(path, {
    method,
    headers: { Authorization: `Bearer ${TEST_KEY}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(fields),
  })

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
