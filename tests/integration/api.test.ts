import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { createApiApp } from '../../functions/api/app.ts'
import { FIXTURE_INFO_CODE, FIXTURE_POST, FIXTURE_TITLE, post } from '../support/fixture.ts'
import { TEST_KEY, testApiApp, testStack } from '../support/stack.ts'

const BASE = 'https://news.example.com'
const OTHER_KEY = 'other-key-0123456789abcdef'
let stack: Awaited<ReturnType<typeof testStack>>
let app: ReturnType<typeof createApiApp>

beforeAll(async () => {
  stack = await testStack()
  app = testApiApp(stack.articles, { publicBaseUrl: BASE })
})
afterAll(() => stack.dispose())

const auth = { Authorization: `Bearer ${TEST_KEY}` }
const markdown = (body: string, headers: Record<string, string> = {}) => ({
  method: 'POST',
  headers: { ...auth, 'Content-Type': 'text/markdown; charset=utf-8', ...headers },
  body,
})
const json = (value: unknown, method = 'POST') => ({
  method,
  headers: { ...auth, 'Content-Type': 'application/json' },
  body: typeof value === 'string' ? value : JSON.stringify(value),
})

describe('uploading the reference post', () => {
  it('creates it with the fields of the contract, then answers 200 to the same upload', async () => {
    // Act
    const created = await app.request('/api/articles', markdown(FIXTURE_POST))
    const again = await app.request('/api/articles', markdown(FIXTURE_POST))
    const fetched = await app.request(`/api/articles/${FIXTURE_INFO_CODE}`, { headers: auth })

    // Assess
    expect(created.status).toBe(201)
    expect(created.headers.get('location')).toBe(`/api/articles/${FIXTURE_INFO_CODE}`)
    const article = await created.json()
    expect(article).toMatchObject({
      infoCode: FIXTURE_INFO_CODE,
      title: FIXTURE_TITLE,
      date: '2022-04-16T03:21:56+08:00',
      categories: ['zhongguojingyingwang'],
      tags: ['中国经营网新闻'],
      source: '中国经营网',
      layout: 'post',
      clicks: 0,
      shareUrl: `${BASE}/html_News/NewsShare.html?infoCode=${FIXTURE_INFO_CODE}`,
    })
    expect(article.shortUrl).toMatch(/^https:\/\/news\.example\.com\/s\/[0-9A-Za-z]{6,10}$/)
    expect(article.summary).toMatch(/^普惠型小微企业贷款余额9606亿元/)
    expect(article.summary).not.toMatch(/[<>]/)
    expect([...article.summary].length).toBeLessThanOrEqual(200)
    expect(again.status).toBe(200)
    expect(await again.json()).toEqual(article)
    expect(fetched.status).toBe(200)
    expect(await fetched.json()).toEqual(article)
  })

  it('answers 409 to other content under the same infoCode, and stores nothing', async () => {
    const before = await stack.allItems()
    const changed = FIXTURE_POST.replace('title: "', 'title: "改：')

    const response = await app.request('/api/articles', markdown(changed))

    expect(response.status).toBe(409)
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/)
    expect((await response.json()).detail).toMatch(/PUT/)
    expect(await stack.allItems()).toEqual(before)
  })
})

