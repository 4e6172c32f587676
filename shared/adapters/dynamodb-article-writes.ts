import { TransactionCanceledException } from '@aws-sdk/client-dynamodb'
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb'
import { knownCategories } from '../domain/categories.ts'
import { generateShortCode } from '../domain/codes.ts'
import { PayloadTooLargeError } from '../domain/errors.ts'
import { pickFields, REPLACEABLE_FIELDS } from '../domain/fields.ts'
import type { Article } from '../domain/model.ts'
import type { ArticleWrite, IdempotencyClaim } from '../ports/article-store.ts'
import { keys, TABLE_SCHEMA } from '../table.ts'
import {
  articleFromItem,
  categoryUpdateOf,
  legacyPathPutsOf,
  membershipDeletesOf,
  membershipPutsOf,
  storedOf,
  updateOf,
} from './dynamodb-article-items.ts'
import { MAX_ATTEMPTS, namedTransaction, pause, StoreBusyError, type TransactItem } from './dynamodb-retries.ts'
import { type TableAccess, TOTAL } from './dynamodb-table-access.ts'

// The writes of the article store: each write that touches an article, its short code, its feed memberships,
// its categories and its old paths is one transaction, read back by part name when DynamoDB cancels it. At most
// 44 items (article, short code, 11 memberships, 10 categories, claim, 20 paths) or 53 for a replace (11 more
// memberships left), under DynamoDB's 100. Replace and tombstone are
// one attempt each: the store decides what to read first and when to read again.

/**
 * What an insert came to: the article stored, a live article (or a moved tombstone) holds its key, or another
 * request took its idempotency claim first.
 */
export type InsertResult =
  | { readonly kind: 'ok'; readonly article: Article }
  | { readonly kind: 'exists' }
  | { readonly kind: 'claimed' }

/** How long a POST's idempotency key keeps standing for the article it created: a day of retries. */
export const IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60

/** The transactions of the article store. */
export interface ArticleWrites {
  /**
   * Writes a new article (or re-creates a deleted one over its `tombstone`, keeping its short code),
   * its short code, memberships, categories and old paths (`redirect_from`); `clicks` is the count its counter item already holds. Races
   * (a short code drawn twice, a conflict) are retried; `StoreBusyError` after `MAX_ATTEMPTS`. With a `claim`,
   * the same transaction records that the claim created this article, if nothing holds the claim yet.
   */
  insert(
    write: ArticleWrite & { infoCode: string },
    hash: string,
    tombstone?: Record<string, unknown>,
    clicks?: number,
    claim?: IdempotencyClaim,
  ): Promise<InsertResult>
  /**
   * Replaces the live article `stored` (and records the old paths it names) if its version has not moved; what
   * is stored now, or 'stale' when another write came first.
   */
  replace(
    write: ArticleWrite & { infoCode: string },
    hash: string,
    stored: Record<string, unknown>,
  ): Promise<Record<string, unknown> | 'stale'>
  /** Leaves a tombstone in place of the live article `stored` if its version has not moved; false when it moved. */
  tombstone(stored: Record<string, unknown>): Promise<boolean>
}

/**
 * The store's article transactions on one table; `now` stamps them.
 * @example const writes = articleWrites(access, () => new Date())
 */
