import type { StoreField } from '../domain/fields.ts'
import type { Article, Category, FeedEntry, Tombstone } from '../domain/model.ts'

/** What the store is asked to create or replace: the validated draft plus what the server derived (no field the store sets). */
export type ArticleWrite = Omit<Article, StoreField | 'infoCode' | 'published'> & {
  readonly infoCode: string | undefined
  /** Jekyll's `published`; true when not said. */
  readonly published?: boolean
}

/** The outcome of a write: what is stored now and whether anything changed. */
export interface WriteResult {
  readonly article: Article
  readonly outcome: 'created' | 'replaced' | 'unchanged'
}

/**
 * A client's promise that a POST is one request however often it is sent (`Idempotency-Key`): the first
 * creates, a retry with the same `fingerprint` gets what the first created, another fingerprint is refused.
 */
export interface IdempotencyClaim {
  /** The API key's id and the client's key: one client's keys never meet another's. */
  readonly scope: string
  /** The request's content (the content hash without an infoCode). */
  readonly fingerprint: string
}

/** One page of a listing, newest first. */
export interface Page<T> {
  readonly items: readonly T[]
  readonly cursor: string | null
}

/** Bounds on the publish time (epoch ms, inclusive) of the entries `latest` returns: the feeds leave out future items. */
export interface PublishWindow {
  readonly publishedFrom?: number
  readonly publishedTo?: number
}

/** Persistence of articles, short links, categories and feed memberships. */
export interface ArticleStore {
  /** The article, its tombstone if deleted, or undefined. */
  get(infoCode: string): Promise<Article | Tombstone | undefined>
  /**
   * POST semantics: creates; the same content again is `unchanged`; other content under a stored
   * infoCode throws `ConflictError`. Without an infoCode one is generated, unique by a conditional write; with
   * an `idempotency` claim a retry is `unchanged` (the article the first created) and other content under the
   * claim throws `IdempotencyKeyReusedError`.
   */
  create(write: ArticleWrite, hash: (infoCode: string) => string, idempotency?: IdempotencyClaim): Promise<WriteResult>
  /** PUT semantics: creates or replaces; `expectedVersion` (from If-Match) throws `PreconditionFailedError` when stale. */
  put(write: ArticleWrite & { readonly infoCode: string }, hash: string, expectedVersion?: number): Promise<WriteResult>
  /** Deletes: the article leaves every feed, its key and short code stay reserved. False when nothing was stored. */
  delete(infoCode: string): Promise<boolean>
  /** Articles newest first, in one category or all. The cursor is opaque; a bad one throws `ValidationError`. */
  list(options: { category?: string; limit: number; cursor?: string }): Promise<Page<Article>>
  /** The newest `limit` entries of a feed (a category slug or `SITE_FEED`), newest first, from a bounded query. */
  latest(feed: string, limit: number, window?: PublishWindow): Promise<FeedEntry[]>
  /** The infoCode a short code points at. */
  resolveShortCode(code: string): Promise<string | undefined>
  /**
   * The infoCode an old site path (normalised) was recorded for: create and put record the paths an article's
   * `extra.redirect_from` names in the write that stores it (the last write of a path wins; a path an upload no
   * longer names keeps leading to the article).
   */
  resolveLegacyPath(path: string): Promise<string | undefined>
  /** Counts `count` clicks (default 1) in one atomic ADD; false when the article is not (or no longer) there. */
  countClick(infoCode: string, count?: number): Promise<boolean>
  listCategories(): Promise<Category[]>
  getCategory(slug: string): Promise<Category | undefined>
  putCategory(category: { slug: string; title: string; description: string }): Promise<Category>
}

/** True when the value is a tombstone rather than a live article. */
export function isTombstone(value: Article | Tombstone): value is Tombstone {
  return 'deletedAt' in value
}
