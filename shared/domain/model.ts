/** An article as stored and served. Dates are ISO 8601; `date` keeps its publish offset. */
export interface Article {
  readonly infoCode: string
  readonly title: string
  readonly date: string
  /** `date` as milliseconds since the epoch, for ordering. */
  readonly publishedAt: number
  /** The category slugs (`categorySlug` of each name): what feeds, pages and keys use. */
  readonly categories: readonly string[]
  /** The category names as written (`TechWeb`); the API shows these as `categories`. */
  readonly categoryNames: readonly string[]
  readonly tags: readonly string[]
  readonly body: string
  /** The body rendered and sanitised; filled only by a store given a renderer (feeds, share), else ''. */
  readonly html: string
  readonly summary: string
  readonly source: string | undefined
  readonly extra: Readonly<Record<string, unknown>>
  readonly shortCode: string
  readonly createdAt: string
  readonly updatedAt: string
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

/** One entry of a feed: what the renderers need of an article. */
export interface FeedEntry {
  readonly infoCode: string
  readonly title: string
  readonly date: string
  readonly publishedAt: number
  readonly updatedAt: string
  readonly categories: readonly string[]
  readonly tags: readonly string[]
  /** The body as uploaded (Markdown with inline HTML). */
  readonly body: string
  /** The body rendered and sanitised; filled only by a store given a renderer (feeds, share), else ''. */
  readonly html: string
  readonly summary: string
  readonly source: string | undefined
  readonly shortCode: string
}

/** The key of the site-wide feed, beside the category slugs (a slug cannot start with `_`). */
export const SITE_FEED = '_site'
