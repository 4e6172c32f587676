import { cleanText } from '../domain/text.ts'
import { escapeAttribute, escapeText } from '../html/entities.ts'
import { type HtmlToken, tokenizeHtml } from '../html/tokenize.ts'

// The one allow-list of the project: every page and feed shows only what passes here.
const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  p: [],
  br: [],
  hr: [],
  div: [],
  span: [],
  strong: [],
  b: [],
  em: [],
  i: [],
  u: [],
  s: [],
  del: [],
  ins: [],
  sub: [],
  sup: [],
  small: [],
  mark: [],
  blockquote: [],
  q: [],
  cite: [],
  ul: [],
  ol: ['start'],
  li: [],
  dl: [],
  dt: [],
  dd: [],
  h2: [],
  h3: [],
  h4: [],
  h5: [],
  h6: [],
  a: ['href', 'title'],
  img: ['src', 'alt', 'title', 'width', 'height'],
  figure: [],
  figcaption: [],
  table: [],
  caption: [],
  thead: [],
  tbody: [],
  tfoot: [],
  tr: [],
  th: ['colspan', 'rowspan'],
  td: ['colspan', 'rowspan'],
  pre: [],
  code: [],
  abbr: ['title'],
}
/** Tags renamed on the way through. */
const RENAMED: Readonly<Record<string, string>> = { h1: 'h2', strike: 's' }
const VOID = new Set([
  'br',
  'hr',
  'img',
  'wbr',
  'input',
  'meta',
  'link',
  'area',
  'base',
  'col',
  'embed',
  'source',
  'track',
  'param',
])
/** Elements dropped together with everything inside them. */
const DROPPED_WITH_CONTENT = new Set([
  'script',
  'style',
  'textarea',
  'select',
  'option',
  'noscript',
  'iframe',
  'frame',
  'frameset',
  'object',
  'embed',
  'template',
  'svg',
  'math',
  'title',
  'head',
  'noembed',
  'noframes',
  'xmp',
  'plaintext',
  'button',
  'form',
  'canvas',
  'audio',
  'video',
  'applet',
  'dialog',
  'map',
])
const NUMERIC = new Set(['width', 'height', 'colspan', 'rowspan', 'start'])
const HIDDEN_STYLE =
  /(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*hidden|(?:max-)?height\s*:\s*0(?:px)?\s*(?:!important)?\s*(?:;|$)|opacity\s*:\s*0\s*(?:;|$))/i
const MAX_DEPTH = 64

/** Options of one sanitising pass. */
export interface SanitiseOptions {
  /** Base for relative and protocol-relative `href`/`src`: the site's public URL. */
  readonly baseUrl: string
}

/** True for an element an author hid: it is dropped with its content, not shown to readers or crawlers. */
function isHiddenElement(attributes: ReadonlyMap<string, string>): boolean {
  if (attributes.has('hidden') || attributes.get('aria-hidden') === 'true') return true
  const style = attributes.get('style')
  return style !== undefined && HIDDEN_STYLE.test(style)
}

function isDroppedElement(token: HtmlToken & { type: 'open' }): boolean {
  return DROPPED_WITH_CONTENT.has(token.name) || isHiddenElement(token.attributes)
}

/**
 * The tokens of an HTML fragment a reader could see: scripts, embeds, forms and hidden blocks are left out
 * together with everything inside them. The sanitiser and the plain-text extractor both read through it.
 */
export function* shownTokens(html: string): Generator<HtmlToken> {
  let skipping: { name: string; depth: number } | undefined
  for (const token of tokenizeHtml(html)) {
    if (skipping) {
      if (token.type === 'open' && token.name === skipping.name && !token.selfClosing) skipping.depth++
      if (token.type === 'close' && token.name === skipping.name && --skipping.depth === 0) skipping = undefined
    } else if (token.type === 'open' && isDroppedElement(token)) {
      if (!VOID.has(token.name) && !token.selfClosing) skipping = { name: token.name, depth: 1 }
    } else {
      yield token
    }
  }
}

/**
 * Re-serialises untrusted HTML through the allow-list: no script, no event handler, no `style`, no comments,
 * no hidden blocks, only http(s)/mailto links, absolute URLs; text and attributes are escaped (`&`, `<`, `>`),
 * so `]]>` never survives. The output is balanced: every element opened is closed.
 * @example sanitiseHtml('<p onclick="x()">hi</p>', { baseUrl: 'https://example.com' }) // '<p>hi</p>'
 */
export function sanitiseHtml(html: string, options: SanitiseOptions): string {
  const base = new URL(options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`)
  const open: string[] = []
  let out = ''
  for (const token of shownTokens(cleanText(html))) {
    if (token.type === 'text') {
      out += escapeText(token.text)
    } else if (token.type === 'open') {
      const name = RENAMED[token.name] ?? token.name
      const allowed = ALLOWED[name]
      if (!allowed || open.length >= MAX_DEPTH) continue
      const attributes = renderAttributes(name, token.attributes, allowed, base)
      if (attributes === undefined) continue
      out += `<${name}${attributes}>`
      if (!VOID.has(name)) open.push(name)
    } else {
      const name = RENAMED[token.name] ?? token.name
      const at = open.lastIndexOf(name)
      if (at === -1) continue
      while (open.length > at) out += `</${open.pop()}>`
    }
  }
  while (open.length > 0) out += `</${open.pop()}>`
  return out.trim()
}

/** The attribute string of an allowed element, or undefined when the element must go (an `img` without a safe src). */
function renderAttributes(
  name: string,
  attributes: ReadonlyMap<string, string>,
  allowed: readonly string[],
  base: URL,
): string | undefined {
  let out = ''
  for (const key of allowed) {
    const raw = attributes.get(key)
    if (raw === undefined) continue
    let value: string | undefined = raw.trim()
    if (key === 'href' || key === 'src') value = safeUrl(value, base, key === 'href')
    else if (NUMERIC.has(key)) value = /^\d{1,5}$/.test(value) ? value : undefined
    if (value === undefined) continue
    out += ` ${key}="${escapeAttribute(value)}"`
  }
  if (name === 'img' && !out.includes(' src=')) return undefined
  return out
}

/** An absolute http(s) (or, for links, mailto) URL, or undefined for anything else (`javascript:`, `data:` …). */
function safeUrl(value: string, base: URL, allowMailto: boolean): string | undefined {
  // Browsers ignore ASCII whitespace and controls inside a scheme ("java\tscript:"), so they go first.
  const compact = value.replace(/[\u0000-\u0020\u007F]+/g, '')
  if (compact === '') return undefined
  try {
    // Protocol-relative links (`//host/path`) are written for https pages.
    const url = compact.startsWith('//') ? new URL(`https:${compact}`) : new URL(compact, base)
    if (url.protocol === 'http:' || url.protocol === 'https:') return url.href
    if (allowMailto && url.protocol === 'mailto:') return url.href
  } catch {
    return undefined
  }
  return undefined
}
