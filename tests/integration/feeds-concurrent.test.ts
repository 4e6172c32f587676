// Issue 13, item 5: two feeds invocations (two stream shards) regenerate the site feed at once. S3 keeps
// whichever PUT lands last, and s3rver 3.7.1 ignores If-Match / If-None-Match on PUT (it reads If-None-Match on
// GET only), so no conditional write can be proved here: the publisher re-reads after writing instead. These
// tests force the race on the real local servers and look at what is left in the bucket.
//
// One thing s3rver does that S3 does not: a PUT writes the body, then the metadata, as two steps, so two PUTs
// of one key at once can leave one's body under the other's metadata (digest). S3 replaces an object whole.
// The publishers here share one S3 client whose PUTs of one key go one at a time, as S3 applies them; HEADs,
// GETs and everything else run as concurrently as in AWS.
import type { S3Client } from '@aws-sdk/client-s3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createS3Client } from '#shared/adapters/aws-clients'
import { s3ObjectStore } from '#shared/adapters/s3-object-store'
import { SITE_FEED } from '#shared/domain/model'
import { feedObjectKeys } from '#shared/feeds/formats'
import type { Log } from '#shared/observability'
import type { ArticleStore } from '#shared/ports/article-store'
import type { ObjectStore } from '#shared/ports/object-store'
import { createFeedPublisher } from '../../functions/feeds/regenerate.ts'
import { post } from '../support/fixture.ts'
import { TEST_KEY, testApiApp, testStack } from '../support/stack.ts'

const BASE = 'https://news.example.com'
const INFO_CODE = 'NW202401021000000001'
const SITE_KEYS = Object.values(feedObjectKeys(undefined))

let stack: Awaited<ReturnType<typeof testStack>>
let articles: ArticleStore
let s3: S3Client
let api: ReturnType<typeof testApiApp>

beforeAll(async () => {
  stack = await testStack()
  articles = stack.articles
  api = testApiApp(stack.articles)
  s3 = createS3Client(stack.settings)
  const puts = new Map<string, Promise<unknown>>()
  s3.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName !== 'PutObjectCommand') return next(args)
      const key = String((args.input as { Key?: string }).Key)
      const turn = (puts.get(key) ?? Promise.resolve()).then(() => next(args))
      puts.set(
        key,
        turn.catch(() => undefined),
      )
      return turn
    },
    { step: 'initialize', name: 'oneWholePutAtATime' },
  )
})
afterAll(async () => {
  s3?.destroy()
  await stack?.dispose()
})