describe('PUT, GET, DELETE and listing', () => {
  const code = 'NW202401021000000001'

  it('creates with PUT (201), replaces (200), honours If-Match, and moves the article between categories', async () => {
    const first = await app.request(`/api/articles/${code}`, {
      ...markdown(post({ categories: 'markets' })),
      method: 'PUT',
    })
    expect(first.status).toBe(201)
    const second = await app.request(`/api/articles/${code}`, {
      ...markdown(post({ categories: 'banks', title: '"新标题"' })),
      method: 'PUT',
    })
    expect(second.status).toBe(200)
    expect(await second.json()).toMatchObject({ title: '新标题', categories: ['banks'], version: 2 })
    const stale = await app.request(`/api/articles/${code}`, {
      ...markdown(post({ categories: 'banks', title: '"第三"' }), { 'If-Match': '"v1"' }),
      method: 'PUT',
    })
    expect(stale.status).toBe(412)

    const markets = await (await app.request('/api/articles?category=markets', { headers: auth })).json()
    const banks = await (await app.request('/api/articles?category=banks', { headers: auth })).json()
    expect(markets.items.map((a: { infoCode: string }) => a.infoCode)).not.toContain(code)
    expect(banks.items.map((a: { infoCode: string }) => a.infoCode)).toContain(code)
  })

  it('pages newest first with a cursor', async () => {
    for (const day of ['03', '04', '05']) {
      const response = await app.request(
        '/api/articles',
        markdown(post({ date: `2024-02-${day} 09:00:00 +0800`, categories: 'paging' })),
      )
      expect(response.status).toBe(201)
    }
    const page1 = await (await app.request('/api/articles?category=paging&limit=2', { headers: auth })).json()
    const page2 = await (
      await app.request(`/api/articles?category=paging&limit=2&cursor=${page1.cursor}`, { headers: auth })
    ).json()
    const dates = [...page1.items, ...page2.items].map((a: { date: string }) => a.date)
    expect(dates).toEqual(['2024-02-05T09:00:00+08:00', '2024-02-04T09:00:00+08:00', '2024-02-03T09:00:00+08:00'])
  })

  it('generates a unique NW infoCode in site time when none is given', async () => {
    const response = await app.request('/api/articles', markdown(post({ date: '2024-03-01 08:30:00 +0000' })))
    const article = await response.json()
    expect(article.infoCode).toMatch(/^NW20240301163000\d{4}$/)
  })

  it('deletes: 204, then GET 404 and the article is in no listing', async () => {
    const deleted = await app.request(`/api/articles/${code}`, { method: 'DELETE', headers: auth })
    expect(deleted.status).toBe(204)
    expect((await app.request(`/api/articles/${code}`, { headers: auth })).status).toBe(404)
    const banks = await (await app.request('/api/articles?category=banks', { headers: auth })).json()
    expect(banks.items).toEqual([])
    const items = await stack.allItems()
    expect(items.filter((i) => String(i.pk).startsWith('FEED#') && String(i.sk).endsWith(code))).toEqual([])
  })

  it('sets a category title with PUT /api/categories/{slug}', async () => {
    const put = await app.request('/api/categories/banks', json({ title: '银行', description: '银行业新闻' }, 'PUT'))
    expect(put.status).toBe(200)
    const list = await (await app.request('/api/categories', { headers: auth })).json()
    expect(list.items).toContainEqual({ slug: 'banks', title: '银行', description: '银行业新闻', titleSet: true })
    expect(list.items).toContainEqual(
      expect.objectContaining({ slug: 'zhongguojingyingwang', title: '中国经营网新闻' }),
    )
  })
})

