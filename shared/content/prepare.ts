import { type ArticleDraft, contentHash } from '../domain/article.ts'
import { truncate } from '../domain/text.ts'
import { htmlToText } from '../feeds/plain-text.ts'
import type { ArticleWrite } from '../ports/article-store.ts'
import { SUMMARY_MAX, summariseBody } from './summary.ts'

/**
 * Turns a validated draft into what the store writes. The body is stored as uploaded; it is rendered and
 * sanitised where it is shown (feeds, share pages), which keeps Markdown out of the api function.
 */
export function prepareWrite(draft: ArticleDraft): ArticleWrite {
  const derived = summariseBody(draft.body)
  // Jekyll's excerpt or description, when given, is the summary; plain text either way.
  const summary = draft.excerpt ? truncate(htmlToText(draft.excerpt, { markdown: true }), SUMMARY_MAX) : ''
  return {
    infoCode: draft.infoCode,
    title: draft.title,
    date: draft.date.iso,
    publishedAt: draft.date.epochMs,
    modifiedAt: draft.modifiedAt,
    categories: draft.categories,
    categoryNames: draft.categoryNames,
    tags: draft.tags,
    body: draft.body,
    summary: summary || derived.summary,
    source: derived.source,
    published: draft.published,
    image: draft.image,
    author: draft.author,
    originalUrl: draft.originalUrl,
    extra: draft.extra,
  }
}
/** The content digest of a draft under a given infoCode. */
export function hashFor(draft: ArticleDraft): (infoCode: string) => string {
  return (infoCode) => contentHash({ ...draft, infoCode })
}
