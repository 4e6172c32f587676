import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dynamoArticleStore } from '#shared/adapters/dynamodb-article-store'
import { hashFor, prepareWrite } from '#shared/content/prepare'
import { draftFromFields } from '#shared/domain/article'
import { ConflictError } from '#shared/domain/errors'
import { ALL_FIELDS, ARTICLE_FIELDS, ENTRY_FIELDS } from '#shared/domain/fields'
import { type Article, SITE_FEED } from '#shared/domain/model'
import { type ArticleWrite, isTombstone } from '#shared/ports/article-store'
import { sampleArticle } from '../support/sample-article.ts'
import { testStack } from '../support/stack.ts'

let stack: Awaited<ReturnType<typeof testStack>>
beforeAll(async () => {
  stack = await testStack()
})
afterAll(() => stack.dispose())

function write(fields: Record<string, unknown>) {
  const draft = draftFromFields(
    { title: '标题', date: '2024-05-01 08:00', categories: ['a'], body: '正文', ...fields },
    {
      siteOffsetMinutes: 480,
    },
  )
  return { write: prepareWrite(draft), hash: hashFor(draft), draft }
}

describe('the DynamoDB article store', () => {
  it('lets exactly one of many concurrent creates of one infoCode win; the others see it unchanged', async () => {
    const { write: w, hash } = write({ infoCode: 'NW202405010800000001' })
    const results = await Promise.all(Array.from({ length: 8 }, () => stack.articles.create(w, hash)))
    expect(results.filter((r) => r.outcome === 'created')).toHaveLength(1)
    expect(results.filter((r) => r.outcome === 'unchanged')).toHaveLength(7)
    const shortItems = (await stack.allItems()).filter((i) => String(i.pk).startsWith('SHORT#'))
    expect(shortItems).toHaveLength(1)
  })

  it('refuses other content under a stored infoCode with ConflictError', async () => {
    const { write: w, hash } = write({ infoCode: 'NW202405010800000001', title: '别的标题' })
    await expect(stack.articles.create(w, hash)).rejects.toBeInstanceOf(ConflictError)
  })

  it('keeps clicks across a replace, and the short code across delete and re-create', async () => {
    const code = 'NW202405010800000002'
    const first = write({ infoCode: code })
    const created = await stack.articles.create(first.write, first.hash)
    await stack.articles.countClick(code)
    await stack.articles.countClick(code)
    const second = write({ infoCode: code, title: '新标题', categories: ['b'] })
    const replaced = await stack.articles.put({ ...second.write, infoCode: code }, second.hash(code))
    expect(replaced.outcome).toBe('replaced')
    expect(replaced.article.clicks).toBe(2)
    expect(replaced.article.shortCode).toBe(created.article.shortCode)

    expect(await stack.articles.delete(code)).toBe(true)
    const tombstone = await stack.articles.get(code)
    expect(tombstone && isTombstone(tombstone)).toBe(true)
    expect(await stack.articles.countClick(code)).toBe(false)
    expect(await stack.articles.resolveShortCode(created.article.shortCode)).toBe(code)
    expect((await stack.articles.latest('b', 10)).map((e) => e.infoCode)).not.toContain(code)
    expect((await stack.articles.latest(SITE_FEED, 10)).map((e) => e.infoCode)).not.toContain(code)

    const again = await stack.articles.create(first.write, first.hash)
    expect(again.outcome).toBe('created')
    expect(again.article.shortCode).toBe(created.article.shortCode)
  })

  it('serves a feed as one bounded query: newest first, at most the limit', async () => {
    for (let day = 10; day < 16; day++) {
      const { write: w, hash } = write({ date: `2024-06-${day} 09:00`, categories: ['bounded'] })
      await stack.articles.create(w, hash)
    }
    const latest = await stack.articles.latest('bounded', 4)
    expect(latest.map((e) => e.date)).toEqual([
      '2024-06-15T09:00:00+08:00',
      '2024-06-14T09:00:00+08:00',
      '2024-06-13T09:00:00+08:00',
      '2024-06-12T09:00:00+08:00',
    ])
  })

  it('reads bodies as stored: they are rendered where shown (share page, feeds)', async () => {
    const { write: w, hash } = write({ categories: ['render'], body: '**粗体**' })
    const { article } = await stack.articles.create(w, hash)
    expect((await stack.articles.latest('render', 1))[0]).toMatchObject({ body: '**粗体**' })
    expect(await stack.articles.get(article.infoCode)).toMatchObject({ body: '**粗体**' })
  })

  it('reads an article as well through a document client made elsewhere (no plain client paired with it)', async () => {
    const { write: w, hash } = write({ infoCode: 'NW202405010800000019', categories: ['elsewhere'] })
    await stack.articles.create(w, hash)
    await stack.articles.countClick('NW202405010800000019', 3)
    const client = DynamoDBDocumentClient.from(
      new DynamoDBClient({
        region: 'us-east-1',
        endpoint: stack.settings.dynamoEndpoint,
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      }),
    )
    const store = dynamoArticleStore({ client, tableName: stack.tableName, siteOffsetMinutes: 480 })
    try {
      const read = await store.get('NW202405010800000019')
      expect(read).toMatchObject({ infoCode: 'NW202405010800000019', body: '正文', clicks: 3 })
      expect(read).toEqual(await stack.articles.get('NW202405010800000019'))
    } finally {
      client.destroy()
    }
  })

  it('answers an idempotency claim with what it created for a day, then lets it be taken again', async () => {
    const { dynamoArticleStore } = await import('#shared/adapters/dynamodb-article-store')
    const at = (iso: string) =>
      dynamoArticleStore({
        client: stack.documentClient,
        tableName: stack.tableName,
        siteOffsetMinutes: 480,
        now: () => new Date(iso),
      })
    const { write: w, hash } = write({ categories: ['claims'] })
    const claim = { scope: 'key-id#expiry-1', fingerprint: hash('') }

    const first = await at('2030-01-01T00:00:00Z').create(w, hash, claim)
    const sameDay = await at('2030-01-01T23:59:00Z').create(w, hash, claim)
    const nextDay = await at('2030-01-02T00:01:00Z').create(w, hash, claim)

    expect([first.outcome, sameDay.outcome, nextDay.outcome]).toEqual(['created', 'unchanged', 'created'])
    expect(sameDay.article.infoCode).toBe(first.article.infoCode)
    expect(nextDay.article.infoCode).not.toBe(first.article.infoCode)
  })
})

