import type { FeedEntry } from '../domain/model.ts'
import { type ArticleStore, isTombstone } from '../ports/article-store.ts'
import type { RenderSubject } from './guarded-render.ts'

/** Renders a stored body to sanitised HTML; told which article it is, so a guard can fall back to its summary. */
export type BodyRenderer = (body: string, subject: RenderSubject) => string

/**
 * The entry (or article) with `html` rendered from its body; an empty body renders to nothing.
 * @example withHtml(entry, (body) => renderHtml(body, base)).html
 */
export function withHtml<T extends FeedEntry>(entry: T, render: BodyRenderer): T {
  const { body, infoCode, summary, updatedAt } = entry
  return { ...entry, html: body ? render(body, { infoCode, summary, updatedAt }) : '' }
}

/**
 * The store whose reads (`get`, `list`, `latest`) come with `html` rendered: the feeds and share functions read
 * through it, while the api's store renders nothing and so carries no Markdown. Writes pass through as they are.
 * @example const articles = renderedReads(dynamoArticleStore(options), guardedRenderer({ baseUrl, log }))
 */
export function renderedReads(store: ArticleStore, render: BodyRenderer): ArticleStore {
  return {
    ...store,
    async get(infoCode) {
      const found = await store.get(infoCode)
      return found && !isTombstone(found) ? withHtml(found, render) : found
    },
    async list(options) {
      const page = await store.list(options)
      return { ...page, items: page.items.map((article) => withHtml(article, render)) }
    },
    async latest(feed, limit, window) {
      return (await store.latest(feed, limit, window)).map((entry) => withHtml(entry, render))
    },
  }
}
