import { apiFields } from './fields.ts'
import type { Article } from './model.ts'
import { shareUrl, shortUrl } from './urls.ts'

// What the API shows of an article, in order, as `ARTICLE_FIELDS` declares (shared/domain/fields.ts).
const CONTENT = apiFields('content')
const RECORD = apiFields('record')

/**
 * The article as the API returns it: the kept front-matter keys as they came (Jekyll's `excerpt`,
 * `description`, `image`, `author`, `last_modified_at` among them), then its content fields (whether it is
 * public among them), its links, and the record's fields.
 */
export function presentArticle(article: Article, baseUrl: string): Record<string, unknown> {
  // Object.assign, not a spread: properties added to a spread's copy are slow on Node 20 (see shared/objects.ts).
  const out: Record<string, unknown> = Object.assign({}, article.extra)
  for (const field of CONTENT) out[field.shownAs] = article[field.name] ?? field.absent
  out.shareUrl = shareUrl(baseUrl, article.infoCode)
  out.shortUrl = shortUrl(baseUrl, article.shortCode)
  for (const field of RECORD) out[field.shownAs] = article[field.name] ?? field.absent
  return out
}
