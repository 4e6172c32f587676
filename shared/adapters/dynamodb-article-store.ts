import type { ConsumedCapacity } from '@aws-sdk/client-dynamodb'
import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandOutput,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb'
import { categorySlug, derivedCategoryTitle } from '../domain/categories.ts'
import { generateInfoCode, generateShortCode } from '../domain/codes.ts'
import { ConflictError, PayloadTooLargeError, PreconditionFailedError } from '../domain/errors.ts'
import { type Article, type Category, type FeedEntry, SITE_FEED } from '../domain/model.ts'
import type { ArticleStore, ArticleWrite, Page, WriteResult } from '../ports/article-store.ts'
import { keys } from '../table.ts'
import {
  articleFromItem,
  type BodyRenderer,
  decodeCursor,
  encodeCursor,
  entryFromItem,
  entryOf,
  feedsOf,
  toCategory,
  tombstoneFromItem,
  withoutHtml,
} from './dynamodb-article-items.ts'
import { cancellationOf, MAX_ATTEMPTS, pause, StoreBusyError, type TransactItem } from './dynamodb-retries.ts'

export { type BodyRenderer, entryFromItem, feedsOf, StoreBusyError }

/** Settings of the DynamoDB store. */
export interface DynamoArticleStoreOptions {
  readonly client: DynamoDBDocumentClient
  readonly tableName: string
  /** The site's offset, used to stamp generated infoCodes in site time. */
  readonly siteOffsetMinutes: number
  /** Injected clock, for tests. */
  readonly now?: () => Date
  /**
   * Renders a stored body into sanitised HTML for `html` on reads (feeds and share pass
   * `shared/content/render-body.ts`); without it `html` is ''. Injected so the api bundle carries no Markdown.
   */
  readonly renderHtml?: BodyRenderer
  /**
   * Told the capacity units each DynamoDB call consumed, as DynamoDB reports them (the store asks for them on
   * every call; DynamoDB Local reports them too). Calls that fail report nothing. For the bench and tests.
   */
  readonly onCapacity?: (use: CapacityUse) => void
}

/**
 * What one DynamoDB call consumed: a read (Get, Query, BatchGet) or a write (the rest), and its capacity units,
 * undefined when the call failed (DynamoDB bills a failed conditional write but does not say how much).
 */
export interface CapacityUse {
  readonly kind: 'read' | 'write'
  readonly units: number | undefined
}

// Asks every call for the units it consumed (a few bytes more in each answer, no charge).
const TOTAL = { ReturnConsumedCapacity: 'TOTAL' } as const
const ARTICLE_PREFIX = keys.article('').pk
// The last instant whose ISO form keeps a four-digit year, so sort keys compare as times.
const MAX_DATE_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999)

/**
 * The article store on one DynamoDB table (see `shared/table.ts` for the key layout). Every write that
 * touches an article, its short code and its feed memberships is one transaction, so feeds never see half
 * an edit and a crash never leaves an orphan.
 * @example const store = dynamoArticleStore({ client, tableName: 'finews', siteOffsetMinutes: 480 })
 */
