import { GetCommand } from '@aws-sdk/lib-dynamodb'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type CapacityUse, dynamoArticleStore } from '#shared/adapters/dynamodb-article-store'
import { hashFor, prepareWrite } from '#shared/content/prepare'
import { draftFromFields } from '#shared/domain/article'
import { OUTCOME_HEADER } from '#shared/http/outcome'
import { keys } from '#shared/table'
import { TEST_KEY, testApiApp, testStack } from '../support/stack.ts'

// What each outcome costs, read from the capacity DynamoDB Local reports for every call (not from timing).

let stack: Awaited<ReturnType<typeof testStack>>
beforeAll(async () => {
  stack = await testStack()
})
afterAll(() => stack.dispose())

/**
 * A store on the test table whose every call adds to `used`: units read and written, calls made, and write calls
 * attempted (a failed conditional write reports no units but is billed, so "writes nothing" means no write call).
 */
function meteredStore() {
  const used = { read: 0, write: 0, calls: 0, writeCalls: 0 }
  const store = dynamoArticleStore({
    client: stack.documentClient,
    tableName: stack.tableName,
    siteOffsetMinutes: 480,
    onCapacity: (use: CapacityUse) => {
      used[use.kind] += use.units ?? Number.NaN
      used.calls++
      if (use.kind === 'write') used.writeCalls++
    },
  })
  const reset = () => Object.assign(used, { read: 0, write: 0, calls: 0, writeCalls: 0 })
  return { store, used, reset }
}

/** A ~3 KB article (the real site's size) under `infoCode`, in category `cost`; `n` varies the title. */
function article(infoCode: string, n = 0) {
  const draft = draftFromFields(
    {
      infoCode,
      title: `成本测试标题${String(n).padStart(4, '0')}`,
      date: '2024-05-01 08:00',
      categories: ['cost'],
      tags: ['测试新闻'],
      body: '正文'.repeat(500),
    },
    { siteOffsetMinutes: 480 },
  )
  return { write: prepareWrite(draft), hash: hashFor(draft) }
}

/** Read units of one strongly consistent GetItem of the article item, as the baseline of an unchanged upload. */
async function getItemUnits(infoCode: string): Promise<number> {
  const out = await stack.documentClient.send(
    new GetCommand({
      TableName: stack.tableName,
      Key: keys.article(infoCode),
      ConsistentRead: true,
      ReturnConsumedCapacity: 'TOTAL',
    }),
  )
  return out.ConsumedCapacity?.CapacityUnits ?? Number.NaN
}

