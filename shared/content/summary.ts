import { splitFooter } from '../domain/footer.ts'
import { truncate } from '../domain/text.ts'
import { htmlToText } from '../feeds/plain-text.ts'

/** Longest summary, in characters. */
export const SUMMARY_MAX = 200

const SOURCE_PATTERN = /[（(]\s*文章来源\s*[：:]\s*([^）)]{1,80}?)\s*[）)]/

/** What the API derives from a body without rendering it: a plain-text summary and the named source. */
export interface BodySummary {
  /** Plain text, at most 200 characters. */
  readonly summary: string
  /** The outlet named in `（文章来源：X）`, if any. */
  readonly source: string | undefined
}

/**
 * Summary and source of a post body (HTML with Markdown), from its readable text.
 * @example summariseBody('<p>正文。</p><p>（文章来源：中国经营网）</p>').source // '中国经营网'
 */
export function summariseBody(body: string): BodySummary {
  const text = htmlToText(splitFooter(body).content, { markdown: true })
  const source = SOURCE_PATTERN.exec(text)?.[1]?.trim() || undefined
  const summary = truncate(text.replace(SOURCE_PATTERN, ' ').replace(/\s+/g, ' ').trim(), SUMMARY_MAX)
  return { summary, source }
}
