import type { FeedEntry } from '../domain/model.ts'

/** A feed entry with its position in the feed: the membership sort key (`{utc}#{infoCode}`). */
export interface KeyedEntry {
  readonly key: string
  readonly entry: FeedEntry
}

/**
 * What the archive needs from the table: members of a feed between two positions, and the stored page
 * boundaries of its archive. Every call is one bounded `Query` (or a few, capped by `limit`), never a `Scan`.
 */
export interface ArchiveIndex {
  /** Members with `from <= key < to`, oldest first (or newest first with `newestFirst`), at most `limit`. */
  members(
    feed: string,
    range: { readonly from: string; readonly to: string; readonly limit: number; readonly newestFirst?: boolean },
  ): Promise<KeyedEntry[]>
  /** Stored boundaries with `from <= key < to`, oldest first, at most `limit`. */
  boundaries(
    feed: string,
    range: { readonly from: string; readonly to: string; readonly limit: number },
  ): Promise<string[]>
  /** The greatest stored boundary `<= key` (`< key` with `strict`), if any. */
  boundaryBelow(feed: string, key: string, strict?: boolean): Promise<string | undefined>
  /** The smallest stored boundary `> key`, if any. */
  boundaryAbove(feed: string, key: string): Promise<string | undefined>
  /** Stores a boundary; false when it was already there (boundaries are only ever added). */
  addBoundary(feed: string, key: string): Promise<boolean>
  /** Where the feed's head ended at the last regeneration. */
  getCut(feed: string): Promise<string | undefined>
  putCut(feed: string, key: string): Promise<void>
}
