import { Parser } from 'htmlparser2'
import { collapseWhitespace } from '../domain/text.ts'

const BLOCK = new Set([
  'p',
  'br',
  'div',
  'li',
  'tr',
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
])
const SKIP = new Set(['script', 'style', 'noscript', 'template', 'iframe', 'svg', 'math'])

/** The readable text of an HTML fragment: tags dropped, entities decoded, white space collapsed. */
export function htmlToText(html: string): string {
  let text = ''
  let skipDepth = 0
  const parser = new Parser(
    {
      onopentag(name) {
        if (SKIP.has(name)) skipDepth++
        if (BLOCK.has(name)) text += ' '
      },
      ontext(chunk) {
        if (skipDepth === 0) text += chunk
      },
      onclosetag(name) {
        if (SKIP.has(name)) skipDepth = Math.max(0, skipDepth - 1)
        if (BLOCK.has(name)) text += ' '
      },
    },
    { decodeEntities: true, lowerCaseTags: true },
  )
  parser.write(html)
  parser.end()
  return collapseWhitespace(text)
}