describe('every declared field (shared/domain/fields.ts)', () => {
  const uploaded = ALL_FIELDS.filter((name) => ARTICLE_FIELDS[name].from === 'upload')
  const pick = (from: Article, names: readonly string[]) =>
    Object.fromEntries(names.map((name) => [name, from[name as keyof Article]]))
  // A published sample under one infoCode and category, so that it has membership items to read back.
  const sample = (tag: string): Article => ({
    ...sampleArticle(tag),
    infoCode: 'NW202405010800000099',
    categories: ['all-fields'],
    published: true,
  })
  const writeOf = (article: Article) => pick(article, uploaded) as unknown as ArticleWrite & { infoCode: string }

  it('is stored and read back as written, in the article and in its feed entry, and replaced the same way', async () => {
    const first = sample('s')
    const created = await stack.articles.create(writeOf(first), () => 'hash-1')
    expect(created.outcome).toBe('created')
    const stored = await stack.articles.get(first.infoCode)
    expect(pick(stored as Article, uploaded)).toEqual(pick(first, uploaded))
    const [entry] = await stack.articles.latest('all-fields', 1)
    const written = ENTRY_FIELDS.filter((name) => ARTICLE_FIELDS[name].from === 'upload')
    expect(pick(entry as Article, written)).toEqual(pick(first, written))

    const second = sample('t')
    const replaced = await stack.articles.put(writeOf(second), 'hash-2')
    expect(replaced.outcome).toBe('replaced')
    expect(pick((await stack.articles.get(first.infoCode)) as Article, uploaded)).toEqual(pick(second, uploaded))
    const [again] = await stack.articles.latest('all-fields', 1)
    expect(pick(again as Article, written)).toEqual(pick(second, written))
  })

  it('leaves an optional field absent when a replace no longer says it', async () => {
    const optional = ALL_FIELDS.filter((name) => 'optional' in ARTICLE_FIELDS[name])
    const without = { ...sample('u'), ...Object.fromEntries(optional.map((name) => [name, undefined])) }
    const replaced = await stack.articles.put(writeOf(without), 'hash-3')
    const stored = (await stack.articles.get(without.infoCode)) as Article
    for (const name of optional) expect(stored[name], name).toBeUndefined()
    // What the replace answers is what is stored: no field it removed, without reading it back.
    expect(replaced.outcome).toBe('replaced')
    for (const name of optional) expect(replaced.article, name).not.toHaveProperty(name)
  })
})

describe('click counters', () => {
  it('count in their own item, so a click writes no article item and wakes no feed', async () => {
    const { write: w, hash } = write({ infoCode: 'NW202405010800000009', categories: ['clicks'] })
    await stack.articles.create(w, hash)
    const isArticle = (i: Record<string, unknown>) => i.pk === 'ART#NW202405010800000009' && i.sk === 'ART'
    const before = (await stack.allItems()).find(isArticle)

    expect(await stack.articles.countClick('NW202405010800000009', 3)).toBe(true)

    const items = await stack.allItems()
    expect(items.find(isArticle)).toEqual(before)
    expect(items.find((i) => i.pk === 'ART#NW202405010800000009' && i.sk === 'CLICKS')?.clicks).toBe(3)
    const article = await stack.articles.get('NW202405010800000009')
    expect(article && 'clicks' in article ? article.clicks : -1).toBe(3)
    const listed = await stack.articles.list({ category: 'clicks', limit: 5 })
    expect(listed.items[0]?.clicks).toBe(3)
  })
})
