import type { ArticleField, EntryField, ShapeOf } from './fields.ts'

/**
 * An article as stored and served: every field declared in `ARTICLE_FIELDS` (shared/domain/fields.ts, where
 * each is described). Dates are ISO 8601; `date` keeps its publish offset. Every field a feed needs is in
 * {@link FeedEntry}; what only the API and the share page need is here.
 */
export type Article = ShapeOf<ArticleField>

/** One entry of a feed: what the renderers (feeds, pages) need of an article. Memberships hold these fields. */
export type FeedEntry = ShapeOf<EntryField>

/** What a deleted article leaves behind: its key and short code stay reserved, its link says it is gone. */
export interface Tombstone {
  readonly infoCode: string
  readonly shortCode: string
  readonly deletedAt: string
}

/** A feed category. `title` is the one set by an editor, else derived from the first article to lend one. */
export interface Category {
  readonly slug: string
  readonly title: string
  readonly description: string
  /** True when an editor set the title with `PUT /api/categories/{slug}`. */
  readonly titleSet: boolean
}

/** The key of the site-wide feed, beside the category slugs (a slug cannot start with `_`). */
export const SITE_FEED = '_site'
