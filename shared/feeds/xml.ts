import { cleanText } from '../domain/text.ts'

// Escaping `>` too means the sequence `]]>` can never appear in what we write, CDATA or not.
const XML_TEXT: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' }
// In attributes, white space other than a space would be normalised away by the parser: keep it as references.
const XML_ATTRIBUTE: Record<string, string> = {
  ...XML_TEXT,
  '"': '&quot;',
  "'": '&apos;',
  '\t': '&#9;',
  '\n': '&#10;',
  '\r': '&#13;',
}

/**
 * Escapes a string for XML character data, dropping the characters XML 1.0 forbids first.
 * @example escapeXmlText('a < b & ]]>') // 'a &lt; b &amp; ]]&gt;'
 */
export function escapeXmlText(value: string): string {
  return cleanText(value).replace(/[&<>]/g, (c) => XML_TEXT[c] ?? c)
}

/**
 * Escapes a string for a double- or single-quoted XML attribute value.
 * @example escapeXmlAttribute('a "b" & c') // 'a &quot;b&quot; &amp; c'
 */
export function escapeXmlAttribute(value: string): string {
  return cleanText(value).replace(/[&<>"'\t\n\r]/g, (c) => XML_ATTRIBUTE[c] ?? c)
}

/**
 * Escapes plain text so that, read as HTML, it shows exactly that text (for `type="html"` constructs).
 * @example escapeHtmlText('<b>x</b> & y') // '&lt;b&gt;x&lt;/b&gt; &amp; y'
 */
export function escapeHtmlText(value: string): string {
  return value.replace(/[&<>]/g, (c) => XML_TEXT[c] ?? c)
}

/**
 * One XML element with escaped text content and attributes; attributes whose value is undefined are left out.
 * @example element('category', 'x', { domain: 'https://a/?b&c' }) // '<category domain="https://a/?b&amp;c">x</category>'
 */
export function element(name: string, text: string, attributes: Record<string, string | undefined> = {}): string {
  return `<${name}${attributeList(attributes)}>${escapeXmlText(text)}</${name}>`
}

/**
 * An empty XML element with escaped attributes.
 * @example emptyElement('link', { rel: 'self', href: 'https://a/feed' }) // '<link rel="self" href="https://a/feed"/>'
 */
export function emptyElement(name: string, attributes: Record<string, string | undefined>): string {
  return `<${name}${attributeList(attributes)}/>`
}

function attributeList(attributes: Record<string, string | undefined>): string {
  let out = ''
  for (const [key, value] of Object.entries(attributes)) {
    if (value !== undefined) out += ` ${key}="${escapeXmlAttribute(value)}"`
  }
  return out
}
