import type { AttributeValue, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda'
import { isCategorySlug } from '#shared/domain/categories'
import { ENTRY_FIELDS } from '#shared/domain/fields'
import { SITE_FEED } from '#shared/domain/model'
import { correlated, count, log as defaultLog, type Log, METRIC } from '#shared/observability'
import { itemKind, memberKey } from '#shared/table'
import { type FeedPublisher, type FeedTarget, OPML_TARGET } from './regenerate.ts'

/** A stream record the feeds function cannot read: reported failed on its own, never blocking the rest. */
export class PoisonRecordError extends Error {
  override readonly name = 'PoisonRecordError'
}

type Image = Record<string, AttributeValue>

// What a feed shows of an article (what its membership items copy) and what decides whether it is in a feed: a
// MODIFY that changes none of these (a counted click) touches no feed.
const FEED_ARTICLE_FIELDS = [...ENTRY_FIELDS, 'published', 'deletedAt']
// What feeds, pages and the OPML list show of a category.
const CATEGORY_FIELDS = ['title', 'derivedTitle', 'titleSet', 'description', 'name']

/**
 * The feeds a stream record touches: an article (or its tombstone) touches the site-wide feed and its old
 * and new categories; a category item touches its feed, the home page and the OPML list; short links
 * and feed memberships touch nothing (the article record that wrote them already does).
 * @example targetsOf(record) // Set { '_site', 'zhongguojingyingwang' }
 */
export function targetsOf(record: DynamoDBRecord): Set<FeedTarget> {
  const keys = record.dynamodb?.Keys
  const pk = keys?.pk?.S
  if (!pk) throw new PoisonRecordError('the record has no string key `pk`')
  const before = record.dynamodb?.OldImage
  const after = record.dynamodb?.NewImage
  const unchanged = (fields: readonly string[]) =>
    record.eventName === 'MODIFY' && before !== undefined && after !== undefined && sameFields(before, after, fields)
  switch (itemKind(pk, keys?.sk?.S)) {
    case 'article': {
      if (!before && !after) throw new PoisonRecordError(`${pk}: no image (the stream must carry NEW_AND_OLD_IMAGES)`)
      if (unchanged(FEED_ARTICLE_FIELDS)) return new Set()
      return new Set([SITE_FEED, ...categoriesOf(before, pk), ...categoriesOf(after, pk)])
    }
    case 'category': {
      const slug = keys?.sk?.S
      if (!slug || !isCategorySlug(slug)) throw new PoisonRecordError(`CAT: ${JSON.stringify(slug)} is not a slug`)
      if (unchanged(CATEGORY_FIELDS)) return new Set()
      return new Set([slug, SITE_FEED, OPML_TARGET])
    }
    default:
      return new Set()
  }
}

/**
 * Where an article record sits in each feed it touches, before and after: the member keys whose archive
 * pages must be rewritten. A record that is not an article's names none.
 * @example changedKeysOf(record) // Map { '_site' => ['2022-04-15T19:21:56.000Z#NW…'], 'markets' => [...] }
 */
export function changedKeysOf(record: DynamoDBRecord): Map<FeedTarget, string[]> {
  const out = new Map<FeedTarget, string[]>()
  const pk = record.dynamodb?.Keys?.pk?.S
  if (!pk || itemKind(pk, record.dynamodb?.Keys?.sk?.S) !== 'article') return out
  for (const image of [record.dynamodb?.OldImage, record.dynamodb?.NewImage]) {
    const infoCode = image?.infoCode?.S
    const publishedAt = Number(image?.publishedAt?.N)
    if (!image || !infoCode || !Number.isFinite(publishedAt)) continue
    const key = memberKey(publishedAt, infoCode)
    for (const feed of [SITE_FEED, ...categoriesOf(image, pk)]) out.set(feed, [...(out.get(feed) ?? []), key])
  }
  return out
}

/**
 * The feeds Lambda's core: coalesces a batch into the set of feeds it touches, regenerates each once,
 * and reports the first record whose feed failed (or that could not be read) as a partial batch failure,
 * so the event source retries from there and everything before it is done.
 * @example export const handler = createStreamHandler(publisher)
 */
export function createStreamHandler(
  publisher: FeedPublisher,
  log: Log = defaultLog,
): (event: DynamoDBStreamEvent, context?: { awsRequestId?: string }) => Promise<DynamoDBBatchResponse> {
  // Each batch is one unit of correlated work: its log lines carry the invocation's request id (the first
  // record's eventID outside Lambda), its metrics are flushed when it ends.
  return (event, context) => {
    const id = context?.awsRequestId ?? event.Records?.[0]?.eventID ?? 'batch'
    return correlated(id, () => handleBatch(publisher, log, event))
  }
}

async function handleBatch(
  publisher: FeedPublisher,
  log: Log,
  event: DynamoDBStreamEvent,
): Promise<DynamoDBBatchResponse> {
  const records = event.Records ?? []
  const touched = records.map((record): Set<FeedTarget> | PoisonRecordError => {
    try {
      return targetsOf(record)
    } catch (error) {
      const poison = error instanceof PoisonRecordError ? error : new PoisonRecordError(String(error))
      log({ level: 'error', msg: 'unreadable stream record', eventID: record.eventID, error: poison.message })
      return poison
    }
  })
  const all = new Set<FeedTarget>()
  const changed = new Map<FeedTarget, Set<string>>()
  // Feeds a record touches without naming an article in them (a category's title): their heads are rewritten
  // even when the batch's article changes all lie deep in the archive.
  const headChanged = new Set<FeedTarget>()
  touched.forEach((targets, i) => {
    if (targets instanceof PoisonRecordError) return
    const keyed = changedKeysOf(records[i] as DynamoDBRecord)
    for (const t of targets) {
      all.add(t)
      if (!keyed.has(t)) headChanged.add(t)
    }
    for (const [feed, keys] of keyed) {
      const known = changed.get(feed) ?? new Set<string>()
      for (const key of keys) known.add(key)
      changed.set(feed, known)
    }
  })
  const result = all.size > 0 ? await publisher.publish(all, changed, headChanged) : undefined
  const failed = touched.map(
    (targets) =>
      targets instanceof PoisonRecordError || [...targets].some((target) => result?.failed.has(target) === true),
  )
  const failures = failed.filter(Boolean).length
  if (failures > 0) count(METRIC.streamRecordsFailed, failures)
  const first = failed.indexOf(true)
  if (first === -1) return { batchItemFailures: [] }
  // An empty identifier makes the event source retry the whole batch, the safe answer when a record has none.
  return { batchItemFailures: [{ itemIdentifier: records[first]?.dynamodb?.SequenceNumber ?? '' }] }
}

function categoriesOf(image: Image | undefined, pk: string): string[] {
  const value = image?.categories
  if (value === undefined) return []
  const list = value.SS ?? value.L?.map((item) => item.S)
  if (!list || list.some((slug) => typeof slug !== 'string' || !isCategorySlug(slug))) {
    throw new PoisonRecordError(`${pk}: categories is not a list of slugs`)
  }
  return list as string[]
}

function sameFields(before: Image, after: Image, fields: readonly string[]): boolean {
  return fields.every((field) => JSON.stringify(before[field]) === JSON.stringify(after[field]))
}
