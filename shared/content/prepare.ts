import { type ArticleDraft, contentHash } from '../domain/article.ts'
import type { ArticleWrite } from '../ports/article-store.ts'
import { summariseBody } from './summary.ts'

/**
 * Turns a validated draft into what the store writes. The body is stored as uploaded; it is rendered and
 * sanitised where it is shown (feeds, share pages), which keeps Markdown out of the api function.
 */
export function prepareWrite(draft: ArticleDraft): ArticleWrite {
  const { summary, source } = summariseBody(draft.body)
  return {
    infoCode: draft.infoCode,
    title: draft.title,
    date: draft.date.iso,
    publishedAt: draft.date.epochMs,
    categories: draft.categories,
    categoryNames: draft.categoryNames,
    tags: draft.tags,
    body: draft.body,
    summary,
    source,
    extra: draft.extra,
  }
}

/** The content digest of a draft under a given infoCode. */
export function hashFor(draft: ArticleDraft): (infoCode: string) => string {
  return (infoCode) => contentHash({ ...draft, infoCode })
}
