import { dynamoArticleStore } from '#shared/adapters/dynamodb-article-store'
import { hashFor, prepareWrite } from '#shared/content/prepare'
import { draftFromFields } from '#shared/domain/article'
import { SITE_FEED } from '#shared/domain/model'
import { feedPublisherFor } from '../functions/feeds/wiring.ts'
import { localConfig } from '../local/config.ts'
import { ensureBucket } from '../local/resources.ts'
import { CATEGORY_SLUGS, generateArticle, toJson } from './articles.ts'
import type { BenchContext } from './context.ts'
import type { Row } from './report.ts'
import { seedArticles } from './seed.ts'
import { startAppServer } from './servers.ts'
import { percentile, timed } from './stats.ts'
import { createBenchTable, enableStream } from './tables.ts'

const TABLE = 'bench-latency'
const POLL_MS = 20
const GIVE_UP_MS = 15_000
// The uploads rotate over the five largest categories, whose feeds the seed fills.
const UPLOAD_CATEGORIES = CATEGORY_SLUGS.slice(0, 5)
const FIRST_INDEX = 600_000

/**
 * upload_to_feed_p50_ms and upload_to_feed_p95_ms: the whole `npm start` pipeline (API, stream poller, feeds
 * handler, static site) in its own process on a table seeded with full feeds; uploads one at a time, each
 * timed from its POST answering to its id being in its category's feed.json as the static site serves it.
 * Baseline: the same feeds (site-wide and the category) published directly, without the stream.
 */
export async function benchLatency(ctx: BenchContext): Promise<Row[]> {
  const { scale } = ctx
  const client = ctx.documentClient
  // Seeded before the stream is on: the pipeline then starts on full feeds (in the table) and an empty stream.
  await createBenchTable(client, TABLE)
  await ensureBucket(ctx.s3Client, TABLE)
  await seedArticles({ client, tableName: TABLE, from: 0, count: scale.articlesSmall })
  const config = localConfig({
    TABLE_NAME: TABLE,
    BUCKET_NAME: TABLE,
    PUBLIC_BASE_URL: 'http://127.0.0.1:9',
    DYNAMODB_ENDPOINT: ctx.servers.dynamoEndpoint,
    S3_ENDPOINT: ctx.servers.s3Endpoint,
  })
  const publisher = feedPublisherFor(config, { documentClient: client, s3Client: ctx.s3Client, log: () => undefined })

  // Baseline: publish the two feeds an upload touches, directly, after a write that changes them.
  const store = dynamoArticleStore({ client, tableName: TABLE, siteOffsetMinutes: 480 })
  const direct: number[] = []
  let index = FIRST_INDEX
  for (let i = -2; i < Math.min(scale.uploads, 30); i++) {
    const slug = UPLOAD_CATEGORIES[(i + 5) % UPLOAD_CATEGORIES.length] as string
    const { publishedAt: _derived, ...fields } = generateArticle(index++, {
      publishedAt: Date.now() - 1000,
      categories: [slug],
    })
    const draft = draftFromFields(fields, { siteOffsetMinutes: 480 })
    await store.create(prepareWrite(draft), hashFor(draft))
    const { ms } = await timed(() => publisher.publish([SITE_FEED, slug]))
    if (i >= 0) direct.push(ms)
  }

  await enableStream(client, TABLE)
  const pipeline = await startAppServer('pipeline', { servers: ctx.servers, tableName: TABLE })
  try {
    const samples: number[] = []
    for (let i = 0; i < scale.uploads; i++) {
      const slug = UPLOAD_CATEGORIES[i % UPLOAD_CATEGORIES.length] as string
      const article = generateArticle(index++, { publishedAt: Date.now() - 1000, categories: [slug] })
      const response = await fetch(`${pipeline.url}/api/articles`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${pipeline.apiKey}`, 'Content-Type': 'application/json' },
        body: toJson(article),
      })
      await response.arrayBuffer()
      const posted = performance.now()
      if (response.status !== 201) throw new Error(`upload answered ${response.status}`)
      samples.push(await waitVisible(`${pipeline.url}/feeds/${slug}/feed.json`, article.infoCode, posted))
    }
    const note = `${scale.uploads} uploads one after another over ${UPLOAD_CATEGORIES.length} categories of full feeds; polled every ${POLL_MS} ms with If-None-Match; the local stream poller gathers records for up to 500 ms as the event source's batching window does`
    return [
      {
        label: 'upload → visible in its category feed, p50',
        key: 'upload_to_feed_p50_ms',
        value: percentile(samples, 50),
        unit: 'ms',
        baseline: { label: 'direct publish of the same 2 feeds, p50', value: percentile(direct, 50), unit: 'ms' },
        note,
      },
      {
        label: 'upload → visible in its category feed, p95',
        key: 'upload_to_feed_p95_ms',
        value: percentile(samples, 95),
        unit: 'ms',
        baseline: { label: 'direct publish of the same 2 feeds, p95', value: percentile(direct, 95), unit: 'ms' },
        goal: { on: 'value', op: '<=', limit: 1500 },
      },
    ]
  } finally {
    await pipeline.stop()
  }
}

/** Polls a feed until it names the article; ms from `since` to the answer that does. */
async function waitVisible(url: string, infoCode: string, since: number): Promise<number> {
  let etag: string | null = null
  for (;;) {
    const response: Response = await fetch(url, { headers: etag ? { 'If-None-Match': etag } : {} })
    const body = await response.text()
    const now = performance.now()
    if (response.status === 200 && body.includes(infoCode)) return now - since
    if (response.status === 200) etag = response.headers.get('etag')
    if (now - since > GIVE_UP_MS) throw new Error(`${infoCode} not in ${url} after ${GIVE_UP_MS} ms`)
    await new Promise((r) => setTimeout(r, POLL_MS))
  }
}
