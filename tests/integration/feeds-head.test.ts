// A feed's head (its three documents and its page) is not rewritten when every article change of a batch lies
// deep in its archive. A category's new title is no article change: when one batch holds both, the head must
// still show the new title. And when a regeneration seals the newest archive page, the head links the page that
// split off. Real DynamoDB Local and s3rver, the feeds function as its wiring builds it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { s3ObjectStore } from '#shared/adapters/s3-object-store'
import { ARCHIVE_SEAL_SIZE, archiveLinks, archivePageId } from '#shared/feeds/archive'
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

async function objectText(key: string): Promise<string> {
  const object = await s3ObjectStore({ client: stack.s3, bucket: stack.bucketName }).get(key)
  return new TextDecoder().decode(object?.body)
}

const categoryPage = () => objectText(feedObjectKeys(CATEGORY).page)

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

describe('a regeneration that seals the newest archive page', () => {
  it("links the head's prev-archive to the new newest page, which holds the newest archived article", async () => {
    // Prepare: a head of 3 and one article more than a sealed page holds below it, all new to the feeds.
    const sealed = 'sealcat'
    const count = 3 + ARCHIVE_SEAL_SIZE + 1
    const articles = Array.from({ length: count }, (_, i) => ({
      ...article(i),
      infoCode: `NW2024020108000000${String(i).padStart(2, '0')}`,
      categories: [sealed],
    }))
    for (const fields of articles) await put(fields)

    // Act: one regeneration archives them all and seals the newest page at the newest archived article.
    expect((await publisher.publish([sealed])).failed.size).toBe(0)

    // Assess: the head leads to the page that starts there, not to the page that was newest before the split.
    const newestArchived = articles[count - 4] as (typeof articles)[number]
    const page = archivePageId(memberKey(Date.parse(newestArchived.date), newestArchived.infoCode))
    const head = await objectText(feedObjectKeys(sealed).atom)
    expect(/<link rel="prev-archive" type="application\/atom\+xml" href="([^"]+)"/.exec(head)?.[1]).toBe(
      archiveLinks('https://news.example.com', sealed, page).atom,
    )
  }, 60_000)
})
