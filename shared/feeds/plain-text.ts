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

function stripMarkdown(text: string): string {
  return text
    .replace(/!\[[^\]]*\]\([^)]*\)/g, '')
    .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
    .replace(/^\s{0,3}(?:#{1,6}\s+|>\s?|[-*+]\s+|\d+\.\s+)/gm, '')
    .replace(/(\*\*|__|~~|`)(?=\S)([\s\S]*?\S)\1/g, '$2')
}
