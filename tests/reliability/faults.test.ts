import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { HeadObjectCommand } from '@aws-sdk/client-s3'
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda'
import { afterAll, describe, expect, inject, it } from 'vitest'
import { compactStamp, formatIso } from '#shared/domain/dates'
import { type DynamoLocal, startDynamoLocal } from '../../local/dynamodb-local.ts'
import { freePort } from '../../local/ports.ts'
import { type S3Local, startS3Local } from '../../local/s3-local.ts'
import { type ImportSummary, importPosts } from '../../scripts/import/importer.ts'
import { writeSampleCorpus } from '../../scripts/import/sample-corpus.ts'
import { output } from '../support/output.ts'
import { TEST_KEY } from '../support/stack.ts'
import { scanAll } from '../support/table.ts'
import { type Blackhole, startBlackhole } from './support/blackhole.ts'
import { jsonFeedKey, readFeedFromBucket } from './support/feeds.ts'
import { type Harness, startHarness, withDeadline } from './support/harness.ts'
import { report, scaled } from './support/memory.ts'
import { expectedFeed, type Truth } from './support/workload.ts'

const FEED_SIZE = 20
const SITE_OFFSET = 480
const cleanups: (() => Promise<void> | void)[] = []
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup()
})
const temporaryDir = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

/** Articles of a test, with the truth the feeds must show. */
function newsroom(harness: Harness, firstMinute: number) {
  const truth = new Map<string, Truth>()
  let next = firstMinute
  return {
    truth,
    /** Creates (or replaces) an article in `categories`; a new one gets the next publish time. */
    async write(categories: string[], infoCode?: string): Promise<string> {
      const existing = infoCode ? truth.get(infoCode) : undefined
      const publishedAt = existing?.publishedAt ?? Date.parse('2023-06-01T00:00:00+08:00') + next++ * 61_000
      const code = infoCode ?? `NW${compactStamp(publishedAt, SITE_OFFSET)}${String(next % 10_000).padStart(4, '0')}`
      const title = `${existing ? '改' : ''}文章 ${code.slice(-6)}`
      const status = await harness.put({
        infoCode: code,
        title,
        date: formatIso(publishedAt, SITE_OFFSET),
        categories,
        body: `<p>${title}</p>`,
      })
      expect(status, `PUT ${code}`).toBe(existing ? 200 : 201)
      truth.set(code, { infoCode: code, title, publishedAt, categories, deleted: false })
      return code
    },
    async remove(infoCode: string): Promise<void> {
      expect(await harness.remove(infoCode)).toBe(204)
      const t = truth.get(infoCode)
      if (t) t.deleted = true
    },
  }
}

/** Each feed's infoCodes as stored, against the newest FEED_SIZE of the truth; returns items lost. */
async function expectFeedsMatch(harness: Harness, truth: Map<string, Truth>, slugs: string[]): Promise<number> {
  let lost = 0
  for (const slug of [undefined, ...slugs]) {
    const want = expectedFeed([...truth.values()], slug, FEED_SIZE).map((t) => t.infoCode)
    const got = ((await readFeedFromBucket(harness.s3, harness.config.bucketName, slug)) ?? []).map((i) => i.infoCode)
    lost += want.filter((code) => !got.includes(code)).length
    expect(got, `feed ${slug ?? '(site)'}`).toEqual(want)
  }
  return lost
}

const failedDeliveries = (harness: Harness) =>
  harness.deliveries.filter((d) => d.mode === 'deliver' && (d.error || (d.response?.batchItemFailures.length ?? 0) > 0))

