import { QueryCommand as PlainQueryCommand } from '@aws-sdk/client-dynamodb'
import { BatchGetCommand, GetCommand, QueryCommand, type QueryCommandOutput } from '@aws-sdk/lib-dynamodb'
import { unmarshall } from '@aws-sdk/util-dynamodb'
import { invalidRequest } from '../domain/errors.ts'
import { type Article, type Category, type FeedEntry, SITE_FEED, type Tombstone } from '../domain/model.ts'
import type { ArticleStore, Page } from '../ports/article-store.ts'
import { keys, TABLE_SCHEMA } from '../table.ts'
import { plainClientOf } from './aws-clients.ts'
import { articleFromItem, entryFromItem, toCategory, tombstoneFromItem } from './dynamodb-article-items.ts'
import { MAX_ATTEMPTS, pause } from './dynamodb-retries.ts'
import { type TableAccess, TOTAL } from './dynamodb-table-access.ts'

// The reads of the article store: an article with its click count, listings and feeds from membership
// partitions (with the page cursor's codec), short codes, old paths and categories. Every read is bounded.

const ARTICLE_PREFIX = keys.article('').pk
// The last instant whose ISO form keeps a four-digit year, so sort keys compare as times.
const MAX_DATE_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999)

/** The reads of `ArticleStore`, plus what its writes read first. */
export interface ArticleQueries
  extends Pick<
    ArticleStore,
    'get' | 'list' | 'latest' | 'resolveShortCode' | 'resolveLegacyPath' | 'listCategories' | 'getCategory'
  > {
  /**
   * The article item (or tombstone) and its click count, from one strongly consistent Query of the article's
   * partition: the counter lives there, so both cost what a GetItem of the article alone costs.
   */
  readArticle(infoCode: string): Promise<{ item?: Record<string, unknown>; clicks: number }>
  /**
   * What a POST under an idempotency claim created: its infoCode and the request's fingerprint, if recorded and
   * not expired at `nowMs`.
   */
  readClaim(scope: string, nowMs: number): Promise<{ infoCode: string; fingerprint: string } | undefined>
}

/**
 * The store's queries on one table (bodies come back as uploaded: they are rendered where shown).
 * @example const queries = articleQueries(access)
 */
export function articleQueries(access: TableAccess): ArticleQueries {
  const { client, tableName, metered } = access
  const plain = plainClientOf(client)
  const articleOrTombstone = (item: Record<string, unknown>, clicks?: number): Article | Tombstone =>
    typeof item.deletedAt === 'string' ? tombstoneFromItem(item) : articleFromItem(item, clicks)

  async function readArticle(infoCode: string): Promise<{ item?: Record<string, unknown>; clicks: number }> {
    const article = keys.article(infoCode)
    const counter = keys.clicks(infoCode)
    // Every upload, share page and API read starts here: through the plain client (see plainClientOf).
    const out = await metered(
      'read',
      plain.send(
        new PlainQueryCommand({
          TableName: tableName,
          // 'ART' sorts before 'CLICKS'; the range leaves out whatever else the partition may hold one day.
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :article AND :counter',
          ExpressionAttributeValues: {
            ':pk': { S: article.pk },
            ':article': { S: article.sk },
            ':counter': { S: counter.sk },
          },
          ConsistentRead: true,
          ...TOTAL,
        }),
      ),
    )
    let item: Record<string, unknown> | undefined
    let clicks = 0
    for (const found of out.Items ?? []) {
      if (found.sk?.S === article.sk) item = unmarshall(found)
      else if (found.sk?.S === counter.sk) clicks = Number(found.clicks?.N ?? 0)
    }
    return item ? { item, clicks } : { clicks }
  }

  /** One page of a partition, newest first; `sortRange` bounds the sort keys read. */
  function queryPage(
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

  /** The live articles of `codes` with their click counts, in BatchGets of 100 keys, unprocessed keys retried. */
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
        const value = articleOrTombstone(item)
        if (!('deletedAt' in value)) found.set(value.infoCode, value)
      }
      pending = [...(out.UnprocessedKeys?.[tableName]?.Keys ?? []), ...rest]
      if (out.UnprocessedKeys?.[tableName]) await pause(attempt)
    }
    for (const [code, article] of found) found.set(code, { ...article, clicks: clicks.get(code) ?? 0 })
    return found
  }

  return {
    readArticle,

    async get(infoCode) {
      const { item, clicks } = await readArticle(infoCode)
      return item ? articleOrTombstone(item, clicks) : undefined
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
        for (const item of page.Items ?? []) entries.push(entryFromItem(item))
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

    async readClaim(scope, nowMs) {
      const out = await metered(
        'read',
        client.send(
          new GetCommand({ TableName: tableName, Key: keys.idempotency(scope), ConsistentRead: true, ...TOTAL }),
        ),
      )
      const { infoCode, fingerprint } = out.Item ?? {}
      // Past its time the claim is over, even before DynamoDB's TTL sweep removes the item.
      const live = Number(out.Item?.[TABLE_SCHEMA.ttlAttribute]) * 1000 > nowMs
      return live && typeof infoCode === 'string' && typeof fingerprint === 'string'
        ? { infoCode, fingerprint }
        : undefined
    },

    async resolveLegacyPath(path) {
      const out = await metered(
        'read',
        client.send(new GetCommand({ TableName: tableName, Key: keys.legacyPath(path), ...TOTAL })),
      )
      return typeof out.Item?.infoCode === 'string' ? out.Item.infoCode : undefined
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
      const out = await metered(
        'read',
        client.send(new GetCommand({ TableName: tableName, Key: keys.category(slug), ConsistentRead: true, ...TOTAL })),
      )
      return out.Item ? toCategory(out.Item) : undefined
    },
  }
}

/** The sort key a page cursor stands for; a cursor this API did not make is a validation error. */
function decodeCursor(cursor: string): string {
  const sk = /^[A-Za-z0-9_-]{1,200}$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8') : ''
  if (!/^\d{4}-\d{2}-\d{2}T[\d:.]+Z#[A-Z]{2}\d{18}$/.test(sk)) {
    throw invalidRequest('cursor', 'cursor is not one this API returned')
  }
  return sk
}

/** The cursor of the next page: the last sort key read, base64url (opaque to clients). */
function encodeCursor(sk: string): string {
  return Buffer.from(sk).toString('base64url')
}
