import { readdirSync, readFileSync, statSync } from 'node:fs'
import { extname, join } from 'node:path'
import { runInNewContext } from 'node:vm'

// Markup files a payload list ships as examples (SVG, XHTML, XSLT…): each is one payload, read as a body.
const WHOLE_FILE = new Set([
  '.svg',
  '.htm',
  '.html',
  '.xhtml',
  '.xht',
  '.xml',
  '.xsl',
  '.xslt',
  '.xsd',
  '.vml',
  '.hxt',
  '.mno',
  '.rdf',
  '.wsdl',
  '.xsf',
  '.dtd',
  '.demo',
  '.url',
  '.ipynb',
])

/** One payload and where it came from. */
export interface Payload {
  readonly source: string
  readonly payload: string
}

/**
 * Every payload in the files under `paths`: strings under `payload` or `data` keys of a JavaScript data file
 * (DOMPurify's `test/fixtures/expect.mjs`, H5SC's `items.js`, evaluated in an empty VM context with nothing but
 * `module`/`exports`), each line of each fenced code block of a Markdown file (the OWASP cheat sheet,
 * PayloadsAllTheThings), each line of a `.txt` list, each markup example file whole. Duplicates are dropped.
 */
export function readPayloads(paths: readonly string[]): Payload[] {
  const seen = new Set<string>()
  const out: Payload[] = []
  const add = (source: string, payload: string) => {
    if (payload.trim() === '' || seen.has(payload)) return
    seen.add(payload)
    out.push({ source, payload })
  }
  for (const file of paths.flatMap(filesUnder)) {
    const text = readFileSync(file, 'utf8')
    const ext = extname(file)
    if (ext === '.md') for (const line of codeBlockLines(text)) add(file, line)
    else if (ext === '.js' || ext === '.mjs') for (const value of dataStrings(text)) add(file, value)
    else if (ext === '.txt') for (const line of text.split(/\r?\n/)) add(file, line)
    else if (WHOLE_FILE.has(ext)) add(file, text)
  }
  return out
}

function filesUnder(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path]
  return readdirSync(path)
    .sort()
    .flatMap((name) => filesUnder(join(path, name)))
}

function codeBlockLines(markdown: string): string[] {
  const lines: string[] = []
  let fence: string | undefined
  for (const line of markdown.split(/\r?\n/)) {
    const marker = /^\s*(`{3,}|~{3,})/.exec(line)?.[1]
    if (marker && (fence === undefined || marker.startsWith(fence))) fence = fence === undefined ? marker : undefined
    else if (fence !== undefined) lines.push(line)
  }
  return lines
}

function dataStrings(source: string): string[] {
  const module = { exports: {} as unknown }
  const code = source.replace(/^\s*export\s+default\s+/m, 'module.exports = ')
  runInNewContext(code, { module, exports: module.exports, define: undefined }, { timeout: 5000 })
  const found: string[] = []
  const walk = (value: unknown, key: string) => {
    if (typeof value === 'string') {
      if (key === 'payload' || key === 'data') found.push(value)
    } else if (Array.isArray(value)) for (const item of value) walk(item, key)
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, k)
  }
  walk(module.exports, '')
  return found
}
