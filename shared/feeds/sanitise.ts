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
/** Elements dropped together with everything inside them (`frameset`, `frame`, `head` in a body are ignored tags, as browsers ignore them). */
const DROPPED_WITH_CONTENT = new Set([
  'script',
  'style',
  'textarea',
  'select',
  'option',
  'noscript',
  'iframe',
  'object',
  'embed',
  'template',
  'svg',
  'math',
  'title',
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
// Below the depth at which browsers stop nesting (Chromium: 512); deeper tags are dropped, their text kept.
const MAX_DEPTH = 64
/** Foreign elements: their `/>` closes them, and HTML's own tags inside them break out (HTML, "in foreign content"). */
const FOREIGN = new Set(['svg', 'math'])
const BREAKS_OUT_OF_FOREIGN = new Set(
  'b big blockquote body br center code dd div dl dt em embed h1 h2 h3 h4 h5 h6 head hr i img li listing menu meta nobr ol p pre ruby s small span strong strike sub sup table tt u ul var'.split(
    ' ',
  ),
)

/** Options of one sanitising pass. */
export interface SanitiseOptions {
  /** Base for relative and protocol-relative `href`/`src`: the site's public URL. */
  readonly baseUrl: string
  /**
   * Rewrites a link's absolute URL once it is known safe (legacy share links, say); returning undefined drops
   * the `href`. The result is checked again, so it cannot bring back a `javascript:` link.
   */
  readonly rewriteHref?: (url: URL) => string | undefined
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
 * together with everything inside them. `<svg/>` closes itself, and an HTML tag such as `<p>` inside `svg` or
 * `math` ends it, as in a browser. The sanitiser and the plain-text extractor both read through it.
 */
export function* shownTokens(html: string): Generator<HtmlToken> {
  let skipping: { name: string; depth: number } | undefined
  for (const token of tokenizeHtml(html)) {
    if (skipping) {
      if (token.type === 'open' && FOREIGN.has(skipping.name) && breaksOutOfForeign(token)) skipping = undefined
      else {
        if (token.type === 'open' && token.name === skipping.name && !closesItself(token)) skipping.depth++
        if (token.type === 'close' && token.name === skipping.name && --skipping.depth === 0) skipping = undefined
        continue
      }
    }
    if (token.type === 'open' && isDroppedElement(token)) {
      if (!closesItself(token)) skipping = { name: token.name, depth: 1 }
    } else {
      yield token
    }
  }
}

function closesItself(token: HtmlToken & { type: 'open' }): boolean {
  return VOID.has(token.name) || (token.selfClosing && FOREIGN.has(token.name))
}

function breaksOutOfForeign(token: HtmlToken & { type: 'open' }): boolean {
  if (BREAKS_OUT_OF_FOREIGN.has(token.name)) return true
  const a = token.attributes
  return token.name === 'font' && (a.has('color') || a.has('face') || a.has('size'))
}

// Tree construction for the elements the allow-list lets through, after HTML's "in body" and table rules, so
// that what we write is parsed back by a browser into exactly the tree we meant: no body can close or reopen
// anything outside itself, nor move content out of a table (tests check it against parse5, the spec's parser).
/** Elements that close an open `p` (HTML: "close a p element" before inserting them). */
const CLOSES_P = new Set('p div blockquote ul ol dl li dt dd h2 h3 h4 h5 h6 figure figcaption pre table hr'.split(' '))
/** HTML's "special" elements among ours: the walk of a `li`/`dt`/`dd` start tag stops at them (not at div, p). */
const SPECIAL = new Set(
  'blockquote dd dl dt figcaption figure h2 h3 h4 h5 h6 li ol pre table tbody td tfoot th thead tr ul caption'.split(
    ' ',
  ),
)
/** Scope boundaries among ours (HTML's default scope; button scope adds nothing we emit). */
const SCOPE = new Set(['table', 'td', 'th', 'caption'])
const CR = /\r\n?/g
const HEADINGS = new Set(['h2', 'h3', 'h4', 'h5', 'h6'])
const TABLE_PARTS = new Set(['caption', 'thead', 'tbody', 'tfoot', 'tr', 'td', 'th'])
const SECTIONS = new Set(['thead', 'tbody', 'tfoot'])
/** Where content may go inside a table: anything else in table, section or row would be moved out by a browser. */
const TABLE_CONTEXT = new Set(['table', 'thead', 'tbody', 'tfoot', 'tr', 'td', 'th', 'caption'])

/** The open elements of the output, with the rules that keep them a tree a browser reads back unchanged. */
class OutputTree {
  readonly open: string[] = []
  out = ''
  /** True right after `<pre>`: a browser drops a newline there, so one is doubled. */
  private atPreStart = false

  text(text: string): void {
    const current = this.open.at(-1)
    if (current === 'table' || current === 'tr' || (current !== undefined && SECTIONS.has(current))) return
    if (text === '') return
    // A browser reads CR and CR LF as LF before parsing: written as LF, the text parses back unchanged.
    const escaped = escapeText(text.replace(CR, '\n'))
    this.out += this.atPreStart && escaped.startsWith('\n') ? `\n${escaped}` : escaped
    this.atPreStart = false
  }

  /** Opens `name` (with its rendered attributes) where HTML would put it, or drops the tag. */
  start(name: string, attributes: string): void {
    if (this.open.length >= MAX_DEPTH) return
    const context = this.tableContext()
    if (context === 'table' || context === 'tr' || SECTIONS.has(context)) {
      this.startInTable(name, attributes, context)
      return
    }
    if (TABLE_PARTS.has(name)) {
      // In a cell or caption, table parts end it and go to the table; anywhere else browsers ignore them.
      if (context === 'td' || context === 'th' || context === 'caption') {
        this.closeTo(context)
        this.start(name, attributes)
      }
      return
    }
    this.startInBody(name, attributes)
  }

  /** Closes the nearest open `name` and everything opened inside it; an end tag with nothing to close is ignored. */
  end(name: string): void {
    const at = this.open.lastIndexOf(name)
    if (at === -1) return
    // An end tag does not reach past a table cell or caption into the table around it (table parts do).
    if (!TABLE_CONTEXT.has(name))
      for (let i = at + 1; i < this.open.length; i++) if (SCOPE.has(this.open[i] as string)) return
    this.closeTo(name)
  }

  finish(): string {
    while (this.open.length > 0) this.pop()
    return this.out
  }

  private startInBody(name: string, attributes: string): void {
    if (name === 'li') this.closeListItem(['li'])
    else if (name === 'dt' || name === 'dd') this.closeListItem(['dt', 'dd'])
    if (CLOSES_P.has(name)) this.closeInScope('p')
    if (HEADINGS.has(name) && HEADINGS.has(this.open.at(-1) ?? '')) this.pop()
    if (name === 'a') {
      // A link inside a link: browsers end the first one (outside a cell or caption, which start afresh).
      const a = this.open.lastIndexOf('a')
      if (a !== -1 && !this.open.slice(a).some((e) => SCOPE.has(e))) this.closeTo('a')
    }
    this.push(name, attributes)
  }

  private startInTable(name: string, attributes: string, context: string): void {
    if (context === 'table') {
      if (name === 'caption' || SECTIONS.has(name)) this.push(name, attributes)
      else if (name === 'tr' || name === 'td' || name === 'th') {
        this.push('tbody', '')
        this.start(name, attributes)
      } else if (name === 'table') {
        this.closeTo('table')
        this.start(name, attributes)
      }
    } else if (SECTIONS.has(context)) {
      if (name === 'tr') this.push(name, attributes)
      else if (name === 'td' || name === 'th') {
        this.push('tr', '')
        this.start(name, attributes)
      } else if (name === 'caption' || SECTIONS.has(name) || name === 'table') {
        this.closeTo(context)
        this.start(name, attributes)
      }
    } else if (name === 'td' || name === 'th') this.push(name, attributes)
    else if (name === 'tr' || name === 'caption' || SECTIONS.has(name) || name === 'table') {
      this.closeTo('tr')
      this.start(name, attributes)
    }
    // Anything else would be moved before the table by a browser: the tag is dropped (its text too, see text()).
  }

  /** The innermost table element or cell we are in, or '' in body. */
  private tableContext(): string {
    for (let i = this.open.length - 1; i >= 0; i--) {
      const name = this.open[i] as string
      if (TABLE_CONTEXT.has(name)) return name
    }
    return ''
  }

  private closeListItem(names: readonly string[]): void {
    for (let i = this.open.length - 1; i >= 0; i--) {
      const name = this.open[i] as string
      if (names.includes(name)) {
        this.closeTo(name)
        return
      }
      if (SPECIAL.has(name)) return
    }
  }

  private closeInScope(name: string): void {
    for (let i = this.open.length - 1; i >= 0; i--) {
      const open = this.open[i] as string
      if (open === name) {
        this.closeTo(name)
        return
      }
      if (SCOPE.has(open)) return
    }
  }

  private closeTo(name: string): void {
    const at = this.open.lastIndexOf(name)
    while (this.open.length > at && at !== -1) this.pop()
  }

  private push(name: string, attributes: string): void {
    this.out += `<${name}${attributes}>`
    this.atPreStart = name === 'pre'
    if (!VOID.has(name)) this.open.push(name)
  }

  private pop(): void {
    this.out += `</${this.open.pop()}>`
    this.atPreStart = false
  }
}

/**
 * Re-serialises untrusted HTML through the allow-list: no script, no event handler, no `style`, no comments,
 * no hidden blocks, only http(s)/mailto links, absolute URLs; text and attributes are escaped (`&`, `<`, `>`),
 * so `]]>` never survives. The output is a tree HTML's parser reads back as written: every element opened is
 * closed, in order, only where HTML allows it to be (lists, tables, links, paragraphs).
 * @example sanitiseHtml('<p onclick="x()">hi</p>', { baseUrl: 'https://example.com' }) // '<p>hi</p>'
 */
export function sanitiseHtml(html: string, options: SanitiseOptions): string {
  const base = new URL(options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`)
  const tree = new OutputTree()
  for (const token of shownTokens(cleanText(html))) {
    if (token.type === 'text') {
      tree.text(token.text)
    } else if (token.type === 'open') {
      const name = RENAMED[token.name] ?? token.name
      const allowed = ALLOWED[name]
      if (!allowed) continue
      const attributes = renderAttributes(name, token.attributes, allowed, base, options.rewriteHref)
      if (attributes !== undefined) tree.start(name, attributes)
    } else {
      tree.end(RENAMED[token.name] ?? token.name)
    }
  }
  return tree.finish().trim()
}

/** The attribute string of an allowed element, or undefined when the element must go (an `img` without a safe src). */
function renderAttributes(
  name: string,
  attributes: ReadonlyMap<string, string>,
  allowed: readonly string[],
  base: URL,
  rewriteHref: SanitiseOptions['rewriteHref'],
): string | undefined {
  let out = ''
  for (const key of allowed) {
    const raw = attributes.get(key)
    if (raw === undefined) continue
    let value: string | undefined = raw.trim()
    if (key === 'href') value = rewritten(safeUrl(value, base, true), base, rewriteHref)
    else if (key === 'src') value = safeUrl(value, base, false)
    else if (NUMERIC.has(key)) value = /^\d{1,5}$/.test(value) ? value : undefined
    if (value === undefined) continue
    out += ` ${key}="${escapeAttribute(value.replace(CR, '\n'))}"`
  }
  if (name === 'img' && !out.includes(' src=')) return undefined
  return out
}

/** A safe link URL after the caller's rewrite, checked again. */
function rewritten(href: string | undefined, base: URL, rewrite: SanitiseOptions['rewriteHref']): string | undefined {
  if (href === undefined || !rewrite) return href
  const next = rewrite(new URL(href))
  return next === undefined ? undefined : safeUrl(next, base, true)
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
