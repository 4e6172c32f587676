import { marshall } from '@aws-sdk/util-dynamodb'
import type { AttributeValue, DynamoDBRecord } from 'aws-lambda'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { SITE_FEED } from '#shared/domain/model'
import {
  type FeedPublisher,
  type FeedTarget,
  OPML_TARGET,
  type PublishResult,
} from '../../functions/feeds/regenerate.ts'
import { createStreamHandler, PoisonRecordError, targetsOf } from '../../functions/feeds/stream.ts'

type Image = Record<string, unknown>
let sequence = 100

function record(eventName: 'INSERT' | 'MODIFY' | 'REMOVE', keys: Image, before?: Image, after?: Image): DynamoDBRecord {
  const image = (value: Image) => marshall(value, { removeUndefinedValues: true }) as Record<string, AttributeValue>
  return {
    eventID: `event-${sequence}`,
    eventName,
    eventSource: 'aws:dynamodb',
    dynamodb: {
      Keys: image(keys),
      ...(before ? { OldImage: image({ ...keys, ...before }) } : {}),
      ...(after ? { NewImage: image({ ...keys, ...after }) } : {}),
      SequenceNumber: String(sequence++),
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    },
  }
}

const ART = { pk: 'ART#NW202204162345423378', sk: 'ART' }
const article = (overrides: Image = {}) => ({
  infoCode: 'NW202204162345423378',
  title: '标题',
  date: '2022-04-16T03:21:56+08:00',
  publishedAt: 1650050516000,
  categories: ['zhongguojingyingwang'],
  tags: ['中国经营网新闻'],
  body: '<p>正文</p>',
  summary: '正文',
  shortCode: 'Ab3dE6g',
  updatedAt: '2024-01-01T00:00:00.000Z',
  clicks: 0,
  version: 1,
  ...overrides,
})

/** A publisher that records what it was asked and fails the targets it is told to. */
function fakePublisher(failing: readonly FeedTarget[] = []) {
  const calls: FeedTarget[][] = []
  const heads: Set<FeedTarget>[] = []
  const publisher: FeedPublisher = {
    async publish(targets, _changed, headChanged): Promise<PublishResult> {
      const list = [...targets]
      calls.push(list)
      heads.push(new Set(headChanged))
      return {
        failed: new Map(list.filter((t) => failing.includes(t)).map((t) => [t, new Error('down')])),
        written: [],
      }
    },
    regenerateCategory: async () => ({ failed: new Map(), written: [] }),
    rebuildAll: async () => ({ failed: new Map(), written: [] }),
    writeNotFoundPage: async () => [],
  }
  return { publisher, calls, heads }
}

const silent = () => undefined

describe('which feeds a record touches', () => {
  it('an upload touches the site-wide feed and its categories', () => {
    expect(targetsOf(record('INSERT', ART, undefined, article()))).toEqual(new Set([SITE_FEED, 'zhongguojingyingwang']))
  })

  it('an edit touches the old and the new categories', () => {
    const edit = record('MODIFY', ART, article({ categories: ['a', 'b'] }), article({ categories: ['b', 'c'] }))

    expect(targetsOf(edit)).toEqual(new Set([SITE_FEED, 'a', 'b', 'c']))
  })

  it('a delete (the tombstone keeps the categories) touches the feeds the article leaves', () => {
    const tombstone = { infoCode: 'NW202204162345423378', categories: ['markets'], deletedAt: '2024-01-02T00:00:00Z' }

    expect(targetsOf(record('MODIFY', ART, article({ categories: ['markets'] }), tombstone))).toEqual(
      new Set([SITE_FEED, 'markets']),
    )
  })

  it('a counted click changes no feed', () => {
    expect(targetsOf(record('MODIFY', ART, article(), article({ clicks: 5 })))).toEqual(new Set())
  })

  it('a category whose title changes touches its feed, the home page and the OPML list', () => {
    const key = { pk: 'CAT', sk: 'markets' }

    expect(targetsOf(record('MODIFY', key, { derivedTitle: '市场' }, { title: '股市', titleSet: true }))).toEqual(
      new Set(['markets', SITE_FEED, OPML_TARGET]),
    )
    expect(
      targetsOf(record('MODIFY', key, { derivedTitle: '市场' }, { derivedTitle: '市场', createdAt: 'x' })),
    ).toEqual(new Set())
  })

  it('memberships and short links touch nothing', () => {
    expect(targetsOf(record('INSERT', { pk: 'FEED#_site', sk: '2022#NW1' }, undefined, { title: 'x' }))).toEqual(
      new Set(),
    )
    expect(targetsOf(record('INSERT', { pk: 'SHORT#Ab3dE6g', sk: 'SHORT' }, undefined, { infoCode: 'x' }))).toEqual(
      new Set(),
    )
  })

  it('a record it cannot read is poison', () => {
    expect(() => targetsOf(record('INSERT', ART, undefined, article({ categories: ['../etc'] })))).toThrow(
      PoisonRecordError,
    )
    expect(() => targetsOf(record('INSERT', { pk: 'CAT', sk: 'Not A Slug' }, undefined, {}))).toThrow(PoisonRecordError)
    expect(() => targetsOf({ eventName: 'INSERT', dynamodb: {} })).toThrow(PoisonRecordError)
  })
})

