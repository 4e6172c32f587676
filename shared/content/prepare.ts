import { type ArticleDraft, contentHash } from '../domain/article.ts'
import type { ArticleWrite } from '../ports/article-store.ts'
import { renderBody } from './render-body.ts'

/** Turns a validated draft into what the store writes: the body rendered, sanitised and summarised. */
export function prepareWrite(draft: ArticleDraft, baseUrl: string): ArticleWrite {
  const content = renderBody(draft.body, baseUrl)
  return {
    infoCode: draft.infoCode,
    title: draft.title,
    date: draft.date.iso,
    publishedAt: draft.date.epochMs,
    categories: draft.categories,
    tags: draft.tags,
    body: draft.body,
    html: content.html,
    summary: content.summary,
    source: content.source,
    extra: draft.extra,
  }
}

/** The content digest of a draft under a given infoCode. */
export function hashFor(draft: ArticleDraft): (infoCode: string) => string {
  return (infoCode) => contentHash({ ...draft, infoCode })
}