describe('S3 stopped during a batch', () => {
  it('reports the batch failed, retries it, and the feeds are right once S3 is back', {
    timeout: 600_000,
  }, async () => {
    // Prepare: our own s3rver on a fixed port and folder, so it can be stopped and started again
    const port = await freePort()
    const directory = temporaryDir('finews-rel-s3-')
    let s3: S3Local = await startS3Local({ port, directory })
    cleanups.push(() => s3.stop())
    const harness = await startHarness({ dynamoEndpoint: inject('dynamoEndpoint'), s3Endpoint: s3.endpoint })
    cleanups.push(() => harness.stop())
    const news = newsroom(harness, 0)
    const moved = await news.write(['alpha'])
    let doomed = await news.write(['beta'])
    for (let i = 0; i < 4; i++) await news.write([i % 2 ? 'alpha' : 'beta'])
    await harness.drained()
    await expectFeedsMatch(harness, news.truth, ['alpha', 'beta'])

    // Act: S3 goes away; writes go on; the poller's deliveries fail; S3 comes back (several times in the soak)
    const cycles = scaled(1, 5)
    for (let cycle = 0; cycle < cycles; cycle++) {
      const failedBefore = failedDeliveries(harness).length
      await withDeadline(s3.stop(), 's3rver to stop', () => '')
      for (let i = 0; i < 4; i++) await news.write(['alpha', 'beta'])
      await news.write([cycle % 2 ? 'alpha' : 'beta'], moved)
      await news.remove(doomed)
      doomed = await news.write(['alpha'])
      await harness.until(
        () => failedDeliveries(harness).length >= failedBefore + 2,
        'two failed deliveries while S3 is down',
      )
      s3 = await withDeadline(startS3Local({ port, directory }), 's3rver to start again', () => '')
      await harness.drained()
      await expectFeedsMatch(harness, news.truth, ['alpha', 'beta'])
    }

    // Assess
    const failed = failedDeliveries(harness)
    const reported = new Set(failed.flatMap((d) => d.response?.batchItemFailures.map((f) => f.itemIdentifier) ?? []))
    const retriedOk = harness.deliveries.filter(
      (d) =>
        d.mode === 'deliver' &&
        !failedDeliveries(harness).includes(d) &&
        d.event.Records.some((r) => reported.has(r.dynamodb?.SequenceNumber ?? '')),
    )
    expect(failed.length).toBeGreaterThanOrEqual(2 * cycles)
    expect(reported.size).toBeGreaterThan(0)
    expect(retriedOk.length).toBeGreaterThan(0)
    expect(harness.logs.filter((l) => l.msg === 'stream record set aside after repeated failures')).toEqual([])
    const lost = await expectFeedsMatch(harness, news.truth, ['alpha', 'beta'])
    report('fault-s3-down', {
      outages: cycles,
      failedDeliveries: failed.length,
      retriedDeliveries: retriedOk.length,
      lost,
    })
  })
})