describe('the stream handler', () => {
  it('regenerates each touched feed once for a whole batch', async () => {
    const { publisher, calls } = fakePublisher()
    const handler = createStreamHandler(publisher, silent)
    const other = { pk: 'ART#NW202401010000000001', sk: 'ART' }

    const response = await handler({
      Records: [
        record('INSERT', ART, undefined, article()),
        record('INSERT', other, undefined, article({ categories: ['markets', 'zhongguojingyingwang'] })),
        record('MODIFY', ART, article(), article({ title: '新标题' })),
        record('INSERT', { pk: 'FEED#markets', sk: 'x' }, undefined, {}),
      ],
    })

    expect(response).toEqual({ batchItemFailures: [] })
    expect(calls).toHaveLength(1)
    expect(new Set(calls[0])).toEqual(new Set([SITE_FEED, 'zhongguojingyingwang', 'markets']))
    expect(calls[0]).toHaveLength(3)
  })

  it('names the feeds a category record touches as head-changed, and none for article records alone', async () => {
    const { publisher, heads } = fakePublisher()
    const handler = createStreamHandler(publisher, silent)
    const title = record('MODIFY', { pk: 'CAT', sk: 'zhongguojingyingwang' }, { derivedTitle: '旧' }, { title: '新' })
    const edit = record('MODIFY', ART, article(), article({ title: '新标题' }))

    await handler({ Records: [edit] })
    await handler({ Records: [edit, title] })

    expect(heads[0]).toEqual(new Set())
    expect(heads[1]).toEqual(new Set(['zhongguojingyingwang', SITE_FEED, OPML_TARGET]))
  })

  it('reports the first record whose feed failed, so the retry starts there', async () => {
    const { publisher } = fakePublisher(['markets'])
    const handler = createStreamHandler(publisher, silent)
    const records = [
      record('INSERT', ART, undefined, article()),
      record('INSERT', { pk: 'ART#NW202401010000000001', sk: 'ART' }, undefined, article({ categories: ['markets'] })),
      record('INSERT', { pk: 'ART#NW202401010000000002', sk: 'ART' }, undefined, article({ categories: ['markets'] })),
    ]

    const response = await handler({ Records: records })

    expect(response.batchItemFailures).toEqual([{ itemIdentifier: records[1]?.dynamodb?.SequenceNumber }])
  })

  it('reports a poison record alone and still regenerates what the others touch', async () => {
    const { publisher, calls } = fakePublisher()
    const handler = createStreamHandler(publisher, silent)
    const poison = record('INSERT', { pk: 'ART#NW202401010000000009', sk: 'ART' }, undefined, { categories: 'oops' })
    const records = [
      record('INSERT', ART, undefined, article()),
      poison,
      record('INSERT', { pk: 'CAT', sk: 'markets' }, undefined, {}),
    ]

    const response = await handler({ Records: records })

    expect(response.batchItemFailures).toEqual([{ itemIdentifier: poison.dynamodb?.SequenceNumber }])
    expect(new Set(calls[0])).toEqual(new Set([SITE_FEED, 'zhongguojingyingwang', 'markets', OPML_TARGET]))
  })

  it('asks for the same feeds whatever the order of the records', async () => {
    const pool = [
      record('INSERT', ART, undefined, article()),
      record('MODIFY', ART, article(), article({ categories: ['markets'] })),
      record('MODIFY', ART, article({ categories: ['markets'] }), {
        infoCode: 'x',
        categories: ['markets'],
        deletedAt: 'now',
      }),
      record('MODIFY', { pk: 'CAT', sk: 'bonds' }, { title: 'a' }, { title: 'b' }),
      record('MODIFY', ART, article(), article({ clicks: 9 })),
    ]
    const expected = new Set([SITE_FEED, 'zhongguojingyingwang', 'markets', 'bonds', OPML_TARGET])

    await fc.assert(
      fc.asyncProperty(fc.shuffledSubarray(pool, { minLength: pool.length }), async (records) => {
        const { publisher, calls } = fakePublisher()
        await createStreamHandler(publisher, silent)({ Records: records })
        expect(new Set(calls[0])).toEqual(expected)
      }),
      { numRuns: 30 },
    )
  })

  it('does not call the publisher for a batch that touches nothing', async () => {
    const { publisher, calls } = fakePublisher()

    const response = await createStreamHandler(
      publisher,
      silent,
    )({
      Records: [record('MODIFY', ART, article(), article({ clicks: 1 }))],
    })

    expect(response).toEqual({ batchItemFailures: [] })
    expect(calls).toEqual([])
  })
})
