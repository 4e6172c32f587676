// A feed's head (its three documents and its page) is not rewritten when every article change of a batch lies
// deep in its archive. A category's new title is no article change: when one batch holds both, the head must
// still show the new title. Real DynamoDB Local and s3rver, the feeds function as its wiring builds it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { s3ObjectStore } from '#shared/adapters/s3-object-store'
import { feedObjectKeys } from '#shared/feeds/formats'
import { memberKey } from '#shared/table'
import type { FeedPublisher } from '../../functions/feeds/regenerate.ts'
import { feedPublisherFor } from '../../functions/feeds/wiring.ts'
import { localConfig } from '../../local/config.ts'
import { TEST_KEY, testApiApp, testStack } from '../support/stack.ts'

const CATEGORY = 'headcat'
const DAY = 86_400_000
const START = Date.UTC(2024, 0, 1)

let stack: Awaited<ReturnType<typeof testStack>>
let api: ReturnType<typeof testApiApp>
let publisher: FeedPublisher

const article = (i: number, title = `第 ${i} 篇`) => ({
  infoCode: `NW2024010108000000${String(i).padStart(2, '0')}`,
  title,
  date: new Date(START + i * DAY).toISOString(),
  categories: [CATEGORY],
  body: `<p>${title}的正文。</p>`,
})

async function put(fields: ReturnType<typeof article>): Promise<void> {
  const response = await api.request(`/api/articles/${fields.infoCode}`, {
    method: 'PUT',
    headers: { Authorization: `Bearer ${TEST_KEY}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(fields),
  })
  expect([200, 201]).toContain(response.status)
}

async function categoryPage(): Promise<string> {
  const object = await s3ObjectStore({ client: stack.s3, bucket: stack.bucketName }).get(feedObjectKeys(CATEGORY).page)
  return new TextDecoder().decode(object?.body)
}

beforeAll(async () => {
  stack = await testStack()
  api = testApiApp(stack.articles)
  // A head of 3, so that 6 articles leave the oldest deep in the archive.
  const config = localConfig({
    TABLE_NAME: stack.tableName,
    BUCKET_NAME: stack.bucketName,
    PUBLIC_BASE_URL: 'https://news.example.com',
    FEED_SIZE: '3',
  })
  publisher = feedPublisherFor(config, { documentClient: stack.documentClient, s3Client: stack.s3, log: () => {} })
  for (let i = 0; i < 6; i++) await put(article(i))
  expect((await publisher.publish([CATEGORY])).failed.size).toBe(0)
})
afterAll(() => stack?.dispose())

describe('a batch with a category title and an article deep in its archive', () => {
  it('rewrites the head when told the head changed, and only then', async () => {
    // Prepare: the category's title set and the oldest article edited, as one stream batch would carry them.
    await stack.articles.putCategory({ slug: CATEGORY, title: '新栏目名称', description: '' })
    const oldest = article(0, '第 0 篇，改过')
    await put(oldest)
    const deep = new Map([[CATEGORY, [memberKey(Date.parse(oldest.date), oldest.infoCode)]]])

    // Act and assess: with the deep key alone the head is left as it was (what the skip is for)…
    await publisher.publish([CATEGORY], deep)
    expect(await categoryPage()).not.toContain('新栏目名称')

    // …and with the category's record in the batch it is rewritten.
    await publisher.publish([CATEGORY], deep, new Set([CATEGORY]))
    expect(await categoryPage()).toContain('新栏目名称')
  })
})
