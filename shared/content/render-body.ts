import { Marked } from 'marked'
import { sanitiseHtml } from '../feeds/sanitise.ts'

// GitHub-flavoured Markdown with raw HTML passed through, as kramdown treats a Jekyll `.md` post;
// the sanitiser decides afterwards what of that HTML survives.
const markdown = new Marked({ gfm: true, breaks: false, async: false })

/**
 * Renders a body the way Jekyll renders a `.md` post and sanitises it through the project's allow-list.
 * Used at read time by the feeds and share functions, so a sanitiser change reaches every page on rebuild.
 * @example renderHtml('**hi**', 'https://example.com') // '<p><strong>hi</strong></p>'
 */
export function renderHtml(body: string, baseUrl: string): string {
  return sanitiseHtml(markdown.parse(body) as string, { baseUrl })
}