export function articleWrites(access: TableAccess, now: () => Date): ArticleWrites {
  const { client, tableName, metered } = access
  // Categories this process has recorded: writes skip their updates (see knownCategories).
  const known = knownCategories()

  const membershipPuts = (article: Article) => membershipPutsOf(tableName, article)
  const membershipDeletes = (stored: Record<string, unknown>, keep?: Set<string>) =>
    membershipDeletesOf(tableName, stored, keep)
  const legacyPathPuts = (article: Article) => legacyPathPutsOf(tableName, article)
  const categoryUpdates = (article: Article) =>
    known.toRecord(article).map((slug) => categoryUpdateOf(tableName, article, slug))

  async function transact(items: TransactItem[]): Promise<void> {
    try {
      await metered('write', client.send(new TransactWriteCommand({ TransactItems: items, ...TOTAL })))
    } catch (error) {
      if (tooLarge(error)) {
        throw new PayloadTooLargeError(
          'the article is larger than one stored item may be (about 400 KB), or with its feed copies larger than one write may be (4 MB)',
        )
      }
      throw error
    }
  }

  return {
    async insert(write, hash, tombstone, clicks = 0, claim) {
      const stamp = now().toISOString()
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        const shortCode = typeof tombstone?.shortCode === 'string' ? tombstone.shortCode : generateShortCode()
        const article: Article = {
          ...write,
          published: write.published ?? true,
          shortCode,
          createdAt: stamp,
          updatedAt: stamp,
          clicks: 0,
          version: 1,
          contentHash: hash,
        }
        const tx = namedTransaction({
          article: {
            Put: {
              TableName: tableName,
              Item: { ...keys.article(write.infoCode), ...storedOf(article) },
              ConditionExpression: tombstone ? 'attribute_exists(deletedAt)' : 'attribute_not_exists(pk)',
            },
          },
          // A re-created article keeps the short code its tombstone reserved.
          shortCode: tombstone
            ? undefined
            : {
                Put: {
                  TableName: tableName,
                  Item: { ...keys.shortCode(shortCode), infoCode: write.infoCode, createdAt: stamp },
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
          memberships: membershipPuts(article),
          categories: categoryUpdates(article),
          // With the article, so a path it was given is never missing once it is stored: an upload the content
          // hash finds unchanged (the hash covers redirect_from) has nothing left to record.
          legacyPaths: legacyPathPuts(article),
          // The counter of a re-created article counts again.
          clicks: tombstone
            ? {
                Update: {
                  TableName: tableName,
                  Key: keys.clicks(write.infoCode),
                  UpdateExpression: 'REMOVE deletedAt',
                },
              }
            : undefined,
          idempotency: claim
            ? {
                Put: {
                  TableName: tableName,
                  Item: {
                    ...keys.idempotency(claim.scope),
                    infoCode: write.infoCode,
                    fingerprint: claim.fingerprint,
                    createdAt: stamp,
                    // Epoch seconds: the table's TTL attribute.
                    [TABLE_SCHEMA.ttlAttribute]: Math.floor(Date.parse(stamp) / 1000) + IDEMPOTENCY_TTL_SECONDS,
                  },
                  // An expired claim the TTL sweep has not removed yet is free again.
                  ConditionExpression: 'attribute_not_exists(pk) OR #expires <= :now',
                  ExpressionAttributeNames: { '#expires': TABLE_SCHEMA.ttlAttribute },
                  ExpressionAttributeValues: { ':now': Math.floor(Date.parse(stamp) / 1000) },
                },
              }
            : undefined,
        })
        try {
          await transact(tx.items)
          known.recorded(article)
          return { kind: 'ok', article: { ...article, clicks } }
        } catch (error) {
          const cancelled = tx.cancellationOf(error)
          if (!cancelled) throw error
          // The key is taken (or the tombstone is gone): the caller reads whoever holds it.
          if (cancelled.reasonOf('article') === 'ConditionalCheckFailed') return { kind: 'exists' }
          // A retry of the same request (or another under its key) got there first: the caller reads the claim.
          if (cancelled.reasonOf('idempotency') === 'ConditionalCheckFailed') return { kind: 'claimed' }
          // The short code drawn is taken: draw another.
          if (cancelled.reasonOf('shortCode') === 'ConditionalCheckFailed') continue
          if (cancelled.has('TransactionConflict')) {
            await pause(attempt)
            continue
          }
          throw error
        }
      }
      throw new StoreBusyError('could not store the article after several attempts; try again')
    },

    async replace(write, hash, stored) {
      const current = articleFromItem(stored)
      const article: Article = {
        ...current,
        ...write,
        published: write.published ?? true,
        updatedAt: now().toISOString(),
        version: current.version + 1,
        contentHash: hash,
      }
      const puts = membershipPuts(article)
      const kept = new Set(puts.map((p) => `${p.Put?.Item?.pk}|${p.Put?.Item?.sk}`))
      // Every stored field but those fixed at creation; an optional field now absent is removed.
      const fields = pickFields(article, REPLACEABLE_FIELDS)
      const tx = namedTransaction({
        article: {
          Update: {
            TableName: tableName,
            Key: keys.article(article.infoCode),
            ...updateOf(fields, { '#version': 'version' }, { ':expected': current.version }),
            ConditionExpression: '#version = :expected AND attribute_not_exists(deletedAt)',
          },
        },
        leftMemberships: membershipDeletes(stored, kept),
        memberships: puts,
        categories: categoryUpdates(article),
        // Every path the upload names (a path it no longer names keeps leading here, as published URLs do).
        legacyPaths: legacyPathPuts(article),
      })
      try {
        await transact(tx.items)
        known.recorded(article)
        // What the conditional update left stored: no need to read it back (a field it removed reads as absent).
        return { ...stored, ...fields }
      } catch (error) {
        const cancelled = tx.cancellationOf(error)
        // The version moved, or another write is under way: the caller reads again.
        if (cancelled?.reasonOf('article') === 'ConditionalCheckFailed' || cancelled?.has('TransactionConflict'))
          return 'stale'
        throw error
      }
    },

    async tombstone(stored) {
      const infoCode = String(stored.infoCode)
      const deletedAt = now().toISOString()
      const tx = namedTransaction({
        article: {
          Put: {
            TableName: tableName,
            Item: {
              ...keys.article(infoCode),
              infoCode,
              shortCode: stored.shortCode,
              // The old categories stay on the tombstone so a stream reader can tell which feeds it left.
              categories: stored.categories,
              publishedAt: stored.publishedAt,
              deletedAt,
              version: Number(stored.version) + 1,
            },
            ConditionExpression: '#version = :expected AND attribute_not_exists(deletedAt)',
            ExpressionAttributeNames: { '#version': 'version' },
            ExpressionAttributeValues: { ':expected': stored.version },
          },
        },
        leftMemberships: membershipDeletes(stored),
        clicks: {
          Update: {
            TableName: tableName,
            Key: keys.clicks(infoCode),
            UpdateExpression: 'SET deletedAt = :at',
            ExpressionAttributeValues: { ':at': deletedAt },
          },
        },
      })
      try {
        await transact(tx.items)
        return true
      } catch (error) {
        // Any cancellation (the version moved, a conflict): the caller reads again.
        if (!tx.cancellationOf(error)) throw error
        return false
      }
    },
  }
}

/**
 * True when DynamoDB refused a transaction for its size. DynamoDB cancels one holding an item over 400 KB (reason
 * `ValidationError`, "Item size has exceeded…") and refuses one over 4 MB in all with a ValidationException;
 * DynamoDB Local answers an oversized item with a ValidationException as well.
 */
function tooLarge(error: unknown): boolean {
  if (error instanceof TransactionCanceledException) {
    return (error.CancellationReasons ?? []).some(
      (reason) => reason.Code === 'ValidationError' && /size/i.test(reason.Message ?? ''),
    )
  }
  return error instanceof Error && error.name === 'ValidationException' && /size|larger than/i.test(error.message)
}
