import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import { generateInfoCode } from '../domain/codes.ts'
import { ConflictError, IdempotencyKeyReusedError, PreconditionFailedError } from '../domain/errors.ts'
import type { ArticleStore, IdempotencyClaim, WriteResult } from '../ports/article-store.ts'
import { articleFromItem } from './dynamodb-article-items.ts'
import { articleQueries } from './dynamodb-article-queries.ts'
import { articleWrites } from './dynamodb-article-writes.ts'
import { itemWrites } from './dynamodb-item-writes.ts'
import { MAX_ATTEMPTS, pause, StoreBusyError } from './dynamodb-retries.ts'
import { type CapacityUse, meter } from './dynamodb-table-access.ts'

export { type CapacityUse, StoreBusyError }

// The article store is composed of its item mapping (dynamodb-article-items.ts), its queries
// (dynamodb-article-queries.ts), its transactions (dynamodb-article-writes.ts) and its single-item writes
// (dynamodb-item-writes.ts); this module decides what an
// upload reads first and when a write that lost a race is tried again (dynamodb-retries.ts).

/** Settings of the DynamoDB store. */
export interface DynamoArticleStoreOptions {
  readonly client: DynamoDBDocumentClient
  readonly tableName: string
  /** The site's offset, used to stamp generated infoCodes in site time. */
  readonly siteOffsetMinutes: number
  /** Injected clock, for tests. */
  readonly now?: () => Date
  /**
   * Told the capacity units each DynamoDB call consumed, as DynamoDB reports them (the store asks for them on
   * every call; DynamoDB Local reports them too). Calls that fail report nothing. For the bench and tests.
   */
  readonly onCapacity?: (use: CapacityUse) => void
}

/**
 * The article store on one DynamoDB table (see `shared/table.ts` for the key layout). Every write that
 * touches an article, its short code and its feed memberships is one transaction, so feeds never see half
 * an edit and a crash never leaves an orphan.
 * @example const store = dynamoArticleStore({ client, tableName: 'finews', siteOffsetMinutes: 480 })
 */
export function dynamoArticleStore(options: DynamoArticleStoreOptions): ArticleStore {
  const access = { client: options.client, tableName: options.tableName, metered: meter(options.onCapacity) }
  const queries = articleQueries(access)
  const now = options.now ?? (() => new Date())
  const writes = articleWrites(access, now)
  const single = itemWrites(access, now)
  const { readArticle } = queries

  function sameOrConflict(existing: Record<string, unknown>, clicks: number, hash: string): WriteResult {
    if (existing.contentHash === hash) return { article: articleFromItem(existing, clicks), outcome: 'unchanged' }
    throw new ConflictError(
      `article ${existing.infoCode} already exists with other content; replace it with PUT /api/articles/${existing.infoCode}`,
    )
  }

  /** What the request that took `claim` created, for its retry; undefined when nothing holds the claim. */
  async function replayOf(claim: IdempotencyClaim): Promise<WriteResult | undefined> {
    const held = await queries.readClaim(claim.scope, now().getTime())
    if (!held) return undefined
    if (held.fingerprint !== claim.fingerprint) {
      throw new IdempotencyKeyReusedError(
        `this idempotency key created article ${held.infoCode} from other content; send a new key for a new article`,
      )
    }
    const { item, clicks } = await readArticle(held.infoCode)
    if (!item || item.deletedAt !== undefined) {
      throw new ConflictError(`article ${held.infoCode}, which this idempotency key created, has since been deleted`)
    }
    return { article: articleFromItem(item, clicks), outcome: 'unchanged' }
  }

  const store: ArticleStore = {
    get: queries.get,
    list: queries.list,
    latest: queries.latest,
    resolveShortCode: queries.resolveShortCode,
    resolveLegacyPath: queries.resolveLegacyPath,
    listCategories: queries.listCategories,
    getCategory: queries.getCategory,
    countClick: single.countClick,
    putCategory: single.putCategory,

    async create(write, hash, idempotency) {
      if (write.infoCode) {
        const infoCode = write.infoCode
        // Most uploads re-send what is stored (REAL-SITE.md): read first, so those cost one read and no write
        // (a conditional write that fails is still billed); a new article adds that one read to its transaction.
        for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
          const { item, clicks } = await readArticle(infoCode)
          if (item && item.deletedAt === undefined) return sameOrConflict(item, clicks, hash(infoCode))
          const result = await writes.insert({ ...write, infoCode }, hash(infoCode), item, clicks)
          if (result.kind === 'ok') return { article: result.article, outcome: 'created' }
        }
        throw new StoreBusyError(`article ${infoCode} is being written concurrently; try again`)
      }
      // The claim is read first (a retry of a POST whose answer was lost: one read, and what the first created),
      // and again only when another request took it meanwhile; a drawn infoCode that was taken needs no re-read.
      let claimMayBeHeld = idempotency !== undefined
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        const replay = claimMayBeHeld && idempotency && (await replayOf(idempotency))
        if (replay) return replay
        const infoCode = generateInfoCode(write.publishedAt, options.siteOffsetMinutes)
        const result = await writes.insert({ ...write, infoCode }, hash(infoCode), undefined, 0, idempotency)
        if (result.kind === 'ok') return { article: result.article, outcome: 'created' }
        claimMayBeHeld = result.kind === 'claimed'
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
          const result = await writes.insert(write, hash, stored, clicks)
          if (result.kind === 'ok') return { article: result.article, outcome: 'created' }
          continue
        }
        if (live.contentHash === hash) return { article: articleFromItem(live, clicks), outcome: 'unchanged' }
        const after = await writes.replace(write, hash, live)
        if (after !== 'stale') return { article: articleFromItem(after, clicks), outcome: 'replaced' }
        // Read again rather than answer 412 now: 'stale' is also a conflict on another item of the transaction
        // (a membership, a category), and only the version read next says whether the article moved.
        await pause(attempt)
      }
      throw new StoreBusyError(`article ${write.infoCode} is being written concurrently; try again`)
    },

    async delete(infoCode) {
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        const { item: stored } = await readArticle(infoCode)
        if (!stored) return false
        if (stored.deletedAt !== undefined) return true
        if (await writes.tombstone(stored)) return true
        await pause(attempt)
      }
      throw new StoreBusyError(`article ${infoCode} is being written concurrently; try again`)
    },
  }
  // Reads give bodies as uploaded: rendered where they are shown (the share page, buildFeed), never stored.
  return store
}
