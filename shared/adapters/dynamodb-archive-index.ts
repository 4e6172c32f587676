import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb'
import type { ArchiveIndex, KeyedEntry } from '../ports/archive-index.ts'
import { keys } from '../table.ts'
import { entryFromItem } from './dynamodb-article-items.ts'

/** Settings of the DynamoDB archive index. */
export interface DynamoArchiveIndexOptions {
  readonly client: DynamoDBDocumentClient
  readonly tableName: string
}

// Boundaries are member keys, which start with a four-digit year: every one sorts at or after '0', the
// `!cut` item before it.
const LOWEST_BOUNDARY = '0'

/**
 * The archive index on the article table: members come from the feed's membership partition, boundaries
 * from `ARCH#{feed}` (see `shared/table.ts`). Each call is one `Query` bounded by its `Limit`.
 * @example const index = dynamoArchiveIndex({ client, tableName: 'finews' })
 */
export function dynamoArchiveIndex(options: DynamoArchiveIndexOptions): ArchiveIndex {
  const { client, tableName } = options

  // BETWEEN includes both ends: one more item is asked for and the one equal to `to` dropped, so the
  // range reads as [from, to).
  async function between(
    pk: string,
    from: string,
    to: string,
    limit: number,
    newestFirst: boolean,
  ): Promise<Record<string, unknown>[]> {
    if (from >= to || limit <= 0) return []
    const items: Record<string, unknown>[] = []
    let startKey: Record<string, unknown> | undefined
    do {
      const page = await client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
          ExpressionAttributeValues: { ':pk': pk, ':from': from, ':to': to },
          ScanIndexForward: !newestFirst,
          Limit: limit + 1 - items.length,
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      )
      for (const item of page.Items ?? []) if (item.sk !== to) items.push(item)
      startKey = page.LastEvaluatedKey
    } while (startKey && items.length < limit)
    return items.slice(0, limit)
  }

  async function one(
    expression: string,
    values: Record<string, unknown>,
    forward: boolean,
    skip?: string,
  ): Promise<string | undefined> {
    const page = await client.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: expression,
        ExpressionAttributeValues: values,
        ScanIndexForward: forward,
        Limit: skip === undefined ? 1 : 2,
        ConsistentRead: true,
      }),
    )
    return (page.Items ?? []).map((item) => String(item.sk)).find((sk) => sk !== skip)
  }

  return {
    async members(feed, { from, to, limit, newestFirst = false }) {
      const items = await between(keys.feedPartition(feed), from, to, limit, newestFirst)
      return items.map((item): KeyedEntry => ({ key: String(item.sk), entry: entryFromItem(item) }))
    },

    async boundaries(feed, { from, to, limit }) {
      const low = from < LOWEST_BOUNDARY ? LOWEST_BOUNDARY : from
      const items = await between(keys.archivePartition(feed), low, to, limit, false)
      return items.map((item) => String(item.sk))
    },

    boundaryBelow(feed, key, strict = false) {
      if (key < LOWEST_BOUNDARY) return Promise.resolve(undefined)
      return one(
        'pk = :pk AND sk BETWEEN :low AND :key',
        { ':pk': keys.archivePartition(feed), ':low': LOWEST_BOUNDARY, ':key': key },
        false,
        strict ? key : undefined,
      )
    },

    boundaryAbove(feed, key) {
      return one(
        'pk = :pk AND sk > :key',
        { ':pk': keys.archivePartition(feed), ':key': key < LOWEST_BOUNDARY ? LOWEST_BOUNDARY : key },
        true,
      )
    },

    async addBoundary(feed, key) {
      try {
        await client.send(
          new PutCommand({
            TableName: tableName,
            Item: keys.archiveBoundary(feed, key),
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        )
        return true
      } catch (error) {
        if (error instanceof Error && error.name === 'ConditionalCheckFailedException') return false
        throw error
      }
    },

    async getCut(feed) {
      const out = await client.send(
        new GetCommand({ TableName: tableName, Key: keys.archiveCut(feed), ConsistentRead: true }),
      )
      return typeof out.Item?.at === 'string' ? out.Item.at : undefined
    },

    async putCut(feed, key) {
      await client.send(new PutCommand({ TableName: tableName, Item: { ...keys.archiveCut(feed), at: key } }))
    },
  }
}