describe('DynamoDB Local restarted in the middle of an import', () => {
  it('the importer’s retries finish the job: every post stored once, feeds right', { timeout: 900_000 }, async () => {
    // Prepare: our own DynamoDB Local on a fixed port with its data on disk, so a restart keeps the table
    const port = await freePort()
    const dbPath = temporaryDir('finews-rel-ddb-')
    let dynamo: DynamoLocal = await startDynamoLocal({ port, dbPath, shortLived: true })
    cleanups.push(() => dynamo.stop())
    const harness = await startHarness({ dynamoEndpoint: dynamo.endpoint, s3Endpoint: inject('s3Endpoint') })
    cleanups.push(() => harness.stop())
    const posts = scaled(80, 600)
    const root = temporaryDir('finews-rel-posts-')
    const corpus = await writeSampleCorpus(join(root, '_posts'), { count: posts, invalidEvery: 1_000_000 })
    const statuses = new Map<string, number>()
    const counting: typeof fetch = async (input, init) => {
      try {
        const response = await fetch(input, init)
        statuses.set(String(response.status), (statuses.get(String(response.status)) ?? 0) + 1)
        return response
      } catch (error) {
        statuses.set('network', (statuses.get('network') ?? 0) + 1)
        throw error
      }
    }
    const restartsWanted = scaled(1, 3)
    const restarts: Promise<void>[] = []
    const outageSeconds: number[] = []

    // Act: the API's log lines during the outage (the Powertools logger writes them) kept for the assertions
    let summary: ImportSummary | undefined
    const logLines = await output(async () => {
      summary = await importPosts({
        paths: [join(root, '_posts')],
        api: harness.url,
        key: TEST_KEY,
        concurrency: 8,
        statePath: join(root, 'state.jsonl'),
        fetch: counting,
        // About 40 s of backoff instead of the default 10 s: a JVM restart on a loaded 2-core machine can take longer
        retry: { attempts: 8 },
        onProgress: (progress) => {
          // Restart at 1/(n+1), 2/(n+1), … of the files, one at a time
          const due = Math.floor((progress.done / progress.total) * (restartsWanted + 1))
          if (restarts.length >= Math.min(due, restartsWanted) || outageSeconds.length < restarts.length) return
          restarts.push(
            (async () => {
              const down = performance.now()
              await dynamo.stop()
              dynamo = await startDynamoLocal({ port, dbPath, shortLived: true })
              outageSeconds.push((performance.now() - down) / 1000)
            })(),
          )
        },
      })
      await Promise.all(restarts)
    })
    if (!summary) throw new Error('the import did not finish')
    await harness.drained()

    // Assess
    expect(restarts.length).toBe(restartsWanted)
    expect(summary.stopReason).toBeUndefined()
    expect(summary.failures).toEqual([])
    // While the table is away the API says 503 with Retry-After (a dependency is down), never 500
    expect(statuses.get('500')).toBeUndefined()
    expect(statuses.get('503')).toBeGreaterThan(0)
    expect(logLines.filter((line) => line.includes('unhandled error'))).toEqual([])
    expect(logLines.some((line) => line.includes('dependency unavailable'))).toBe(true)
    expect(summary.counts.created + summary.counts.unchanged + summary.counts.replaced).toBe(corpus.valid.length)
    const stored = (await scanAll(harness.documentClient, harness.config.tableName)).filter(
      (item) => String(item.pk).startsWith('ART#') && item.deletedAt === undefined,
    )
    expect(stored.map((item) => item.title).sort()).toEqual(corpus.valid.map((v) => v.title).sort())
    const slugs = [...new Set(corpus.valid.flatMap((v) => v.categories))]
    for (const slug of [undefined, ...slugs]) {
      const want = corpus.valid
        .filter((v) => slug === undefined || v.categories.includes(slug))
        .sort((a, b) => b.publishedAt - a.publishedAt)
        .slice(0, FEED_SIZE)
        .map((v) => v.title)
      const got = (await readFeedFromBucket(harness.s3, harness.config.bucketName, slug))?.map((i) => i.title)
      expect(got, `feed ${slug ?? '(site)'}`).toEqual(want)
    }
    report('fault-dynamodb-restart', {
      posts: corpus.valid.length,
      stored: stored.length,
      statuses: Object.fromEntries(statuses),
      attemptsMax: Math.max(...summary.results.map((r) => r.attempts ?? 1)),
      restarts: restarts.length,
      outageSeconds: outageSeconds.map((o) => o.toFixed(1)),
      failed: summary.counts.failed,
    })
  })
})

