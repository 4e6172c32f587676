import { ALL_FIELDS, ARTICLE_FIELDS, type ArticleField } from '#shared/domain/fields'
import type { Article } from '#shared/domain/model'

/**
 * An article with a distinct value in every field `ARTICLE_FIELDS` declares, made from the declaration, so a
 * field added there is in the sample too. `tag` varies the values (a second, different article); flags hold the
 * value an item lacking them would not read as.
 */
export function sampleArticle(tag = 's'): Article {
  const out: Record<string, unknown> = {}
  ALL_FIELDS.forEach((name, i) => {
    out[name] = sampleValue(name, i, tag)
  })
  return out as Article
}

function sampleValue(name: ArticleField, i: number, tag: string): unknown {
  const field: { kind: string; missing?: unknown } = ARTICLE_FIELDS[name]
  switch (field.kind) {
    case 'text':
      return `${tag}-${name}`
    case 'number':
      return 1_000_000 * tag.charCodeAt(0) + i
    case 'flag':
      return field.missing !== true
    case 'texts':
      // Slugs, so a category list is a valid one too.
      return [`${tag}-${name.toLowerCase()}-a`, `${tag}-${name.toLowerCase()}-b`]
    default:
      return { [`${tag}-${name}`]: i }
  }
}