describe('capacity per outcome (ReturnConsumedCapacity on DynamoDB Local)', () => {
  it('an unchanged POST or PUT writes nothing and reads no more than one GetItem of the article', async () => {
    const { store, used, reset } = meteredStore()
    const code = 'NW202405010800001001'
    const { write, hash } = article(code)
    expect((await store.create(write, hash)).outcome).toBe('created')
    expect(used.write).toBeGreaterThan(0)
    const getUnits = await getItemUnits(code)

    reset()
    const posted = await store.create(write, hash)
    expect(posted.outcome).toBe('unchanged')
    expect(used).toEqual({ read: expect.any(Number), write: 0, calls: 1, writeCalls: 0 })
    expect(used.read).toBeGreaterThan(0)
    expect(used.read).toBeLessThanOrEqual(getUnits)

    reset()
    const put = await store.put({ ...write, infoCode: code }, hash(code))
    expect(put.outcome).toBe('unchanged')
    expect(used.writeCalls).toBe(0)
    expect(used.read).toBeLessThanOrEqual(getUnits)
  })

  it('an unchanged upload still answers the current click count, from the same read', async () => {
    const { store, used, reset } = meteredStore()
    const code = 'NW202405010800001002'
    const { write, hash } = article(code)
    await store.create(write, hash)
    await store.countClick(code, 4)
    reset()
    const again = await store.create(write, hash)
    expect(again.article.clicks).toBe(4)
    expect(used.calls).toBe(1)
  })

  it('under the real mix (50 at once, 40 unchanged) writes only what the 10 new articles write', async () => {
    const { store, used, reset } = meteredStore()
    const stored = Array.from({ length: 40 }, (_, i) => article(`NW2024050108000020${String(i).padStart(2, '0')}`, i))
    for (const a of stored) await store.create(a.write, a.hash)
    // One new article alone, after the category is known: what each new one of the burst costs.
    const single = article('NW202405010800002099', 99)
    reset()
    await store.create(single.write, single.hash)
    const oneNew = { ...used }
    expect(oneNew.write).toBeGreaterThan(0)

    const fresh = Array.from({ length: 10 }, (_, i) => article(`NW2024050108000021${String(i).padStart(2, '0')}`, i))
    reset()
    const results = await Promise.all([...stored, ...fresh].map((a) => store.create(a.write, a.hash)))
    expect(results.filter((r) => r.outcome === 'unchanged')).toHaveLength(40)
    expect(results.filter((r) => r.outcome === 'created')).toHaveLength(10)
    expect(used.writeCalls).toBe(10)
    expect(used.write).toBe(10 * oneNew.write)
    expect(used.read).toBeLessThanOrEqual(40 * (await getItemUnits(stored[0]!.write.infoCode!)) + 10 * oneNew.read)
  })

  it('a new upload writes what it wrote before reading first, plus one read', async () => {
    const { store, used, reset } = meteredStore()
    await store.create(article('NW202405010800003000').write, article('NW202405010800003000').hash)
    reset()
    const { write, hash } = article('NW202405010800003001', 1)
    await store.create(write, hash)
    // Article, short code, two feed memberships (site, category): one transaction, one read before it.
    expect(used.calls).toBe(2)
    expect(used.read).toBeLessThanOrEqual(1)
  })

  it('an unchanged POST or PUT that carries old paths (redirect_from) writes nothing', async () => {
    const { store, used, reset } = meteredStore()
    const app = testApiApp(store)
    const code = 'NW202405010800004000'
    const fields = {
      infoCode: code,
      title: '旧地址成本',
      date: '2024-05-01 08:00',
      categories: ['cost'],
      body: '正文'.repeat(500),
      redirect_from: ['/cost/2024/05/01/one.html', '/cost/2024/05/01/two.html'],
    }
    const send = (method: 'POST' | 'PUT', path: string) =>
      app.request(path, {
        method,
        headers: { Authorization: `Bearer ${TEST_KEY}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(fields),
      })
    expect((await send('POST', '/api/articles')).status).toBe(201)
    const getUnits = await getItemUnits(code)

    for (const [method, path] of [
      ['POST', '/api/articles'],
      ['PUT', `/api/articles/${code}`],
    ] as const) {
      reset()
      const answer = await send(method, path)
      expect([method, answer.status, answer.headers.get(OUTCOME_HEADER)]).toEqual([method, 200, 'unchanged'])
      expect({ method, ...used }).toEqual({ method, read: expect.any(Number), write: 0, calls: 1, writeCalls: 0 })
      expect(used.read).toBeLessThanOrEqual(getUnits)
    }
    // The paths were written with the article when it was created.
    expect(await store.resolveLegacyPath('/cost/2024/05/01/two.html')).toBe(code)
  })

  it('counts the look-up of an old path: one read', async () => {
    const { store, used, reset } = meteredStore()
    const { write, hash } = article('NW202405010800004001')
    await store.create({ ...write, extra: { redirect_from: '/cost/2024/05/01/three.html' } }, hash)
    reset()
    expect(await store.resolveLegacyPath('/cost/2024/05/01/three.html')).toBe('NW202405010800004001')
    expect(used).toEqual({ read: expect.any(Number), write: 0, calls: 1, writeCalls: 0 })
    expect(used.read).toBeGreaterThan(0)
  })
})
