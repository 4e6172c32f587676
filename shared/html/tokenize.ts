import { decodeEntities } from './entities.ts'

/** One token of an HTML fragment. Text and attribute values are decoded; comments and doctypes are dropped. */
export type HtmlToken =
  | { readonly type: 'text'; readonly text: string }
  | {
      readonly type: 'open'
      readonly name: string
      readonly attributes: ReadonlyMap<string, string>
      /** `/>`: honoured by browsers only for void and foreign (`svg`, `math`) elements. */
      readonly selfClosing: boolean
    }
  | { readonly type: 'close'; readonly name: string }

/** Elements whose content is raw text up to their end tag, as an HTML parser reads them (scripting on). */
const RAW_TEXT = new Set(['script', 'style', 'xmp', 'iframe', 'noembed', 'noframes', 'noscript', 'textarea', 'title'])

// HTML's white space is these five characters, not JavaScript's \s (a no-break space is part of a name).
const TAG_NAME = /[A-Za-z][^\t\n\f\r />]*/y
const ATTRIBUTE_NAME = /[\t\n\f\r /]*([^\t\n\f\r />][^\t\n\f\r />=]*)/y
const ATTRIBUTE_VALUE = /[\t\n\f\r ]*=[\t\n\f\r ]*(?:"([^"]*)("?)|'([^']*)('?)|([^\t\n\f\r >]*))/y
const TAG_END = /[\t\n\f\r /]*?(\/?)>/y
const COMMENT_END = /--!?>/g

/**
 * Splits an HTML fragment into tokens as HTML's tokenizer does: tags with quoted or bare attributes (a name
 * may start with `=`), comments ending at `-->` or `--!>` (or `<!-->` at once), bogus comments (`<!x>`,
 * `<?x>`, `</ x>`), raw-text elements such as `script`, an unfinished tag at the end dropped. It does no tree
 * building (the sanitiser does what it needs of that); every step finds its end with one forward search,
 * so the time is linear in the input.
 */
export function* tokenizeHtml(html: string): Generator<HtmlToken> {
  let i = 0
  let textStart = 0
  const n = html.length
  const text = (end: number): HtmlToken => ({ type: 'text', text: decodeEntities(html.slice(textStart, end)) })
  while (i < n) {
    const lt = html.indexOf('<', i)
    if (lt === -1) break
    const next = html.charCodeAt(lt + 1)
    let skipTo = -1
    if (html.startsWith('<!--', lt)) {
      skipTo = commentEnd(html, lt + 4)
    } else if (next === 0x21 || next === 0x3f) {
      // `<!doctype …>`, `<![CDATA[…]]>` and `<?…>` are bogus comments in HTML content: hidden up to the next `>`.
      const close = html.indexOf('>', lt + 2)
      skipTo = close === -1 ? n : close + 1
    } else if (next === 0x2f && !isLetter(html.charCodeAt(lt + 2))) {
      // `</>` is dropped; `</` and anything but a letter starts a bogus comment.
      if (html.charCodeAt(lt + 2) === 0x3e) skipTo = lt + 3
      else if (lt + 2 < n) {
        const close = html.indexOf('>', lt + 2)
        skipTo = close === -1 ? n : close + 1
      }
    } else if (isLetter(next) || next === 0x2f) {
      // A start tag, or an end tag (`</` and a letter): one way to read both.
      const closing = next === 0x2f
      const tag = readTag(html, closing ? lt + 2 : lt + 1)
      if (lt > textStart) yield text(lt)
      if (!tag) {
        // An unterminated tag at the end is not markup; what follows is dropped as a browser would.
        i = n
        textStart = n
        break
      }
      i = tag.end
      textStart = i
      if (closing) {
        yield { type: 'close', name: tag.name }
        continue
      }
      yield { type: 'open', name: tag.name, attributes: tag.attributes, selfClosing: tag.selfClosing }
      if (RAW_TEXT.has(tag.name)) {
        const closeAt = findRawTextEnd(html, i, tag.name)
        if (closeAt > i) yield { type: 'text', text: html.slice(i, closeAt) }
        const end = closeAt < n ? readTag(html, closeAt + 2) : undefined
        i = end ? end.end : n
        if (end) yield { type: 'close', name: tag.name }
        textStart = i
      }
      continue
    }
    if (skipTo === -1) {
      i = lt + 1
      continue
    }
    if (lt > textStart) yield text(lt)
    i = skipTo
    textStart = i
  }
  if (n > textStart) yield text(n)
}

/** Where a comment whose text starts at `from` ends (after its `-->`, `--!>`, or `>`/`->` right at the start). */
function commentEnd(html: string, from: number): number {
  if (html.startsWith('>', from)) return from + 1
  if (html.startsWith('->', from)) return from + 2
  COMMENT_END.lastIndex = from
  const match = COMMENT_END.exec(html)
  return match ? match.index + match[0].length : html.length
}

interface Tag {
  readonly name: string
  readonly attributes: Map<string, string>
  readonly selfClosing: boolean
  readonly end: number
}

/** Reads a tag whose name starts at `at` (after `<` or `</`); undefined when the input ends inside it. */
function readTag(html: string, at: number): Tag | undefined {
  TAG_NAME.lastIndex = at
  const nameMatch = TAG_NAME.exec(html)
  if (!nameMatch) return undefined
  const name = nameMatch[0].toLowerCase()
  const attributes = new Map<string, string>()
  let position = TAG_NAME.lastIndex
  for (;;) {
    TAG_END.lastIndex = position
    const end = TAG_END.exec(html)
    if (end) return { name, attributes, selfClosing: end[1] === '/', end: TAG_END.lastIndex }
    ATTRIBUTE_NAME.lastIndex = position
    const attribute = ATTRIBUTE_NAME.exec(html)
    if (!attribute) return undefined
    position = ATTRIBUTE_NAME.lastIndex
    let value = ''
    ATTRIBUTE_VALUE.lastIndex = position
    const valueMatch = ATTRIBUTE_VALUE.exec(html)
    if (valueMatch) {
      // A quote left open runs to the end of the input: the tag never ends.
      if (valueMatch[1] !== undefined && valueMatch[2] === '') return undefined
      if (valueMatch[3] !== undefined && valueMatch[4] === '') return undefined
      value = valueMatch[1] ?? valueMatch[3] ?? valueMatch[5] ?? ''
      position = ATTRIBUTE_VALUE.lastIndex
    }
    const key = (attribute[1] ?? '').toLowerCase()
    // The first of duplicated attributes wins, as in browsers.
    if (!attributes.has(key)) attributes.set(key, decodeEntities(value))
  }
}

// ASCII case-insensitive, as HTML compares tag names (a regex's `i` would let `ſ` match `s`).
const asciiCaseless = (name: string) => [...name].map((c) => `[${c}${c.toUpperCase()}]`).join('')
const RAW_TEXT_END = new Map(
  [...RAW_TEXT].map((name) => [name, new RegExp(`</${asciiCaseless(name)}(?=[\\t\\n\\f\\r />])`, 'g')]),
)

/** Where the end tag of a raw-text element opened before `from` starts; the input's length when there is none. */
function findRawTextEnd(html: string, from: number, name: string): number {
  const pattern = RAW_TEXT_END.get(name) as RegExp
  pattern.lastIndex = from
  return pattern.exec(html)?.index ?? html.length
}

function isLetter(code: number): boolean {
  return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a)
}
