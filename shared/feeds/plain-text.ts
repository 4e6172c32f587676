import { collapseWhitespace } from '../domain/text.ts'
import { shownTokens } from './sanitise.ts'

const BLOCK = new Set([
  'p',
  'br',
  'div',
  'li',
  'tr',
  'td',
  'th',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'blockquote',
  'pre',
  'hr',
  'figure',
  'table',
])

/**
 * The readable text of an HTML fragment: hidden and script-like elements dropped, tags removed, entities
 * decoded, white space collapsed. With `markdown`, the common Markdown marks are taken off the text too.
 * @example htmlToText('<p>A&amp;B</p><script>x</script>') // 'A&B'
 */
export function htmlToText(html: string, options: { markdown?: boolean } = {}): string {
  let text = ''
  for (const token of shownTokens(html)) {
    if (token.type === 'text') text += options.markdown ? stripMarkdown(token.text) : token.text
    else if (BLOCK.has(token.name)) text += ' '
  }
  return collapseWhitespace(text)
}

// Each pattern reaches a bounded distance from where it starts (one line, a few hundred characters), so a
// body of nothing but openers (`[[[[`, `![![`) is stripped in linear time; a link longer than that, or with
// brackets in its text or parentheses in its URL, keeps its marks.
function stripMarkdown(text: string): string {
  return text
    .replace(/!\[[^[\]\n]{0,300}\]\([^()[\]\s]{0,2000}(?:\s+"[^"\n]{0,300}")?\)/g, '')
    .replace(/\[([^[\]\n]{1,300})\]\([^()[\]\s]{0,2000}(?:\s+"[^"\n]{0,300}")?\)/g, '$1')
    .replace(/^[ \t]{0,3}(?:#{1,6}[ \t]+|>[ \t]?|[-*+][ \t]+|\d{1,9}\.[ \t]+)/gm, '')
    .replace(/(\*\*|__|~~|`)(?=\S)([^\n]{0,2000}?\S)\1/g, '$2')
}
