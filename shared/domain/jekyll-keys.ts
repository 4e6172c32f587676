import { parsePublishTime } from './dates.ts'
import type { FieldError } from './errors.ts'
import { cleanText, collapseWhitespace, hasVisibleText, truncate } from './text.ts'

/**
 * Jekyll's front-matter keys that mean something here. They stay in the article's kept keys as they came
 * (returned and hashed as uploaded); these are what they say, read once at upload.
 */
interface JekyllKeys {
  /** `published`: false keeps the article out of every feed, page and sitemap. */
  readonly published: boolean
  /** `excerpt`, else `description`: the summary when given (made plain text where it is derived). */
  readonly excerpt: string | undefined
  /** `image` (a string, or jekyll-seo-tag's `{path}`): the article's picture, as written. */
  readonly image: string | undefined
  /** `author` (a name, `{name}`, or a list of them): the names, joined. */
  readonly author: string | undefined
  /** `last_modified_at`: when the content last changed, ISO 8601 with its offset. */
  readonly modifiedAt: string | undefined
}

const LINE_BREAK = /[\r\n\u2028\u2029]/
const TEXT_MAX = 2000
const AUTHOR_MAX = 200
const URL_MAX = 2000

/**
 * Reads Jekyll's keys from raw fields; every value that cannot mean what Jekyll means is named in `errors`.
 * @example readJekyllKeys({ published: false }, 480).value.published // false
 */
export function readJekyllKeys(
  fields: Readonly<Record<string, unknown>>,
  siteOffsetMinutes: number,
): { value: JekyllKeys; errors: FieldError[] } {
  const errors: FieldError[] = []
  const fail = (path: string, message: string) => {
    errors.push({ path, message })
    return undefined
  }

  let published = true
  const rawPublished = fields.published
  if (rawPublished === false || rawPublished === 'false') published = false
  else if (rawPublished !== undefined && rawPublished !== null && rawPublished !== true && rawPublished !== 'true') {
    fail('published', 'published must be true or false')
  }

  const text = (key: 'excerpt' | 'description'): string | undefined => {
    const raw = fields[key]
    if (raw === undefined || raw === null) return undefined
    if (typeof raw !== 'string') return fail(key, `${key} must be text`)
    const clean = cleanText(raw).trim()
    if (clean.length > TEXT_MAX) return fail(key, `${key} must be at most ${TEXT_MAX} characters`)
    return hasVisibleText(clean) ? clean : undefined
  }
  const excerpt = text('excerpt')
  const description = text('description')

  let image: string | undefined
  const rawImage = fields.image
  const imageValue =
    rawImage && typeof rawImage === 'object' && !Array.isArray(rawImage)
      ? ((rawImage as Record<string, unknown>).path ?? (rawImage as Record<string, unknown>).url)
      : rawImage
  if (imageValue !== undefined && imageValue !== null && imageValue !== '') {
    if (typeof imageValue !== 'string' || !isWebUrl(imageValue.trim())) {
      fail('image', 'image must be an http(s) URL or a path on this site')
    } else image = imageValue.trim()
  }

  let author: string | undefined
  if (fields.author !== undefined && fields.author !== null) {
    const names = (Array.isArray(fields.author) ? fields.author : [fields.author]).map(authorName)
    if (names.some((name) => name === undefined)) fail('author', 'author must be a name, {name: …}, or a list of them')
    else {
      const joined = collapseWhitespace(cleanText(names.join('、')))
      if (LINE_BREAK.test(joined)) fail('author', 'author must be one line')
      else if (joined) author = truncate(joined, AUTHOR_MAX)
    }
  }

  let modifiedAt: string | undefined
  const rawModified =
    fields.last_modified_at instanceof Date ? fields.last_modified_at.toISOString() : fields.last_modified_at
  if (rawModified !== undefined && rawModified !== null && rawModified !== '') {
    const parsed = typeof rawModified === 'string' ? parsePublishTime(rawModified.trim(), siteOffsetMinutes) : undefined
    if (!parsed) fail('last_modified_at', 'last_modified_at must be a real date (Jekyll or ISO 8601 form)')
    else modifiedAt = parsed.iso
  }

  return { value: { published, excerpt: excerpt ?? description, image, author, modifiedAt }, errors }
}

function authorName(value: unknown): string | undefined {
  if (typeof value === 'string') return value
  if (value && typeof value === 'object' && typeof (value as Record<string, unknown>).name === 'string') {
    return (value as Record<string, string>).name
  }
  return undefined
}

// Absolute http(s), protocol-relative, or a path: what a page can show as an image.
function isWebUrl(value: string): boolean {
  if (value.length === 0 || value.length > URL_MAX || /[\s<>"]/.test(value)) return false
  try {
    const url = new URL(value.startsWith('//') ? `https:${value}` : value, 'https://base.invalid/')
    return url.protocol === 'http:' || url.protocol === 'https:'
  } catch {
    return false
  }
}
