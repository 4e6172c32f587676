import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { extractFromJson, extractFromXml } from '@extractus/feed-extractor'
import { parseFeed as rowanmanningParse } from '@rowanmanning/feed-parser'
import { parseFeed as feedsmithParse } from 'feedsmith'
import { validateXML } from 'xmllint-wasm'
import type { FeedEntry } from '#shared/domain/model'
import { parsePage } from './parse-html.ts'

/** One item as a parser read it. */
export interface ParsedItem {
  readonly id: string
  readonly link: string
  readonly title: string
  /** Epoch ms, NaN when the parser found no date. */
  readonly published: number
  /** The HTML body, when the parser exposes it. */
  readonly content: string | undefined
}

/** A feed as one parser read it. */
export interface ParsedFeed {
  readonly parser: string
  readonly title: string
  readonly items: readonly ParsedItem[]
}

/**
 * Parses an RSS or Atom document with three independent parsers (@rowanmanning/feed-parser, feedsmith,
 * @extractus/feed-extractor); each one throws on what it cannot read.
 */
export function parseXmlFeed(xml: string): ParsedFeed[] {
  const rowanmanning = rowanmanningParse(xml)
  const smith = feedsmithParse(xml)
  const extractus = extractusXml(xml)
  const smithItems =
    smith.format === 'rss'
      ? (smith.feed.items ?? []).map((item) => ({
          id: item.guid?.value ?? '',
          link: item.link ?? '',
          title: item.title ?? '',
          published: Date.parse(item.pubDate ?? ''),
          content: item.content?.encoded,
        }))
      : smith.format === 'atom'
        ? (smith.feed.entries ?? []).map((entry) => ({
            id: entry.id ?? '',
            link: entry.links?.find((l) => (l.rel ?? 'alternate') === 'alternate')?.href ?? '',
            title: textConstruct(entry.title),
            published: Date.parse(entry.published ?? ''),
            content: textConstruct(entry.content),
          }))
        : []
  if (smith.format !== 'rss' && smith.format !== 'atom') throw new Error(`feedsmith read ${smith.format}`)
  return [
    {
      parser: '@rowanmanning/feed-parser',
      title: rowanmanning.title ?? '',
      items: rowanmanning.items.map((item) => ({
        id: item.id ?? '',
        link: item.url ?? '',
        title: item.title ?? '',
        published: item.published ? item.published.getTime() : Number.NaN,
        content: item.content ?? undefined,
      })),
    },
    { parser: 'feedsmith', title: textConstruct(smith.feed.title), items: smithItems },
    {
      parser: '@extractus/feed-extractor',
      title: extractus.title ?? '',
      items: extractusItems(extractus),
    },
  ]
}

/** @extractus/feed-extractor's entries in the common shape (it gives no content). */
function extractusItems(feed: { entries?: { id?: string; link?: string; title?: string; published?: string }[] }) {
  return (feed.entries ?? []).map((entry) => ({
    id: entry.id ?? '',
    link: entry.link ?? '',
    title: entry.title ?? '',
    published: Date.parse(entry.published ?? ''),
    content: undefined,
  }))
}

// @extractus recognises an Atom feed by its entries: an empty (valid) Atom feed reads as an empty list.
function extractusXml(xml: string): ReturnType<typeof extractFromXml> {
  try {
    return extractFromXml(xml, { descriptionMaxLen: 0, normalization: true })
  } catch (error) {
    if (/<feed[\s>]/.test(xml) && !xml.includes('<entry>')) return { title: '', entries: [] } as never
    throw error
  }
}

/** Parses a JSON Feed with feedsmith and @extractus/feed-extractor (after a strict `JSON.parse`). */
export function parseJsonFeed(json: string): ParsedFeed[] {
  const data = JSON.parse(json)
  const smith = feedsmithParse(json)
  if (smith.format !== 'json') throw new Error(`feedsmith read ${smith.format}`)
  const extractus = extractFromJson(data, { descriptionMaxLen: 0, normalization: true })
  return [
    {
      parser: 'feedsmith',
      title: smith.feed.title ?? '',
      items: (smith.feed.items ?? []).map((item) => ({
        id: item.id ?? '',
        link: item.url ?? '',
        title: item.title ?? '',
        published: Date.parse(item.date_published ?? ''),
        content: item.content_html,
      })),
    },
    {
      parser: '@extractus/feed-extractor',
      title: extractus.title ?? '',
      items: extractusItems(extractus),
    },
  ]
}