/** Uploads the article with this title (the one thing that changes between versions). */
async function upload(title: string): Promise<void> {
  const res = await api.request(`http://localhost/api/articles/${INFO_CODE}`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${TEST_KEY}`, 'content-type': 'text/markdown' },
    body: post({ title: JSON.stringify(title) }),
  })
  expect([200, 201]).toContain(res.status)
}

/** A publisher as a feeds invocation has it: its own object store (its own process) on the shared bucket. */
function publisher(options: { objects?: ObjectStore; articles?: ArticleStore; log?: Log } = {}) {
  return createFeedPublisher({
    articles: options.articles ?? articles,
    objects: options.objects ?? s3ObjectStore({ client: s3, bucket: stack.bucketName }),
    publicBaseUrl: BASE,
    siteName: '财经新闻',
    feedSize: 50,
    siteOffsetMinutes: 480,
    log: options.log ?? (() => undefined),
  })
}

/** What the bucket holds now for the site feed: each object's text. */
async function siteFeedInBucket(): Promise<string[]> {
  const reader = s3ObjectStore({ client: s3, bucket: stack.bucketName })
  return Promise.all(SITE_KEYS.map(async (key) => new TextDecoder().decode((await reader.get(key))?.body)))
}

/** An object store whose writes wait until `release()`; `reached` resolves at the first write. */
function heldObjects(inner: ObjectStore) {
  let release!: () => void
  let reached!: () => void
  const gate = new Promise<void>((resolve) => {
    release = resolve
  })
  const arrived = new Promise<void>((resolve) => {
    reached = resolve
  })
  const store: ObjectStore = {
    get: (key) => inner.get(key),
    async putIfChanged(object) {
      reached()
      await gate
      return inner.putIfChanged(object)
    },
  }
  return { store, release, arrived }
}

describe('two regenerations of the site feed at once (s3rver, DynamoDB Local)', () => {
  it('the one holding the older read lands last, and the newer feed is what stays', async () => {
    // GIVEN the article at version 1, and invocation A that read it and is about to write
    await upload('第一版标题')
    const held = heldObjects(s3ObjectStore({ client: s3, bucket: stack.bucketName }))
    const a = publisher({ objects: held.store }).publish([SITE_FEED])
    await held.arrived

    // WHEN version 2 is uploaded, invocation B regenerates and finishes, and only then A's writes land
    await upload('第二版标题')
    const b = await publisher().publish([SITE_FEED])
    expect(b.failed.size).toBe(0)
    expect((await siteFeedInBucket()).every((text) => text.includes('第二版标题'))).toBe(true)
    held.release()
    const resultA = await a

    // THEN A found its write old and wrote again: every object of the site feed shows version 2, none version 1
    expect(resultA.failed.size).toBe(0)
    for (const [i, text] of (await siteFeedInBucket()).entries()) {
      expect(text, SITE_KEYS[i]).toContain('第二版标题')
      expect(text, SITE_KEYS[i]).not.toContain('第一版标题')
    }
  })

  it('a feed that keeps moving stops after its passes, and the regeneration of the last change leaves it newest', async () => {
    // GIVEN a table that changes again every time invocation A re-reads after writing
    let version = 0
    const moving: ArticleStore = {
      ...articles,
      async latest(feed, limit, window) {
        if (version > 0) await upload(`第${version + 10}版标题`)
        version++
        return articles.latest(feed, limit, window)
      },
    }
    const logged: Record<string, unknown>[] = []
    // WHEN A regenerates the site feed
    const result = await publisher({ articles: moving, log: (entry) => logged.push(entry) }).publish([SITE_FEED])

    // THEN it stopped after its passes and said so (no retry storm: the target is not failed)
    expect(result.failed.size).toBe(0)
    expect(logged).toContainEqual(expect.objectContaining({ level: 'warn', target: SITE_FEED, passes: 3 }))
    // AND the regeneration the last change's own record triggers leaves the newest version in every object
    const latestTitle = `第${version + 9}版标题`
    expect((await publisher().publish([SITE_FEED])).failed.size).toBe(0)
    for (const text of await siteFeedInBucket()) expect(text).toContain(latestTitle)
  })

  it('many invocations racing uploads leave the last uploaded version, whatever the order of their writes', async () => {
    for (let round = 1; round <= 3; round++) {
      // GIVEN three invocations, each holding its read until the others have moved on
      const helds = [0, 1, 2].map(() => heldObjects(s3ObjectStore({ client: s3, bucket: stack.bucketName })))
      const runs: Promise<{ failed: ReadonlyMap<string, unknown> }>[] = []
      for (const [i, held] of helds.entries()) {
        await upload(`轮${round}版${i}`)
        runs.push(publisher({ objects: held.store }).publish([SITE_FEED]))
        await held.arrived
      }
      // WHEN their writes land newest first (the worst order)
      for (const held of [...helds].reverse()) held.release()
      const results = await Promise.all(runs)

      // THEN the bucket holds the last upload. On a loaded machine a run may fail on a local server's timeout;
      // Lambda then retries its records, and so does this test (any other failure fails it).
      const failures = results.flatMap((r) => [...r.failed.values()])
      for (const failure of failures) expect(String((failure as Error)?.name)).toMatch(/Timeout|Unavailable|Store/)
      if (failures.length > 0) expect((await publisher().publish([SITE_FEED])).failed.size).toBe(0)
      for (const text of await siteFeedInBucket()) expect(text).toContain(`轮${round}版2`)
    }
  })
})