describe('stream deliveries: twice, out of order, with a poison record', () => {
  let harness: Harness
  let news: ReturnType<typeof newsroom>
  const captured = () => harness.deliveries.filter((d) => d.mode === 'capture')
  const recordsOf = (from: number) =>
    captured()
      .slice(from)
      .flatMap((d) => d.event.Records)
  const event = (records: DynamoDBRecord[]): DynamoDBStreamEvent => ({ Records: structuredClone(records) })
  const etags = async (slugs: (string | undefined)[]) =>
    Promise.all(
      slugs.map(async (slug) => {
        const head = await harness.s3.send(
          new HeadObjectCommand({ Bucket: harness.config.bucketName, Key: jsonFeedKey(slug) }),
        )
        return head.ETag
      }),
    )

  it('a batch delivered twice changes nothing the second time', { timeout: 60_000 }, async () => {
    harness = await startHarness({ dynamoEndpoint: inject('dynamoEndpoint'), s3Endpoint: inject('s3Endpoint') })
    cleanups.push(() => harness.stop())
    // The poller's batches are recorded and acknowledged unpublished: the test delivers them by hand
    harness.setMode('capture')
    news = newsroom(harness, 1000)
    for (let i = 0; i < 5; i++) await news.write([i % 2 ? 'gamma' : 'delta'])
    await harness.drained()
    const batch = recordsOf(0)
    expect(batch.length).toBeGreaterThan(5)

    const first = await harness.handler(event(batch))
    const before = await etags([undefined, 'gamma', 'delta'])
    const writesBefore = harness.logs.filter((l) => l.msg === 'feeds published').length
    const second = await harness.handler(event(batch))
    const published = harness.logs.filter((l) => l.msg === 'feeds published').slice(writesBefore)

    expect(first.batchItemFailures).toEqual([])
    expect(second.batchItemFailures).toEqual([])
    expect(await etags([undefined, 'gamma', 'delta'])).toEqual(before)
    expect(published.flatMap((l) => l.written as string[])).toEqual([])
    await expectFeedsMatch(harness, news.truth, ['gamma', 'delta'])
  })

  it('records out of order (a stale batch after a newer one, a batch reversed) leave the feeds as the table says', {
    timeout: 60_000,
  }, async () => {
    const from = captured().length
    const wanderer = await news.write(['gamma'])
    const victim = await news.write(['delta'])
    await harness.drained()
    const creations = recordsOf(from)
    const middle = captured().length
    await news.write(['delta'], wanderer)
    await news.remove(victim)
    await harness.drained()
    const changes = recordsOf(middle)

    // Newest first, then the stale creations: the moved article must not come back to gamma, nor the deleted one
    expect((await harness.handler(event([...changes].reverse()))).batchItemFailures).toEqual([])
    expect((await harness.handler(event(creations))).batchItemFailures).toEqual([])

    await expectFeedsMatch(harness, news.truth, ['gamma', 'delta'])
    const gamma = await readFeedFromBucket(harness.s3, harness.config.bucketName, 'gamma')
    expect(gamma?.map((i) => i.infoCode)).not.toContain(wanderer)
    expect(gamma?.map((i) => i.infoCode)).not.toContain(victim)
  })

  it('a poison record is the only one reported failed; the rest of its batch lands', { timeout: 60_000 }, async () => {
    const from = captured().length
    const before = await news.write(['epsilon'])
    const after = await news.write(['zeta'])
    await harness.drained()
    const records = recordsOf(from)
    const cut = records.findIndex((r) => r.dynamodb?.Keys?.pk?.S === `ART#${after}`)
    const poison: DynamoDBRecord = {
      ...structuredClone(records[0] as DynamoDBRecord),
      eventID: 'poison',
      dynamodb: {
        Keys: { pk: { S: `ART#${before}` }, sk: { S: 'ART' } },
        NewImage: { pk: { S: `ART#${before}` }, categories: { L: [{ S: '../../etc' }] } },
        SequenceNumber: '99999999999999999999',
        StreamViewType: 'NEW_AND_OLD_IMAGES',
      },
      eventName: 'INSERT',
    }
    const batch = [...records.slice(0, cut), poison, ...records.slice(cut)]

    const response = await harness.handler(event(batch))

    expect(response.batchItemFailures).toEqual([{ itemIdentifier: '99999999999999999999' }])
    const epsilon = await readFeedFromBucket(harness.s3, harness.config.bucketName, 'epsilon')
    const zeta = await readFeedFromBucket(harness.s3, harness.config.bucketName, 'zeta')
    expect(epsilon?.map((i) => i.infoCode)).toEqual([before])
    expect(zeta?.map((i) => i.infoCode)).toEqual([after])
    await expectFeedsMatch(harness, news.truth, ['epsilon', 'zeta'])
  })
})

describe('a WebSub hub that hangs', () => {
  it('a hub that never answers costs a bounded wait and a log line; the feeds are written', {
    timeout: 60_000,
  }, async () => {
    const hub: Blackhole = await startBlackhole()
    cleanups.push(() => hub.close())
    const harness = await startHarness({
      dynamoEndpoint: inject('dynamoEndpoint'),
      s3Endpoint: inject('s3Endpoint'),
      env: { WEBSUB_HUB_URL: `${hub.url}/hub` },
    })
    cleanups.push(() => harness.stop())
    harness.setMode('capture')
    const news = newsroom(harness, 0)
    const code = await news.write(['eta'])
    await harness.drained()
    const connections = hub.connections()
    const started = performance.now()

    const records = harness.deliveries.flatMap((d) => d.event.Records)
    const response = await harness.handler({ Records: records })
    const seconds = (performance.now() - started) / 1000

    expect(response.batchItemFailures).toEqual([])
    expect(hub.connections()).toBeGreaterThan(connections)
    expect(harness.logs.some((l) => l.msg === 'websub hub ping failed' && String(l.failure).includes('Timeout'))).toBe(
      true,
    )
    const eta = await harness.s3.send(
      new HeadObjectCommand({ Bucket: harness.config.bucketName, Key: jsonFeedKey('eta') }),
    )
    expect(eta.ETag).toBeDefined()
    expect((await readFeedFromBucket(harness.s3, harness.config.bucketName, 'eta'))?.map((i) => i.infoCode)).toEqual([
      code,
    ])
    report('fault-hub-hangs', { handlerSeconds: seconds.toFixed(1), hubConnections: hub.connections() })
  })
})
