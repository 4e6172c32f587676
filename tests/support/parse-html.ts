import { type DefaultTreeAdapterTypes, parse } from 'parse5'

type Node = DefaultTreeAdapterTypes.Node
/** An element of a parsed document. */
export type Element = DefaultTreeAdapterTypes.Element

/** A page parsed the way a browser builds its tree (parse5 follows the HTML standard), with small queries. */
export interface ParsedPage {
  /** Every element in document order, template contents included. */
  readonly elements: readonly Element[]
  /** Elements with that tag name. */
  all(tag: string): Element[]
  /** The `content` of `<meta property|name=key>`, undefined when absent. */
  meta(key: string): string | undefined
}

/** Parses a whole HTML document. */
export function parsePage(html: string): ParsedPage {
  const elements: Element[] = []
  const walk = (node: Node) => {
    if ('tagName' in node) elements.push(node)
    if ('childNodes' in node) for (const child of node.childNodes) walk(child)
    if ('content' in node && node.content) walk(node.content as Node)
  }
  walk(parse(html))
  return {
    elements,
    all: (tag) => elements.filter((e) => e.tagName === tag),
    meta: (key) =>
      attr(
        elements.find((e) => e.tagName === 'meta' && (attr(e, 'property') === key || attr(e, 'name') === key)),
        'content',
      ),
  }
}

/** An attribute's value, undefined when absent. */
export function attr(element: Element | undefined, name: string): string | undefined {
  return element?.attrs.find((a) => a.name === name)?.value
}

/** The text inside an element, as `textContent` gives it. */
export function text(node: Node | undefined): string {
  if (!node) return ''
  if (node.nodeName === '#text') return (node as DefaultTreeAdapterTypes.TextNode).value
  if ('childNodes' in node) return node.childNodes.map((child) => text(child)).join('')
  return ''
}

/** True when `element` has `ancestor` above it. */
export function isInside(element: Element, predicate: (ancestor: Element) => boolean): boolean {
  let parent = element.parentNode
  while (parent && 'tagName' in parent) {
    if (predicate(parent)) return true
    parent = parent.parentNode
  }
  return false
}
