import { type DefaultTreeAdapterTypes, parse, parseFragment } from 'parse5'
import { escapeAttribute, escapeText } from '#shared/html/entities'

type Node = DefaultTreeAdapterTypes.Node
type Element = DefaultTreeAdapterTypes.Element
type ParentNode = DefaultTreeAdapterTypes.ParentNode

const VOID = new Set([
  'area',
  'base',
  'br',
  'col',
  'embed',
  'hr',
  'img',
  'input',
  'link',
  'meta',
  'source',
  'track',
  'wbr',
])
// What may run, load, navigate, restyle or clobber: elements, attributes and URL schemes.
const DANGEROUS_ELEMENTS = new Set(
  'script style iframe frame frameset object embed applet base link meta form input button textarea select option noscript template svg math audio video source track canvas portal dialog'.split(
    ' ',
  ),
)
const URL_ATTRIBUTES = new Set(
  'href src action formaction xlink:href data poster background srcset cite ping lowsrc dynsrc codebase longdesc usemap'.split(
    ' ',
  ),
)
const DANGEROUS_ATTRIBUTES = new Set(['style', 'srcdoc', 'id', 'name', 'form', 'target', 'http-equiv', 'is', 'xmlns'])
const SAFE_URL = /^(?:https?:\/\/|mailto:)/i

/** What a check found in one sanitised fragment. */
export interface Findings {
  /** Elements, attributes or URLs that could run or load something, or clobber the page's DOM. */
  readonly dangerous: readonly string[]
  /** Where a browser would build a different tree than the one written (the output can close or move content). */
  readonly breakout: string | undefined
}

/** Parses `html` as the content of a `<div>`, as a browser parses the body inside a share page's `div.body`. */
function parseInDiv(html: string): DefaultTreeAdapterTypes.DocumentFragment {
  const context = parseFragment('<div></div>').childNodes[0] as Element
  return parseFragment(context, html, {})
}

/**
 * Checks a sanitised fragment with parse5 (the HTML standard's parser): nothing dangerous in the tree a
 * browser builds, and that tree written out again is the fragment itself (no breakout, no re-nesting).
 */
export function checkFragment(html: string): Findings {
  const fragment = parseInDiv(html)
  const dangerous = dangerousParts(fragment)
  const written = serialise(fragment)
  return { dangerous, breakout: written === html ? undefined : firstDifference(html, written) }
}

/**
 * Checks a whole page: `div.body` holds exactly `bodyHtml` and everything after it in the page stays outside.
 * Returns what is wrong, or undefined.
 */
export function checkPage(page: string, bodyHtml: string): string | undefined {
  const document = parse(page)
  const elements: Element[] = []
  collect(document, elements)
  const bodies = elements.filter((e) => e.tagName === 'div' && attribute(e, 'class') === 'body')
  if (bodies.length !== 1) return `${bodies.length} div.body in the page`
  const body = bodies[0] as Element
  const inside = serialise(body)
  if (inside !== bodyHtml) return `div.body differs: ${firstDifference(bodyHtml, inside)}`
  const qr = elements.find((e) => e.tagName === 'section' && attribute(e, 'class') === 'qr')
  if (!qr) return 'no QR section'
  for (let node: ParentNode | null = qr; node && 'parentNode' in node; node = node.parentNode) {
    if (node === body) return 'the QR section is inside div.body'
  }
  return undefined
}

/** The dangerous parts of a parsed tree, described. */
function dangerousParts(root: ParentNode): string[] {
  const found: string[] = []
  const elements: Element[] = []
  collect(root, elements)
  for (const element of elements) {
    if (DANGEROUS_ELEMENTS.has(element.tagName)) found.push(`<${element.tagName}>`)
    if (element.namespaceURI !== 'http://www.w3.org/1999/xhtml') found.push(`foreign <${element.tagName}>`)
    for (const { name, value } of element.attrs) {
      if (/^on/i.test(name) || DANGEROUS_ATTRIBUTES.has(name)) found.push(`${name} on <${element.tagName}>`)
      if (URL_ATTRIBUTES.has(name) && !SAFE_URL.test(value.trim()))
        found.push(`${name}=${JSON.stringify(value.slice(0, 60))} on <${element.tagName}>`)
    }
  }
  return found
}

function collect(node: Node, into: Element[]): void {
  const stack: Node[] = [node]
  while (stack.length > 0) {
    const next = stack.pop() as Node
    if ('tagName' in next) into.push(next)
    if ('childNodes' in next)
      for (let i = next.childNodes.length - 1; i >= 0; i--) stack.push(next.childNodes[i] as Node)
    if ('content' in next && next.content) stack.push(next.content as Node)
  }
}

function attribute(element: Element, name: string): string | undefined {
  return element.attrs.find((a) => a.name === name)?.value
}

/** The children of `root` written as the sanitiser writes markup: same escaping, explicit end tags. */
function serialise(root: ParentNode): string {
  let out = ''
  const walk = (parent: ParentNode) => {
    parent.childNodes.forEach((child, i) => {
      if (child.nodeName === '#text') {
        const value = (child as DefaultTreeAdapterTypes.TextNode).value
        const pre = i === 0 && 'tagName' in parent && parent.tagName === 'pre' && value.startsWith('\n')
        out += (pre ? '\n' : '') + escapeText(value)
      } else if (child.nodeName === '#comment') {
        out += `<!--${(child as DefaultTreeAdapterTypes.CommentNode).data}-->`
      } else if ('tagName' in child) {
        out += `<${child.tagName}${child.attrs.map((a) => ` ${a.name}="${escapeAttribute(a.value)}"`).join('')}>`
        if (!VOID.has(child.tagName)) {
          walk(child.tagName === 'template' ? (child as DefaultTreeAdapterTypes.Template).content : child)
          out += `</${child.tagName}>`
        }
      }
    })
  }
  walk(root)
  return out
}

function firstDifference(expected: string, actual: string): string {
  let i = 0
  while (i < expected.length && expected[i] === actual[i]) i++
  const around = (s: string) => JSON.stringify(s.slice(Math.max(0, i - 40), i + 40))
  return `at ${i}: written ${around(expected)}, parsed back ${around(actual)}`
}
