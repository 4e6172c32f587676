import { type ArticleDraft, contentHash } from '../domain/article.ts'
import { DRAFT_FIELDS, pickFields } from '../domain/fields.ts'
import { truncate } from '../domain/text.ts'
import { htmlToText } from '../feeds/plain-text.ts'
import { extend } from '../objects.ts'
import type { ArticleWrite } from '../ports/article-store.ts'
import { SUMMARY_MAX, summariseBody } from './summary.ts'

/**
 * Turns a validated draft into what the store writes. The body is stored as uploaded; it is rendered and
 * sanitised where it is shown (feeds, share pages), which keeps Markdown out of the api function.
 */
export function prepareWrite(draft: ArticleDraft): ArticleWrite {
  // The body's summary and source on first read: an upload of what is already stored (most of the real site's)
  // never needs them.
  let derived: ReturnType<typeof summariseBody> | undefined
  const summarise = () => {
    derived ??= summariseBody(draft.body)
    return derived
  }
  // Jekyll's excerpt or description, when given, is the summary; plain text either way.
  const summary = draft.excerpt ? truncate(htmlToText(draft.excerpt, { markdown: true }), SUMMARY_MAX) : ''
  // The fields the draft holds as they are stored (ARTICLE_FIELDS' `draft`), then those derived here. Set one by
  // one on pickFields' fresh object, not spread into a literal: see shared/objects.ts.
  const write: Record<string, unknown> = pickFields(draft, DRAFT_FIELDS)
  write.infoCode = draft.infoCode
  write.date = draft.date.iso
  write.publishedAt = draft.date.epochMs
  return Object.defineProperties(write, {
    summary: { get: () => summary || summarise().summary, enumerable: true, configurable: true },
    source: { get: () => summarise().source, enumerable: true, configurable: true },
  }) as unknown as ArticleWrite
}

/** The content digest of a draft under a given infoCode. */
export function hashFor(draft: ArticleDraft): (infoCode: string) => string {
  return (infoCode) => contentHash(extend(draft, { infoCode }))
}
