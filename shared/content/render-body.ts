import { Marked } from 'marked'
import { truncate } from '../domain/text.ts'
import { htmlToText } from '../feeds/plain-text.ts'
import { sanitiseHtml } from '../feeds/sanitise.ts'

/** What the server derives from an article's body. */
export interface BodyContent {
  /** The body rendered from Markdown with inline HTML, then sanitised: safe in any page or feed. */
  readonly html: string
  /** Plain text, at most 200 characters. */
  readonly summary: string
  /** The outlet named in `（文章来源：X）`, if any. */
  readonly source: string | undefined
}

export const SUMMARY_MAX = 200

// GitHub-flavoured Markdown with raw HTML passed through, as kramdown treats a Jekyll `.md` post;
// the sanitiser decides afterwards what of that HTML survives.
const markdown = new Marked({ gfm: true, breaks: false, async: false })

const SOURCE_PATTERN = /[（(]\s*文章来源\s*[：:]\s*([^）)]{1,80}?)\s*[）)]/

/**
 * Renders a body the way Jekyll renders a `.md` post, sanitises it, and derives summary and source.
 * @example renderBody('**hi**', 'https://example.com').html // '<p><strong>hi</strong></p>'
 */
export function renderBody(body: string, baseUrl: string): BodyContent {
  const rendered = markdown.parse(body) as string
  const html = sanitiseHtml(rendered, { baseUrl })
  const text = htmlToText(html)
  const source = SOURCE_PATTERN.exec(text)?.[1]?.trim() || undefined
  const summary = truncate(text.replace(SOURCE_PATTERN, ' ').replace(/\s+/g, ' ').trim(), SUMMARY_MAX)
  return { html, summary, source }
}