export function dynamoArticleStore(options: DynamoArticleStoreOptions): ArticleStore {
  const { client, tableName } = options
  const now = options.now ?? (() => new Date())
  const render = options.renderHtml ?? (() => '')
  const toEntry = (item: Record<string, unknown>) => entryFromItem(item, render)
  const toArticle = (item: Record<string, unknown>) => articleFromItem(item, render)
  const toArticleOrTombstone = (item: Record<string, unknown>) =>
    typeof item.deletedAt === 'string' ? tombstoneFromItem(item) : toArticle(item)

  /** Awaits one call and tells `onCapacity` what it consumed, or that it failed (unknown units). */
  async function metered<T extends { ConsumedCapacity?: ConsumedCapacity | ConsumedCapacity[] | undefined }>(
    kind: CapacityUse['kind'],
    call: Promise<T>,
  ): Promise<T> {
    let out: T
    try {
      out = await call
    } catch (error) {
      options.onCapacity?.({ kind, units: undefined })
      throw error
    }
    const units = [out.ConsumedCapacity ?? []].flat().reduce((sum, c) => sum + (c.CapacityUnits ?? 0), 0)
    options.onCapacity?.({ kind, units })
    return out
  }

  /**
   * The article item (or tombstone) and its click count, from one strongly consistent Query of the article's
   * partition: the counter lives there, so both cost what a GetItem of the article alone costs.
   */
  async function readArticle(infoCode: string): Promise<{ item?: Record<string, unknown>; clicks: number }> {
    const article = keys.article(infoCode)
    const counter = keys.clicks(infoCode)
    const out = await metered(
      'read',
      client.send(
        new QueryCommand({
          TableName: tableName,
          // 'ART' sorts before 'CLICKS'; the range leaves out whatever else the partition may hold one day.
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :article AND :counter',
          ExpressionAttributeValues: { ':pk': article.pk, ':article': article.sk, ':counter': counter.sk },
          ConsistentRead: true,
          ...TOTAL,
        }),
      ),
    )
    const item = out.Items?.find((i) => i.sk === article.sk)
    const clicks = Number(out.Items?.find((i) => i.sk === counter.sk)?.clicks ?? 0)
    return item ? { item, clicks } : { clicks }
  }

  async function getCategoryRaw(slug: string): Promise<Record<string, unknown> | undefined> {
    const out = await metered(
      'read',
      client.send(new GetCommand({ TableName: tableName, Key: keys.category(slug), ConsistentRead: true, ...TOTAL })),
    )
    return out.Item
  }

  function membershipPuts(article: Article): TransactItem[] {
    // An unpublished article is in no feed, page or listing.
    if (!article.published) return []
    return feedsOf(article.categories).map((feed) => ({
      Put: {
        TableName: tableName,
        Item: { ...keys.membership(feed, article.publishedAt, article.infoCode), ...entryOf(article) },
      },
    }))
  }

  function membershipDeletes(stored: Record<string, unknown>, keep: Set<string> = new Set()): TransactItem[] {
    const infoCode = String(stored.infoCode)
    const publishedAt = Number(stored.publishedAt)
    return feedsOf((stored.categories as string[] | undefined) ?? [])
      .map((feed) => keys.membership(feed, publishedAt, infoCode))
      .filter((key) => !keep.has(`${key.pk}|${key.sk}`))
      .map((key) => ({ Delete: { TableName: tableName, Key: key } }))
  }

  // Categories this process has seen written: 'titled' ones already carry a derived title, 'exists' ones only
  // exist. Writes skip their updates, so concurrent articles of one category do not collide on its item.
  const knownCategories = new Map<string, 'exists' | 'titled'>()

  function rememberCategories(article: Article): void {
    if (!article.published) return
    if (knownCategories.size > 10_000) knownCategories.clear()
    const derived = derivedCategoryTitle(article)
    for (const slug of article.categories) {
      knownCategories.set(slug, derived || knownCategories.get(slug) === 'titled' ? 'titled' : 'exists')
    }
  }

  function categoryUpdates(article: Article): TransactItem[] {
    if (!article.published) return []
    const derived = derivedCategoryTitle(article)
    const needed = article.categories.filter((slug) => {
      const known = knownCategories.get(slug)
      return known === undefined || (known === 'exists' && derived !== undefined)
    })
    return needed.map((slug) => ({
      Update: {
        TableName: tableName,
        Key: keys.category(slug),
        // The first name written for the slug is its label until a tag or an editor gives it a title.
        UpdateExpression: `SET createdAt = if_not_exists(createdAt, :now), #name = if_not_exists(#name, :name)${
          derived ? ', derivedTitle = if_not_exists(derivedTitle, :derived)' : ''
        }`,
        ExpressionAttributeNames: { '#name': 'name' },
        ExpressionAttributeValues: {
          ':now': article.createdAt,
          ':name': article.categoryNames.find((name) => categorySlug(name) === slug) ?? slug,
          ...(derived ? { ':derived': derived } : {}),
        },
      },
    }))
  }

  async function transact(items: TransactItem[]): Promise<void> {
    try {
      await metered('write', client.send(new TransactWriteCommand({ TransactItems: items, ...TOTAL })))
    } catch (error) {
      if (error instanceof Error && error.name === 'ValidationException' && /size/i.test(error.message)) {
        throw new PayloadTooLargeError('the article is larger than one stored item may be (about 400 KB)')
      }
      throw error
    }
  }

  async function insert(
    write: ArticleWrite & { infoCode: string },
    hash: string,
    tombstone?: Record<string, unknown>,
    clicks = 0,
  ) {
    const stamp = now().toISOString()
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const shortCode = typeof tombstone?.shortCode === 'string' ? tombstone.shortCode : generateShortCode()
      const article: Article = {
        ...write,
        published: write.published ?? true,
        html: '',
        shortCode,
        createdAt: stamp,
        updatedAt: stamp,
        clicks: 0,
        version: 1,
        contentHash: hash,
      }
      const articlePut: TransactItem = {
        Put: {
          TableName: tableName,
          Item: { ...keys.article(write.infoCode), ...withoutHtml(article) },
          ConditionExpression: tombstone ? 'attribute_exists(deletedAt)' : 'attribute_not_exists(pk)',
        },
      }
      // A re-created article keeps the short code its tombstone reserved.
      const shortCodePut: TransactItem | undefined = tombstone
        ? undefined
        : {
            Put: {
              TableName: tableName,
              Item: { ...keys.shortCode(shortCode), infoCode: write.infoCode, createdAt: stamp },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          }
      const items: TransactItem[] = [
        articlePut,
        ...(shortCodePut ? [shortCodePut] : []),
        ...membershipPuts(article),
        ...categoryUpdates(article),
        ...(tombstone
          ? [
              {
                Update: {
                  TableName: tableName,
                  Key: keys.clicks(write.infoCode),
                  UpdateExpression: 'REMOVE deletedAt',
                },
              },
            ]
          : []),
      ]
      try {
        await transact(items)
        rememberCategories(article)
        return { kind: 'ok' as const, article: { ...article, clicks } }
      } catch (error) {
        const cancelled = cancellationOf(error, items)
        if (!cancelled) throw error
        if (cancelled.reasonOf(articlePut) === 'ConditionalCheckFailed') return { kind: 'exists' as const }
        if (cancelled.reasonOf(shortCodePut) === 'ConditionalCheckFailed') continue // short code taken: draw another
        if (cancelled.has('TransactionConflict')) {
          await pause(attempt)
          continue
        }
        throw error
      }
    }
    throw new StoreBusyError('could not store the article after several attempts; try again')
  }

  async function replace(
    write: ArticleWrite & { infoCode: string },
    hash: string,
    stored: Record<string, unknown>,
  ): Promise<Record<string, unknown> | 'stale'> {
    const current = toArticle(stored)
    const article: Article = {
      ...current,
      ...write,
      published: write.published ?? true,
      html: '',
      updatedAt: now().toISOString(),
      version: current.version + 1,
      contentHash: hash,
    }
    const puts = membershipPuts(article)
    const kept = new Set(puts.map((p) => `${p.Put?.Item?.pk}|${p.Put?.Item?.sk}`))
    // Every stored field but those fixed at creation; an optional field now absent is removed.
    const { infoCode: _key, shortCode: _code, createdAt: _created, ...fields } = withoutHtml(article)
    const names: Record<string, string> = { '#version': 'version' }
    const values: Record<string, unknown> = { ':expected': current.version }
    const sets: string[] = []
    const removes: string[] = []
    for (const [key, value] of Object.entries(fields)) {
      names[`#${key}`] = key
      if (value === undefined) removes.push(`#${key}`)
      else {
        values[`:${key}`] = value
        sets.push(`#${key} = :${key}`)
      }
    }
    const update = `SET ${sets.join(', ')}${removes.length > 0 ? ` REMOVE ${removes.join(', ')}` : ''}`
    const articleUpdate: TransactItem = {
      Update: {
        TableName: tableName,
        Key: keys.article(article.infoCode),
        UpdateExpression: update,
        ConditionExpression: '#version = :expected AND attribute_not_exists(deletedAt)',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      },
    }
    const items = [articleUpdate, ...membershipDeletes(stored, kept), ...puts, ...categoryUpdates(article)]
    try {
      await transact(items)
      rememberCategories(article)
      // What the conditional update left stored: no need to read it back.
      const { source: _old, ...rest } = stored
      return { ...rest, ...fields, ...(article.source === undefined ? {} : { source: article.source }) }
    } catch (error) {
      const cancelled = cancellationOf(error, items)
      if (cancelled?.reasonOf(articleUpdate) === 'ConditionalCheckFailed' || cancelled?.has('TransactionConflict'))
        return 'stale'
      throw error
    }
  }

  async function queryPage(
    partition: string,
    limit: number,
    startKey: Record<string, unknown> | undefined,
    sortRange?: { readonly from: string; readonly to: string },
  ): Promise<QueryCommandOutput> {
    return metered(
      'read',
      client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: sortRange ? 'pk = :pk AND sk BETWEEN :from AND :to' : 'pk = :pk',
          ExpressionAttributeValues: sortRange
            ? { ':pk': partition, ':from': sortRange.from, ':to': sortRange.to }
            : { ':pk': partition },
          ScanIndexForward: false,
          Limit: limit,
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
          ...TOTAL,
        }),
      ),
    )
  }

  return {
    async get(infoCode) {
      const { item, clicks } = await readArticle(infoCode)
      return item ? toArticleOrTombstone({ ...item, clicks }) : undefined
    },

    async create(write, hash) {
      if (write.infoCode) {
        const infoCode = write.infoCode
        // Most uploads re-send what is stored (REAL-SITE.md): read first, so those cost one read and no write
        // (a conditional write that fails is still billed); a new article adds that one read to its transaction.
        for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
          const { item, clicks } = await readArticle(infoCode)
          if (item && item.deletedAt === undefined) return sameOrConflict(item, clicks, hash(infoCode))
          const result = await insert({ ...write, infoCode }, hash(infoCode), item, clicks)
          if (result.kind === 'ok') return { article: result.article, outcome: 'created' }
        }
        throw new StoreBusyError(`article ${infoCode} is being written concurrently; try again`)
      }
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        const infoCode = generateInfoCode(write.publishedAt, options.siteOffsetMinutes)
        const result = await insert({ ...write, infoCode }, hash(infoCode))
        if (result.kind === 'ok') return { article: result.article, outcome: 'created' }
      }
      throw new StoreBusyError('could not draw a free infoCode; try again')
    },

    async put(write, hash, expectedVersion) {
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        const { item: stored, clicks } = await readArticle(write.infoCode)
        const live = stored && stored.deletedAt === undefined ? stored : undefined
        if (expectedVersion !== undefined && Number(live?.version) !== expectedVersion) {
          throw new PreconditionFailedError(
            live
              ? `article ${write.infoCode} is at version ${live.version}, not ${expectedVersion}`
              : `article ${write.infoCode} does not exist`,
          )
        }
        if (!live) {
          const result = await insert(write, hash, stored, clicks)
          if (result.kind === 'ok') return { article: result.article, outcome: 'created' }
          continue
        }
        if (live.contentHash === hash) return { article: toArticle({ ...live, clicks }), outcome: 'unchanged' }
        const after = await replace(write, hash, live)
        if (after !== 'stale') return { article: toArticle({ ...after, clicks }), outcome: 'replaced' }
        if (expectedVersion !== undefined)
          throw new PreconditionFailedError(`article ${write.infoCode} changed meanwhile`)
        await pause(attempt)
      }
      throw new StoreBusyError(`article ${write.infoCode} is being written concurrently; try again`)
    },

    async delete(infoCode) {
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        const { item: stored } = await readArticle(infoCode)
        if (!stored) return false
        if (stored.deletedAt !== undefined) return true
        const tombstone = {
          ...keys.article(infoCode),
          infoCode,
          shortCode: stored.shortCode,
          // The old categories stay on the tombstone so a stream reader can tell which feeds it left.
          categories: stored.categories,
          publishedAt: stored.publishedAt,
          deletedAt: now().toISOString(),
          version: Number(stored.version) + 1,
        }
        try {
          await transact([
            {
              Put: {
                TableName: tableName,
                Item: tombstone,
                ConditionExpression: '#version = :expected AND attribute_not_exists(deletedAt)',
                ExpressionAttributeNames: { '#version': 'version' },
                ExpressionAttributeValues: { ':expected': stored.version },
              },
            },
            ...membershipDeletes(stored),
            {
              Update: {
                TableName: tableName,
                Key: keys.clicks(infoCode),
                UpdateExpression: 'SET deletedAt = :at',
                ExpressionAttributeValues: { ':at': tombstone.deletedAt },
              },
            },
          ])
          return true
        } catch (error) {
          // Any cancellation (the version moved, a conflict): read again and retry.
          if (!cancellationOf(error, [])) throw error
          await pause(attempt)
        }
      }
      throw new StoreBusyError(`article ${infoCode} is being written concurrently; try again`)
    },

    async list({ category, limit, cursor }) {
      const partition = keys.feedPartition(category ?? SITE_FEED)
      const startKey = cursor === undefined ? undefined : { pk: partition, sk: decodeCursor(cursor) }
      const page = await queryPage(partition, limit, startKey)
      const codes = (page.Items ?? []).map((item) => String(item.infoCode))
      const articles = await batchGetArticles(codes)
      const last = page.LastEvaluatedKey?.sk
      return {
        items: codes.map((code) => articles.get(code)).filter((a): a is Article => a !== undefined),
        cursor: typeof last === 'string' ? encodeCursor(last) : null,
      } satisfies Page<Article>
    },

    async latest(feed, limit, window) {
      const entries: FeedEntry[] = []
      let startKey: Record<string, unknown> | undefined
      // The publish window is a key condition (sort keys start with the UTC publish time), so items
      // outside it cost no read and never take the place of one inside.
      const from = Math.max(0, window?.publishedFrom ?? 0)
      const to = Math.min(MAX_DATE_MS, window?.publishedTo ?? MAX_DATE_MS)
      if (window && from > to) return entries
      const sortRange = window
        ? { from: keys.membership(feed, from, '').sk, to: keys.membership(feed, to, '\uffff').sk }
        : undefined
      // Pages are bounded by `limit` items (and 1 MB each): the cost never depends on the table's size.
      do {
        const page = await queryPage(keys.feedPartition(feed), limit - entries.length, startKey, sortRange)
        for (const item of page.Items ?? []) entries.push(toEntry(item))
        startKey = page.LastEvaluatedKey
      } while (startKey && entries.length < limit)
      return entries
    },

    async resolveShortCode(code) {
      const out = await metered(
        'read',
        client.send(new GetCommand({ TableName: tableName, Key: keys.shortCode(code), ...TOTAL })),
      )
      return typeof out.Item?.infoCode === 'string' ? out.Item.infoCode : undefined
    },

    async recordLegacyPaths(infoCode, paths) {
      // One small item per path (rare: only posts whose file name does not give their infoCode); a put of the
      // same item again changes nothing and wakes no stream consumer.
      for (const path of paths) {
        await client.send(new PutCommand({ TableName: tableName, Item: { ...keys.legacyPath(path), infoCode } }))
      }
    },

    async resolveLegacyPath(path) {
      const out = await client.send(new GetCommand({ TableName: tableName, Key: keys.legacyPath(path) }))
      return typeof out.Item?.infoCode === 'string' ? out.Item.infoCode : undefined
    },

    async countClick(infoCode, count = 1) {
      if (!Number.isSafeInteger(count) || count < 1)
        throw new RangeError(`click count must be a whole number ≥ 1, got ${count}`)
      try {
        await metered(
          'write',
          client.send(
            new UpdateCommand({
              TableName: tableName,
              // The counter item; the share route only counts links it resolved to a live article.
              Key: keys.clicks(infoCode),
              UpdateExpression: 'ADD clicks :count',
              ConditionExpression: 'attribute_not_exists(deletedAt)',
              ExpressionAttributeValues: { ':count': count },
              ...TOTAL,
            }),
          ),
        )
        return true
      } catch (error) {
        if (error instanceof Error && error.name === 'ConditionalCheckFailedException') return false
        throw error
      }
    },

    async listCategories() {
      const categories: Category[] = []
      let startKey: Record<string, unknown> | undefined
      do {
        const page = await metered(
          'read',
          client.send(
            new QueryCommand({
              TableName: tableName,
              KeyConditionExpression: 'pk = :pk',
              ExpressionAttributeValues: { ':pk': keys.categoryPartition },
              ExclusiveStartKey: startKey,
              ...TOTAL,
            }),
          ),
        )
        for (const item of page.Items ?? []) categories.push(toCategory(item))
        startKey = page.LastEvaluatedKey
      } while (startKey)
      return categories
    },

    async getCategory(slug) {
      const item = await getCategoryRaw(slug)
      return item ? toCategory(item) : undefined
    },

    async putCategory({ slug, title, description }) {
      const out = await metered(
        'write',
        client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: keys.category(slug),
            UpdateExpression:
              'SET title = :title, description = :description, titleSet = :true, createdAt = if_not_exists(createdAt, :now), updatedAt = :now',
            ExpressionAttributeValues: {
              ':title': title,
              ':description': description,
              ':true': true,
              ':now': now().toISOString(),
            },
            ReturnValues: 'ALL_NEW',
            ...TOTAL,
          }),
        ),
      )
      return toCategory(out.Attributes ?? { sk: slug, title, description, titleSet: true })
    },
  }

  async function batchGetArticles(codes: readonly string[]): Promise<Map<string, Article>> {
    const found = new Map<string, Article>()
    const clicks = new Map<string, number>()
    let pending: Record<string, unknown>[] = codes.flatMap((code) => [keys.article(code), keys.clicks(code)])
    for (let attempt = 0; pending.length > 0 && attempt < MAX_ATTEMPTS; attempt++) {
      const chunk = pending.slice(0, 100)
      const rest = pending.slice(100)
      const out = await metered(
        'read',
        client.send(
          new BatchGetCommand({ RequestItems: { [tableName]: { Keys: chunk, ConsistentRead: true } }, ...TOTAL }),
        ),
      )
      for (const item of out.Responses?.[tableName] ?? []) {
        if (item.sk === keys.clicks('').sk) {
          clicks.set(String(item.pk).slice(ARTICLE_PREFIX.length), Number(item.clicks ?? 0))
          continue
        }
        const value = toArticleOrTombstone(item)
        if (!('deletedAt' in value)) found.set(value.infoCode, value)
      }
      pending = [...(out.UnprocessedKeys?.[tableName]?.Keys ?? []), ...rest]
      if (out.UnprocessedKeys?.[tableName]) await pause(attempt)
    }
    for (const [code, article] of found) found.set(code, { ...article, clicks: clicks.get(code) ?? 0 })
    return found
  }

  function sameOrConflict(existing: Record<string, unknown>, clicks: number, hash: string): WriteResult {
    if (existing.contentHash === hash) return { article: toArticle({ ...existing, clicks }), outcome: 'unchanged' }
    throw new ConflictError(
      `article ${existing.infoCode} already exists with other content; replace it with PUT /api/articles/${existing.infoCode}`,
    )
  }
}
