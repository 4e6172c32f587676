import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { s3ObjectStore } from '#shared/adapters/s3-object-store'
import { SITE_FEED } from '#shared/domain/model'
import { FLOOD_FAMILIES } from '../../bench/floods.ts'
import { feedPublisherFor } from '../../functions/feeds/wiring.ts'
import { localConfig } from '../../local/config.ts'
import { TEST_KEY, testApiApp, testStack } from '../support/stack.ts'

// Every flood family of the bench, at 32 KB, uploaded through the API: the feeds holding them all still
// regenerate through the feeds function's own wiring (guarded renderer), on DynamoDB Local and s3rver.
const SIZE = 32 * 1024

let stack: Awaited<ReturnType<typeof testStack>>

beforeAll(async () => {
  stack = await testStack()
})
afterAll(() => stack?.dispose())

describe('feeds holding one article of each flood family', () => {
  it('regenerate the site feed and the category feed, each article in them', async () => {
    // Prepare
    const api = testApiApp(stack.articles)
    const infoCodes: string[] = []
    for (const [i, [name, make]] of Object.entries(FLOOD_FAMILIES).entries()) {
      const infoCode = `NW2024030100000${String(i).padStart(5, '0')}`
      const response = await api.request('/api/articles', {
        method: 'POST',
        headers: { Authorization: `Bearer ${TEST_KEY}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({
          infoCode,
          title: `洪水 ${name}`,
          date: '2024-03-01 10:00:00 +0800',
          categories: ['floods'],
          body: make(SIZE),
        }),
      })
      expect(response.status, name).toBe(201)
      infoCodes.push(infoCode)
    }
    const config = localConfig({
      TABLE_NAME: stack.tableName,
      BUCKET_NAME: stack.bucketName,
      PUBLIC_BASE_URL: 'https://news.example.com',
      FEED_SIZE: '50',
      DYNAMODB_ENDPOINT: stack.settings.dynamoEndpoint,
      S3_ENDPOINT: stack.settings.s3Endpoint,
    })
    const publisher = feedPublisherFor(config, {
      documentClient: stack.documentClient,
      s3Client: stack.s3,
      log: () => undefined,
    })

    // Act
    const result = await publisher.publish([SITE_FEED, 'floods'])

    // Assess
    expect([...result.failed.keys()]).toEqual([])
    const objects = s3ObjectStore({ client: stack.s3, bucket: stack.bucketName })
    for (const key of ['feeds/rss.xml', 'feeds/floods/rss.xml']) {
      const xml = new TextDecoder().decode((await objects.get(key))?.body)
      for (const infoCode of infoCodes) expect(xml, `${key} holds ${infoCode}`).toContain(infoCode)
    }
  }, 300_000)
})
