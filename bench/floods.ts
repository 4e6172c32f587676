/**
 * Bodies built to make a Markdown or HTML parser do more than linear work: runs of delimiters that never
 * close, openers without ends, deep nesting. Each family builds a body of about `bytes` bytes (ASCII).
 * The bench renders each at 1 MiB; tests render them small and upload them through the API.
 */
export const FLOOD_FAMILIES: Readonly<Record<string, (bytes: number) => string>> = {
  'emphasis *a': (b) => repeat('*a', b),
  'emphasis _a': (b) => repeat('_a', b),
  'strong **a': (b) => repeat('**a', b),
  'emphasis a*': (b) => repeat('a*', b),
  'mixed *_a': (b) => repeat('*_a', b),
  'strikethrough ~~a': (b) => repeat('~~a', b),
  'comment openers <!--': (b) => repeat('<!--', b, 'Text '),
  'CDATA openers': (b) => repeat('<![CDATA[', b, 'Text '),
  'processing instructions <?': (b) => repeat('<?', b, 'Text '),
  'declarations <!A': (b) => repeat('<!A', b, 'Text '),
  'unclosed tags <a ': (b) => repeat('<a ', b, 'Text '),
  'unclosed attribute quotes': (b) => repeat('<a b="', b, 'x'),
  'unclosed links [a](b': (b) => repeat('[a](b', b),
  'brackets [': (b) => repeat('[', b),
  'link openers [a': (b) => repeat('[a', b),
  'image openers ![': (b) => repeat('![', b),
  'reference links [a]': (b) => repeat('[a]', b),
  'empty brackets []': (b) => repeat('[]', b),
  'link closers ](': (b) => repeat('](', b),
  'open parentheses [a](((': (b) => repeat('(', b, '[a]('),
  'backtick runs': (b) => backticks(b),
  'backticks `a': (b) => repeat('`a', b),
  'nested quotes >>>': (b) => `${repeat('>', b)} a`,
  'quote lines of growing depth': (b) => lines(b, (i) => `${'>'.repeat(i % 1000)} a`),
  'nested lists': (b) => lines(b, (i) => `${' '.repeat(2 * (i % 500))}- a`),
  'list markers - - -': (b) => `${repeat('- ', b)}a`,
  'ordered list markers 1. 1.': (b) => `${repeat('1. ', b)}a`,
  'deep div tags': (b) => repeat('<div>', b),
  'deep b tags': (b) => repeat('<b>', b, 'x'),
  'formatting tags with attributes': (b) => lines(b, (i) => `<b id=${i}>x`),
  'list items in divs': (b) => repeat('<ul><li><div>', b, 'x'),
  'table cells': (b) => table(b),
  'setext headings': (b) => repeat('a\n=\n', b),
  'entities &a': (b) => repeat('&a', b),
  'less-than signs': (b) => repeat('<', b, 'a'),
  backslashes: (b) => repeat('\\', b),
  'thematic breaks': (b) => repeat('***\n', b),
}

function repeat(unit: string, bytes: number, prefix = ''): string {
  return prefix + unit.repeat(Math.max(1, Math.floor((bytes - prefix.length) / unit.length)))
}

function lines(bytes: number, line: (i: number) => string): string {
  const out: string[] = []
  let length = 0
  for (let i = 0; length < bytes; i++) {
    const next = `${line(i)}\n`
    out.push(next)
    length += next.length
  }
  return out.join('')
}

function backticks(bytes: number): string {
  const out: string[] = []
  let length = 0
  for (let i = 1; length < bytes; i = (i % 200) + 1) {
    out.push(`${'`'.repeat(i)}a`)
    length += i + 1
  }
  return out.join('')
}

/** A header of many columns over many one-cell rows: a renderer pads every row to the header's width. */
function table(bytes: number): string {
  const columns = Math.floor(Math.sqrt(bytes) / 2)
  const head = `|${'a|'.repeat(columns)}\n|${'-|'.repeat(columns)}\n`
  return head + 'a\n'.repeat(Math.max(1, Math.floor((bytes - head.length) / 2)))
}