describe('a POST under an Idempotency-Key', () => {
  const keyed = (body: string, key: string, headers: Record<string, string> = auth) =>
    markdown(body, { ...headers, 'Idempotency-Key': key })
  const listed = async (category: string) =>
    (await (await app.request(`/api/articles?category=${category}&limit=50`, { headers: auth })).json()).items

  it('creates once: a retry gets the same article as unchanged, and nothing else is stored', async () => {
    const body = post({ categories: 'idem-retry', date: '2024-05-01 08:00:00 +0800' })
    const first = await app.request('/api/articles', keyed(body, '"import-0001"'))
    const retry = await app.request('/api/articles', keyed(body, 'import-0001'))

    expect(first.status).toBe(201)
    expect(first.headers.get('x-finews-outcome')).toBe('created')
    expect(retry.status).toBe(200)
    expect(retry.headers.get('x-finews-outcome')).toBe('unchanged')
    const created = await first.json()
    expect(await retry.json()).toEqual(created)
    expect((await listed('idem-retry')).map((a: { infoCode: string }) => a.infoCode)).toEqual([created.infoCode])
  })

  it('creates once when the same request races itself', async () => {
    const body = post({ categories: 'idem-race', date: '2024-05-02 08:00:00 +0800' })
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => app.request('/api/articles', keyed(body, 'race-1'))),
    )
    const codes = await Promise.all(answers.map(async (a) => (await a.json()).infoCode))
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 200, 200, 201])
    expect(new Set(codes).size).toBe(1)
    expect(await listed('idem-race')).toHaveLength(1)
  })

  it('refuses other content under a used key with 422, and stores nothing', async () => {
    await app.request('/api/articles', keyed(post({ categories: 'idem-reuse' }), 'reuse-1'))
    const other = await app.request(
      '/api/articles',
      keyed(post({ categories: 'idem-reuse', title: '"另一篇"' }), 'reuse-1'),
    )

    expect(other.status).toBe(422)
    expect(other.headers.get('content-type')).toMatch(/^application\/problem\+json/)
    expect(await other.json()).toMatchObject({ type: 'urn:finews:problem:idempotency-key-reused' })
    expect(await listed('idem-reuse')).toHaveLength(1)
  })

  it("keeps each API key's idempotency keys apart", async () => {
    const otherKey = { Authorization: `Bearer ${OTHER_KEY}` }
    const both = testApiApp(stack.articles, { publicBaseUrl: BASE, keys: [TEST_KEY, OTHER_KEY] })
    const body = post({ categories: 'idem-scope' })
    const mine = await both.request('/api/articles', keyed(body, 'shared-1'))
    const theirs = await both.request('/api/articles', keyed(body, 'shared-1', otherKey))
    expect([mine.status, theirs.status]).toEqual([201, 201])
    expect(await listed('idem-scope')).toHaveLength(2)
  })

  it.each([
    ['empty', ''],
    ['too long', 'k'.repeat(256)],
    ['not ASCII', 'clé'],
    ['a space inside, unquoted', 'a b'],
  ])('a key that is %s is 400 naming the header, and stores nothing', async (_, key) => {
    const response = await app.request('/api/articles', keyed(post({ categories: 'idem-bad' }), key))
    expect(response.status).toBe(400)
    expect((await response.json()).errors).toEqual([{ path: 'Idempotency-Key', message: expect.any(String) }])
    expect(await listed('idem-bad')).toHaveLength(0)
  })
})

describe('categories as the real site writes them', () => {
  const article = (infoCode: string, categories: string[]) =>
    json({ infoCode, title: '名称', date: '2024-03-01 09:00:00 +0800', categories, tags: ['科技新闻'], body: '正文' })

  it('keeps the names as written, files names differing only in case under one slug, and maps names to it', async () => {
    const first = await app.request('/api/articles', article('NW202403011000000001', ['TechWeb']))
    const second = await app.request('/api/articles', article('NW202403011000000002', ['Techweb']))
    expect(first.status).toBe(201)
    expect(second.status).toBe(201)
    expect(await first.json()).toMatchObject({ categories: ['TechWeb'] })
    expect(await second.json()).toMatchObject({ categories: ['Techweb'] })
    const third = await app.request('/api/articles', article('NW202403011000000004', ['Career In touxingPEVC']))
    expect(await third.json()).toMatchObject({ categories: ['Career In touxingPEVC'] })

    const byName = await (await app.request('/api/articles?category=TechWeb', { headers: auth })).json()
    const bySlug = await (await app.request('/api/articles?category=techweb', { headers: auth })).json()
    expect(byName.items.map((a: { infoCode: string }) => a.infoCode).sort()).toEqual([
      'NW202403011000000001',
      'NW202403011000000002',
    ])
    expect(bySlug).toEqual(byName)

    const list = await (await app.request('/api/categories', { headers: auth })).json()
    const slugs = list.items.map((c: { slug: string }) => c.slug)
    expect(slugs.filter((s: string) => s === 'techweb')).toHaveLength(1)
    expect(list.items).toContainEqual(expect.objectContaining({ slug: 'career-in-touxingpevc', title: '科技新闻' }))

    // Without a tag to lend it a title (an article of two categories), a category is labelled by its name.
    expect((await app.request('/api/articles', article('NW202403011000000005', ['Wind', 'USDA']))).status).toBe(201)
    const again = await (await app.request('/api/categories', { headers: auth })).json()
    expect(again.items).toContainEqual(expect.objectContaining({ slug: 'wind', title: 'Wind' }))

    const put = await app.request(
      `/api/categories/${encodeURIComponent('Career In touxingPEVC')}`,
      json({ title: '投行' }, 'PUT'),
    )
    expect(put.status).toBe(200)
    expect(await put.json()).toMatchObject({ slug: 'career-in-touxingpevc', title: '投行' })
  })

  it('refuses a name it cannot take with 400 naming it, and stores nothing', async () => {
    const before = await stack.allItems()
    const response = await app.request('/api/articles', article('NW202403011000000003', ['ok', '100%']))
    expect(response.status).toBe(400)
    const problem = await response.json()
    expect(problem.errors).toContainEqual({ path: 'categories.1', message: expect.stringContaining('"100%"') })
    expect(await stack.allItems()).toEqual(before)
    expect((await app.request('/api/categories/...', json({ title: 'x' }, 'PUT'))).status).toBe(400)
  })
})

