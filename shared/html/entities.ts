// HTML 4 named character references (the set news HTML uses) plus `apos`. The full HTML5 table is
// about 2,200 names and 30 KB minified; an unknown name is left as written and shows as text.
const LATIN1 =
  'nbsp iexcl cent pound curren yen brvbar sect uml copy ordf laquo not shy reg macr deg plusmn sup2 sup3 acute micro para middot cedil sup1 ordm raquo frac14 frac12 frac34 iquest Agrave Aacute Acirc Atilde Auml Aring AElig Ccedil Egrave Eacute Ecirc Euml Igrave Iacute Icirc Iuml ETH Ntilde Ograve Oacute Ocirc Otilde Ouml times Oslash Ugrave Uacute Ucirc Uuml Yacute THORN szlig agrave aacute acirc atilde auml aring aelig ccedil egrave eacute ecirc euml igrave iacute icirc iuml eth ntilde ograve oacute ocirc otilde ouml divide oslash ugrave uacute ucirc uuml yacute thorn yuml'
const GREEK_UPPER =
  'Alpha Beta Gamma Delta Epsilon Zeta Eta Theta Iota Kappa Lambda Mu Nu Xi Omicron Pi Rho _ Sigma Tau Upsilon Phi Chi Psi Omega'
const GREEK_LOWER =
  'alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho sigmaf sigma tau upsilon phi chi psi omega'
const OTHERS =
  'quot 34 amp 38 apos 39 lt 60 gt 62 OElig 338 oelig 339 Scaron 352 scaron 353 Yuml 376 fnof 402 circ 710 tilde 732 thetasym 977 upsih 978 piv 982 ensp 8194 emsp 8195 thinsp 8201 zwnj 8204 zwj 8205 lrm 8206 rlm 8207 ndash 8211 mdash 8212 lsquo 8216 rsquo 8217 sbquo 8218 ldquo 8220 rdquo 8221 bdquo 8222 dagger 8224 Dagger 8225 bull 8226 hellip 8230 permil 8240 prime 8242 Prime 8243 lsaquo 8249 rsaquo 8250 oline 8254 frasl 8260 euro 8364 image 8465 weierp 8472 real 8476 trade 8482 alefsym 8501 larr 8592 uarr 8593 rarr 8594 darr 8595 harr 8596 crarr 8629 lArr 8656 uArr 8657 rArr 8658 dArr 8659 hArr 8660 forall 8704 part 8706 exist 8707 empty 8709 nabla 8711 isin 8712 notin 8713 ni 8715 prod 8719 sum 8721 minus 8722 lowast 8727 radic 8730 prop 8733 infin 8734 ang 8736 and 8743 or 8744 cap 8745 cup 8746 int 8747 there4 8756 sim 8764 cong 8773 asymp 8776 ne 8800 equiv 8801 le 8804 ge 8805 sub 8834 sup 8835 nsub 8836 sube 8838 supe 8839 oplus 8853 otimes 8855 perp 8869 sdot 8901 lceil 8968 rceil 8969 lfloor 8970 rfloor 8971 lang 10216 rang 10217 loz 9674 spades 9824 clubs 9827 hearts 9829 diams 9830'

function buildTable(): Map<string, string> {
  const table = new Map<string, string>()
  LATIN1.split(' ').forEach((name, i) => {
    table.set(name, String.fromCodePoint(160 + i))
  })
  GREEK_UPPER.split(' ').forEach((name, i) => {
    if (name !== '_') table.set(name, String.fromCodePoint(913 + i))
  })
  GREEK_LOWER.split(' ').forEach((name, i) => {
    table.set(name, String.fromCodePoint(945 + i))
  })
  const others = OTHERS.split(' ')
  for (let i = 0; i < others.length; i += 2) table.set(others[i] as string, String.fromCodePoint(Number(others[i + 1])))
  return table
}

const NAMED = buildTable()
// Legacy references browsers accept without the trailing semicolon.
const WITHOUT_SEMICOLON = new Set(['amp', 'lt', 'gt', 'quot', 'nbsp', 'copy', 'reg'])
// Numeric references to C1 controls mean Windows-1252, as HTML's tokenizer reads them (`&#150;` is an en dash);
// the five code points Windows-1252 leaves undefined stay controls there, and we drop them.
const C1 = [
  '€',
  '',
  '‚',
  'ƒ',
  '„',
  '…',
  '†',
  '‡',
  'ˆ',
  '‰',
  'Š',
  '‹',
  'Œ',
  '',
  'Ž',
  '',
  '',
  '‘',
  '’',
  '“',
  '”',
  '•',
  '–',
  '—',
  '˜',
  '™',
  'š',
  '›',
  'œ',
  '',
  'ž',
  'Ÿ',
]
const REFERENCE = /&(?:#(\d{1,8})|#[xX]([0-9a-fA-F]{1,7})|([A-Za-z][A-Za-z0-9]{1,31}))(;?)/g

/**
 * Decodes character references in text or an attribute value.
 * @example decodeEntities('&ldquo;A&amp;B&rdquo; &#x4E2D;') // '“A&B” 中'
 */
export function decodeEntities(text: string): string {
  if (!text.includes('&')) return text
  return text.replace(
    REFERENCE,
    (whole, dec: string | undefined, hex: string | undefined, name: string | undefined, semi: string) => {
      if (name !== undefined) {
        const value = NAMED.get(name)
        return value !== undefined && (semi || WITHOUT_SEMICOLON.has(name)) ? value : whole
      }
      const code = dec !== undefined ? Number.parseInt(dec, 10) : Number.parseInt(hex ?? '', 16)
      if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return '\uFFFD'
      if (code >= 0x80 && code <= 0x9f) return C1[code - 0x80] as string
      // Other controls and non-characters a browser would keep are not text a reader can see; feeds refuse them.
      if ((code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) || code === 0x7f) return ''
      if (code === 0xfffe || code === 0xffff) return ''
      return String.fromCodePoint(code)
    },
  )
}

/** Escapes text for HTML and XML content: `&`, `<`, `>`. */
export function escapeText(text: string): string {
  return ESCAPABLE_TEXT.test(text) ? text.replace(/[&<>]/g, escapeOne) : text
}

const ESCAPABLE_TEXT = /[&<>]/
const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }
const escapeOne = (c: string) => ESCAPES[c] as string

/** Escapes an attribute value for a double-quoted HTML or XML attribute. */
export function escapeAttribute(text: string): string {
  return text.replace(/[&<>"]/g, escapeOne)
}