/** libxml2's errors for each document that is not well-formed XML (one xmllint run for all of them). */
export async function xmlErrors(documents: Readonly<Record<string, string>>): Promise<string[]> {
  const names = Object.keys(documents)
  if (names.length === 0) return []
  const result = await validateXML({
    xml: names.map((name, i) => ({ fileName: `doc-${i}.xml`, contents: documents[name] as string })),
    normalization: 'format',
    maxMemoryPages: 4096,
  })
  return result.errors.map((error) => {
    const index = Number(/doc-(\d+)\.xml/.exec(error.rawMessage)?.[1])
    return `${names[index] ?? '?'}: ${error.message}`
  })
}

const ATOM_SCHEMA = readFileSync(fileURLToPath(new URL('./atom.rng', import.meta.url)), 'utf8')

/** Errors of each Atom document against RFC 4287 (`tests/support/atom.rng`, RELAX NG through libxml2). */
export async function atomSchemaErrors(documents: Readonly<Record<string, string>>): Promise<string[]> {
  const names = Object.keys(documents)
  if (names.length === 0) return []
  const result = await validateXML({
    xml: names.map((name, i) => ({ fileName: `atom-${i}.xml`, contents: documents[name] as string })),
    schema: [{ fileName: 'atom.rng', contents: ATOM_SCHEMA }],
    extension: 'relaxng',
    maxMemoryPages: 4096,
  })
  return result.errors.map((error) => {
    const index = Number(/atom-(\d+)\.xml/.exec(error.rawMessage)?.[1])
    return `${names[index] ?? '?'}: ${error.message}`
  })
}

/** What would run or load in a browser inside an HTML fragment: script elements, handlers, script URLs. */
export function activeContent(html: string): string[] {
  const found: string[] = []
  for (const element of parsePage(html).elements) {
    if (['script', 'iframe', 'object', 'embed', 'style', 'svg', 'math', 'form', 'base'].includes(element.tagName)) {
      found.push(`<${element.tagName}>`)
    }
    for (const attribute of element.attrs) {
      if (/^on/i.test(attribute.name) || attribute.name === 'style') found.push(`${element.tagName}[${attribute.name}]`)
      if (/^(href|src|action|formaction|xlink:href)$/.test(attribute.name)) {
        const scheme = attribute.value.replace(/[\u0000-\u0020]/g, '').toLowerCase()
        if (!/^(https?:|mailto:)/.test(scheme)) found.push(`${element.tagName}[${attribute.name}=${attribute.value}]`)
      }
    }
  }
  return found
}

/** A stored feed entry with sensible defaults, for renderer tests. */
export function feedEntry(overrides: Partial<FeedEntry> = {}): FeedEntry {
  const date = overrides.date ?? '2022-04-16T03:21:56+08:00'
  return {
    infoCode: 'NW202204162345423378',
    title: '“数字化+专业化”：邮储银行纾困171万普惠小微客户',
    date,
    publishedAt: Date.parse(date),
    updatedAt: '2022-04-16T00:00:00.000Z',
    categories: ['zhongguojingyingwang'],
    tags: ['中国经营网新闻'],
    body: '<p>普惠型小微企业贷款余额9606亿元。</p>',
    summary: '普惠型小微企业贷款余额9606亿元。',
    source: '中国经营网',
    shortCode: 'Ab3dE6g',
    ...overrides,
  }
}

// Atom text constructs come back from feedsmith as { value, type }: html ones are still escaped HTML.
function textConstruct(value: unknown): string {
  if (typeof value === 'string') return value
  if (value && typeof value === 'object' && 'value' in value) {
    const { value: text, type } = value as { value?: string; type?: string }
    return type === 'html' ? decodeHtmlText(text ?? '') : (text ?? '')
  }
  return ''
}

function decodeHtmlText(html: string): string {
  const body = parsePage(`<body>${html}`).all('body')[0]
  const walk = (node: unknown): string => {
    const n = node as { nodeName: string; value?: string; childNodes?: unknown[] }
    if (n.nodeName === '#text') return n.value ?? ''
    return (n.childNodes ?? []).map(walk).join('')
  }
  return walk(body)
}

/** The feed source the renderer tests build from: the `markets` category of a site at news.example.com. */
export const MARKETS_SOURCE = {
  baseUrl: 'https://news.example.com',
  siteName: '财经新闻',
  slug: 'markets',
  categoryTitles: new Map([['markets', '市场']]),
  hubUrl: undefined,
  siteOffsetMinutes: 480,
}