describe('bad input gets a 4xx problem naming the field, and stores nothing', () => {
  const cases: [string, () => RequestInit & { path?: string }, number, string][] = [
    ['no front matter', () => markdown('just a body'), 400, 'frontMatter'],
    ['YAML that does not parse', () => markdown('---\ntitle: [unclosed\n---\nbody'), 400, 'frontMatter'],
    ['missing title', () => markdown(post({ title: '' })), 400, 'title'],
    ['impossible date', () => markdown(post({ date: '2022-02-30' })), 400, 'date'],
    ['slug ../etc', () => markdown(post({ categories: '../etc' })), 400, 'categories'],
    ['21 tags', () => markdown(post({ tags: Array.from({ length: 21 }, (_, i) => `t${i}`).join(' ') })), 400, 'tags'],
    [
      'infoCode NW123',
      () => json({ infoCode: 'NW123', title: 't', date: '2024-01-01', categories: ['a'], body: 'b' }),
      400,
      'infoCode',
    ],
    ['body over the limit', () => markdown(post({}, 'x'.repeat(1024 * 1024 + 1))), 413, ''],
    [
      'wrong content type',
      () => ({ ...markdown(post({})), headers: { ...auth, 'Content-Type': 'text/csv' } }),
      415,
      '',
    ],
    ['JSON that does not parse', () => json('{"title": '), 400, 'body'],
    [
      'a number where a string belongs',
      () => json({ title: 5, date: '2024-01-01', categories: ['a'], body: 'b' }),
      400,
      'title',
    ],
    [
      'a prototype-pollution key',
      () => json('{"title":"t","date":"2024-01-01","categories":["a"],"body":"b","__proto__":{"x":1}}'),
      400,
      '__proto__',
    ],
    ['a NUL byte', () => json({ title: 't\u0000', date: '2024-01-01', categories: ['a'], body: 'b' }), 400, 'title'],
    [
      'invalid UTF-8',
      () => ({ ...markdown(''), body: new Uint8Array([0x2d, 0x2d, 0x2d, 0x0a, 0xff, 0xfe]) }),
      400,
      'body',
    ],
  ]

  it.each(cases)('%s', async (_name, request, status, path) => {
    const before = await stack.allItems()

    const response = await app.request('/api/articles', request())

    expect(response.status).toBe(status)
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/)
    const problem = await response.json()
    expect(problem).toMatchObject({
      status,
      type: expect.any(String),
      title: expect.any(String),
      detail: expect.any(String),
    })
    if (path) expect(problem.errors.map((e: { path: string }) => e.path).join(' ')).toContain(path)
    expect(await stack.allItems()).toEqual(before)
  })

  it('a wrong key gets 401 with WWW-Authenticate, and stores nothing', async () => {
    const before = await stack.allItems()
    const response = await app.request('/api/articles', {
      ...markdown(post({})),
      headers: { Authorization: 'Bearer wrong-key-0000000000', 'Content-Type': 'text/markdown' },
    })
    expect(response.status).toBe(401)
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/)
    expect(await stack.allItems()).toEqual(before)
  })

  it('a malformed infoCode in the path is 400, an unknown one 404', async () => {
    expect((await app.request('/api/articles/nope', { headers: auth })).status).toBe(400)
    expect((await app.request('/api/articles/NW000000000000000000', { headers: auth })).status).toBe(404)
  })

  it('a cursor the API did not hand out is 400', async () => {
    const response = await app.request('/api/articles?cursor=bogus', { headers: auth })
    expect(response.status).toBe(400)
  })
})
