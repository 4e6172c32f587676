import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { type Pipeline, startPipeline } from '../../local/pipeline.ts'
import { TEST_KEY } from '../support/stack.ts'
import { type CallCounts, perform } from './support/api.ts'
import { type ReadItem, readFeedOverHttp } from './support/feeds.ts'
import { withDeadline } from './support/harness.ts'
import { report, scaled } from './support/memory.ts'
import { expectedFeed, inPool, type Operation, planWorkload } from './support/workload.ts'

const FEED_SIZE = 20
const IN_FLIGHT = 32
const uploads = scaled(400, 2000)
const categories = 20

let pipeline: Pipeline

beforeAll(async () => {
  const id = randomUUID().slice(0, 8)
  pipeline = await startPipeline({
    servers: { dynamoEndpoint: inject('dynamoEndpoint'), s3Endpoint: inject('s3Endpoint') },
    env: {
      TABLE_NAME: `rel-load-${id}`,
      BUCKET_NAME: `rel-load-${id}`,
      API_KEY: TEST_KEY,
      RATE_LIMIT_PER_MINUTE: '0',
      FEED_SIZE: String(FEED_SIZE),
    },
  })
})
afterAll(() => pipeline?.stop())

describe(`${uploads} uploads across ${categories} categories, ${IN_FLIGHT} in flight, with moves and deletes`, () => {
  it('leaves every feed equal to the newest FEED_SIZE of its ground truth once the stream is drained', {
    timeout: 600_000,
  }, async () => {
    // Prepare
    const { operations, truth, slugs } = planWorkload({
      uploads,
      categories,
      editShare: 0.3,
      deleteShare: 0.1,
      seed: 20240416,
    })
    const counts: CallCounts = { calls: 0, retried: 0, failedAttempts: 0 }
    // Operations on one article run in order (each waits for the one before); different articles overlap.
    const previous = new Map<number, Promise<void>>()
    const failures: string[] = []
    const started = performance.now()

    // Act
    await inPool(operations, IN_FLIGHT, async (operation: Operation) => {
      const before = previous.get(operation.article) ?? Promise.resolve()
      const done = before.then(() => perform(pipeline.url, TEST_KEY, operation, counts))
      previous.set(
        operation.article,
        done.catch((error: Error) => {
          failures.push(error.message)
        }),
      )
      await done.catch(() => undefined)
    })
    await Promise.all(previous.values())
    const writesSeconds = (performance.now() - started) / 1000
    await withDeadline(pipeline.stream.drained(), 'the stream to drain', () => `${counts.calls} calls`, 300_000)
    const drainedSeconds = (performance.now() - started) / 1000

    // Assess
    expect(failures).toEqual([])
    const feeds: [string | undefined, ReadItem[] | undefined][] = await Promise.all(
      [undefined, ...slugs].map(async (slug) => [slug, await readFeedOverHttp(pipeline.url, slug)] as const),
    )
    const byCode = new Map(truth.map((t) => [t.infoCode, t]))
    let lost = 0
    let stale = 0
    let checkedItems = 0
    for (const [slug, items] of feeds) {
      const want = expectedFeed(truth, slug, FEED_SIZE)
      const got = items ?? []
      checkedItems += got.length
      // Lost: an article the feed should show and does not. Stale: one it shows but left (moved or deleted).
      lost += want.filter((t) => !got.some((item) => item.infoCode === t.infoCode)).length
      stale += got.filter((item) => {
        const t = byCode.get(item.infoCode)
        return !t || t.deleted || (slug !== undefined && !t.categories.includes(slug))
      }).length
      expect
        .soft(
          got.map((item) => item.infoCode),
          `feed ${slug ?? '(site)'}`,
        )
        .toEqual(want.map((t) => t.infoCode))
      expect
        .soft(
          got.map((item) => item.title),
          `titles of feed ${slug ?? '(site)'}`,
        )
        .toEqual(want.map((t) => t.title))
    }
    const edits = operations.filter((o) => o.kind === 'edit').length
    const deletes = operations.filter((o) => o.kind === 'delete').length
    report('concurrency', {
      uploads,
      edits,
      deletes,
      inFlight: IN_FLIGHT,
      categories,
      feedSize: FEED_SIZE,
      feedsChecked: feeds.length,
      itemsChecked: checkedItems,
      retriedAnswers: counts.retried,
      failedAttempts: counts.failedAttempts,
      lost,
      stale,
      writesSeconds: writesSeconds.toFixed(1),
      drainedSeconds: drainedSeconds.toFixed(1),
    })
    expect(lost).toBe(0)
    expect(stale).toBe(0)
    expect(edits).toBeGreaterThan(uploads / 5)
    expect(deletes).toBeGreaterThan(uploads / 20)
  })
})
