import type { Article } from './model.ts'
import { shareUrl, shortUrl } from './urls.ts'

/**
 * The article as the API returns it: its fields, the kept front-matter keys as they came (Jekyll's `excerpt`,
 * `description`, `image`, `author`, `last_modified_at` among them), whether it is public, and derived links.
 */
export function presentArticle(article: Article, baseUrl: string): Record<string, unknown> {
  return {
    ...article.extra,
    infoCode: article.infoCode,
    title: article.title,
    date: article.date,
    categories: article.categoryNames,
    tags: article.tags,
    body: article.body,
    published: article.published,
    source: article.source ?? null,
    originalUrl: article.originalUrl ?? null,
    summary: article.summary,
    shareUrl: shareUrl(baseUrl, article.infoCode),
    shortUrl: shortUrl(baseUrl, article.shortCode),
    createdAt: article.createdAt,
    updatedAt: article.updatedAt,
    clicks: article.clicks,
    version: article.version,
  }
}
