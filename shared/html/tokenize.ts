import { decodeEntities } from './entities.ts'

/** One token of an HTML fragment. Text and attribute values are decoded; comments and doctypes are dropped. */
export type HtmlToken =
  | { readonly type: 'text'; readonly text: string }
  | {
      readonly type: 'open'
      readonly name: string
      readonly attributes: ReadonlyMap<string, string>
      readonly selfClosing: boolean
    }
  | { readonly type: 'close'; readonly name: string }

/** Elements whose content is raw text up to their end tag, as an HTML parser reads them. */
const RAW_TEXT = new Set(['script', 'style', 'xmp', 'iframe', 'noembed', 'noframes', 'noscript', 'textarea', 'title'])

const TAG_NAME = /[A-Za-z][^\s/>]*/y
const ATTRIBUTE = /[\s/]*([^\s/>=][^\s/>=]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]*)))?/y
const TAG_END = /[\s/]*(\/?)>/y

/**
 * Splits an HTML fragment into tokens, the way a browser's tokenizer would for the cases that matter to a
 * sanitiser: tags with quoted or bare attributes, comments, raw-text elements such as `script`. It does no
 * tree building; a sanitiser re-serialises from these tokens, so a token misread can garble text but never
 * let markup through unescaped.
 */
export function* tokenizeHtml(html: string): Generator<HtmlToken> {
  let i = 0
  let textStart = 0
  let lower: string | undefined
  const n = html.length
  function* flushText(end: number): Generator<HtmlToken> {
    if (end > textStart) yield { type: 'text', text: decodeEntities(html.slice(textStart, end)) }
  }
  while (i < n) {
    const lt = html.indexOf('<', i)
    if (lt === -1) break
    const next = html.charCodeAt(lt + 1)
    if (html.startsWith('<!--', lt)) {
      yield* flushText(lt)
      const close = html.startsWith('>', lt + 4)
        ? lt + 4
        : html.startsWith('->', lt + 4)
          ? lt + 5
          : html.indexOf('-->', lt + 4)
      i = close === -1 ? n : close + (html.startsWith('-->', close) ? 3 : 1)
      textStart = i
    } else if (html[lt + 1] === '!' || html[lt + 1] === '?') {
      yield* flushText(lt)
      const close = html.indexOf('>', lt + 2)
      i = close === -1 ? n : close + 1
      textStart = i
    } else if (html[lt + 1] === '/' && isLetter(html.charCodeAt(lt + 2))) {
      yield* flushText(lt)
      TAG_NAME.lastIndex = lt + 2
      const name = (TAG_NAME.exec(html)?.[0] ?? '').toLowerCase()
      const close = html.indexOf('>', lt + 2)
      i = close === -1 ? n : close + 1
      textStart = i
      yield { type: 'close', name }
    } else if (isLetter(next)) {
      const tag = readTag(html, lt)
      if (!tag) {
        // An unterminated tag at the end is not markup; what follows is dropped as a browser would.
        yield* flushText(lt)
        i = n
        textStart = n
        break
      }
      yield* flushText(lt)
      yield tag.token
      i = tag.end
      textStart = i
      if (RAW_TEXT.has(tag.token.name) && !tag.token.selfClosing) {
        lower ??= html.toLowerCase()
        const closeAt = findRawTextEnd(lower, i, tag.token.name)
        if (closeAt > i) yield { type: 'text', text: html.slice(i, closeAt) }
        if (closeAt < n) {
          const end = html.indexOf('>', closeAt)
          i = end === -1 ? n : end + 1
          yield { type: 'close', name: tag.token.name }
        } else i = n
        textStart = i
      }
    } else {
      i = lt + 1
    }
  }
  yield* flushText(n)
}

function readTag(html: string, start: number): { token: HtmlToken & { type: 'open' }; end: number } | undefined {
  TAG_NAME.lastIndex = start + 1
  const nameMatch = TAG_NAME.exec(html)
  if (!nameMatch) return undefined
  const name = nameMatch[0].toLowerCase()
  const attributes = new Map<string, string>()
  let at = TAG_NAME.lastIndex
  for (;;) {
    TAG_END.lastIndex = at
    const end = TAG_END.exec(html)
    if (end) {
      return { token: { type: 'open', name, attributes, selfClosing: end[1] === '/' }, end: TAG_END.lastIndex }
    }
    ATTRIBUTE.lastIndex = at
    const attribute = ATTRIBUTE.exec(html)
    if (!attribute || ATTRIBUTE.lastIndex === at) return undefined
    at = ATTRIBUTE.lastIndex
    const key = (attribute[1] ?? '').toLowerCase()
    // The first of duplicated attributes wins, as in browsers.
    if (!attributes.has(key)) attributes.set(key, decodeEntities(attribute[2] ?? attribute[3] ?? attribute[4] ?? ''))
  }
}

function findRawTextEnd(lower: string, from: number, name: string): number {
  let at = from
  for (;;) {
    const found = lower.indexOf(`</${name}`, at)
    if (found === -1) return lower.length
    const after = lower.charCodeAt(found + 2 + name.length)
    if (Number.isNaN(after) || after === 0x3e || after === 0x2f || after <= 0x20) return found
    at = found + 1
  }
}

function isLetter(code: number): boolean {
  return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a)
}
