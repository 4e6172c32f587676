/**
 * An article as stored and served. Dates are ISO 8601; `date` keeps its publish offset. Every field a feed
 * needs is in {@link FeedEntry}; what only the API and the share page need is here.
 */
export interface Article extends FeedEntry {
  /** The category names as written (`TechWeb`); the API shows these as `categories`. */
  readonly categoryNames: readonly string[]
  /** Jekyll's `published`: false keeps the article stored and editable but out of every feed, page and sitemap. */
  readonly published: boolean
  /** Front-matter keys without a meaning of their own (`layout`, …) and Jekyll's keys, kept as they came. */
  readonly extra: Readonly<Record<string, unknown>>
  readonly createdAt: string
  readonly clicks: number
  /** Incremented on each replace; used for optimistic concurrency. */
  readonly version: number
  readonly contentHash: string
}

/** What a deleted article leaves behind: its key and short code stay reserved, its link says it is gone. */
export interface Tombstone {
  readonly infoCode: string
  readonly shortCode: string
  readonly deletedAt: string
}

/** A feed category. `title` is the one set by an editor, else derived from the first single-category article. */
export interface Category {
  readonly slug: string
  readonly title: string
  readonly description: string
  /** True when an editor set the title with `PUT /api/categories/{slug}`. */
  readonly titleSet: boolean
}

/** One entry of a feed: what the renderers (feeds, pages) need of an article. Memberships hold these fields. */
export interface FeedEntry {
  readonly infoCode: string
  readonly title: string
  readonly date: string
  /** `date` as milliseconds since the epoch, for ordering. */
  readonly publishedAt: number
  /** When the record last changed (an edit, an import): not shown as the content's time. */
  readonly updatedAt: string
  /** Jekyll's `last_modified_at` (ISO 8601 with its offset): when the content last changed, if said. */
  readonly modifiedAt?: string | undefined
  /** The category slugs (`categorySlug` of each name): what feeds, pages and keys use. */
  readonly categories: readonly string[]
  readonly tags: readonly string[]
  /** The body as uploaded (Markdown with inline HTML, the old footer included). */
  readonly body: string
  /** The body rendered and sanitised; filled only by a store given a renderer (feeds, share), else ''. */
  readonly html: string
  /** Plain text, at most 200 characters: Jekyll's `excerpt`/`description` when given, else from the body. */
  readonly summary: string
  /** The outlet named in `（文章来源：X）`. */
  readonly source: string | undefined
  /** Jekyll's `image`, as written (absolute, protocol-relative or a path on this site). */
  readonly image?: string | undefined
  /** Jekyll's `author`: a name. */
  readonly author?: string | undefined
  /** The original article the old footer linked (eastmoney), shown as 原文链接. */
  readonly originalUrl?: string | undefined
  readonly shortCode: string
}

/** The key of the site-wide feed, beside the category slugs (a slug cannot start with `_`). */
export const SITE_FEED = '_site'
