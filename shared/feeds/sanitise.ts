import sanitizeHtml from 'sanitize-html'
import { cleanText } from '../domain/text.ts'

// The one allow-list of the project: every page and feed shows only what passes here.
const ALLOWED_TAGS = [
  'p',
  'br',
  'hr',
  'strong',
  'b',
  'em',
  'i',
  'u',
  's',
  'del',
  'ins',
  'sub',
  'sup',
  'small',
  'mark',
  'blockquote',
  'q',
  'cite',
  'ul',
  'ol',
  'li',
  'dl',
  'dt',
  'dd',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'a',
  'img',
  'figure',
  'figcaption',
  'table',
  'caption',
  'thead',
  'tbody',
  'tfoot',
  'tr',
  'th',
  'td',
  'pre',
  'code',
  'abbr',
  'time',
]

// Elements dropped with everything inside them, not just their tags.
const DROPPED_WITH_CONTENT = [
  'script',
  'style',
  'textarea',
  'option',
  'select',
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
  'input',
  'canvas',
  'audio',
  'video',
  'applet',
  'base',
  'link',
  'meta',
]

const HIDDEN = 'finews-hidden'
const HIDDEN_STYLE =
  /(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*hidden|(?:max-)?height\s*:\s*0(?:px)?\s*(?:;|$))/i

/** Options of one sanitising pass. */
export interface SanitiseOptions {
  /** Base for relative and protocol-relative `href`/`src`: the site's public URL. */
  readonly baseUrl: string
}

/**
 * Re-serialises untrusted HTML through the allow-list: no script, no event handler, no `style`,
 * no comments, no hidden blocks, only http(s)/mailto links, absolute URLs, `&` and `>` escaped.
 * @example sanitiseHtml('<p onclick="x()">hi</p>', { baseUrl: 'https://example.com' }) // '<p>hi</p>'
 */
export function sanitiseHtml(html: string, options: SanitiseOptions): string {
  const base = new URL(options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`)
  const out = sanitizeHtml(cleanText(html), {
    allowedTags: ALLOWED_TAGS,
    allowedAttributes: {
      a: ['href', 'title'],
      img: ['src', 'alt', 'title', 'width', 'height'],
      td: ['colspan', 'rowspan'],
      th: ['colspan', 'rowspan', 'scope'],
      abbr: ['title'],
      time: ['datetime'],
      ol: ['start'],
    },
    allowedSchemes: ['http', 'https', 'mailto'],
    allowedSchemesByTag: { img: ['http', 'https'] },
    allowProtocolRelative: true,
    allowedSchemesAppliedToAttributes: ['href', 'src'],
    disallowedTagsMode: 'discard',
    nonTextTags: [...DROPPED_WITH_CONTENT, HIDDEN],
    parser: { lowerCaseTags: true, lowerCaseAttributeNames: true },
    transformTags: {
      '*': (tagName, attribs) => {
        if (isHidden(attribs)) return { tagName: HIDDEN, attribs: {} }
        return { tagName: tagName === 'h1' ? 'h2' : tagName, attribs: absolutise(tagName, attribs, base) }
      },
    },
    exclusiveFilter: (frame) => (frame.tag === 'a' && !frame.attribs.href && !frame.text.trim() ? 'excludeTag' : false),
  })
  // sanitize-html escapes `<`, `>` and `&` in text and attributes, so `]]>` cannot survive; the
  // replace below only guards that invariant should the library ever change.
  return out.replaceAll(']]>', ']]&gt;').trim()
}

function isHidden(attribs: Record<string, string>): boolean {
  if ('hidden' in attribs) return true
  if (attribs['aria-hidden'] === 'true') return true
  const style = attribs.style
  return style !== undefined && HIDDEN_STYLE.test(style)
}

function absolutise(tagName: string, attribs: Record<string, string>, base: URL): Record<string, string> {
  const key = tagName === 'a' ? 'href' : tagName === 'img' ? 'src' : undefined
  if (!key || attribs[key] === undefined) return attribs
  const raw = attribs[key].trim()
  if (/^[a-z][a-z0-9+.-]*:/i.test(raw) && !/^https?:|^mailto:/i.test(raw)) {
    const { [key]: _dropped, ...rest } = attribs
    return rest
  }
  try {
    // Protocol-relative links (`//host/path`) are written for https pages.
    const resolved = raw.startsWith('//') ? new URL(`https:${raw}`) : new URL(raw, base)
    return { ...attribs, [key]: resolved.href }
  } catch {
    const { [key]: _dropped, ...rest } = attribs
    return rest
  }
}
