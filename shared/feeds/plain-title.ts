import { cleanText, collapseWhitespace } from '../domain/text.ts'

const TAG = /<!--[\s\S]*?-->|<\/?[A-Za-z][^<>]*>/g
const REFERENCE = /&(#\d{1,7}|#x[0-9a-f]{1,6}|[a-z][a-z0-9]{1,31});/gi
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' }

/**
 * A title as RSS wants it: plain text with no markup and no entity reference, since RSS readers and the
 * W3C validator cannot tell a literal `<b>` from markup. Tags are dropped, references decoded (a few
 * rounds, for double-escaped input); whatever still looks like either goes to its full-width form.
 * @example plainTitle('<b>邮储银行</b> &amp; 小微') // '邮储银行 & 小微'
 */
export function plainTitle(title: string): string {
  let text = cleanText(title)
  for (let round = 0; round < 3; round++) {
    const next = decodeReferences(text.replace(TAG, ''))
    if (next === text) break
    text = next
  }
  text = collapseWhitespace(
    cleanText(text)
      .replace(/<(?=[A-Za-z/!?])/g, '＜')
      .replace(REFERENCE, (match) => `＆${match.slice(1)}`),
  )
  return text || collapseWhitespace(cleanText(title).replace(/[<>&]/g, (c) => FULL_WIDTH[c] ?? c))
}

const FULL_WIDTH: Record<string, string> = { '<': '＜', '>': '＞', '&': '＆' }

function decodeReferences(text: string): string {
  return text.replace(REFERENCE, (match, ref: string) => {
    if (ref.startsWith('#')) {
      const code = ref[1] === 'x' || ref[1] === 'X' ? Number.parseInt(ref.slice(2), 16) : Number(ref.slice(1))
      return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : ''
    }
    return NAMED[ref.toLowerCase()] ?? match
  })
}
