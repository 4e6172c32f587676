import { plainTitle } from './plain-title.ts'
import { element, emptyElement } from './xml.ts'

/** One feed listed in the OPML file. */
export interface OpmlOutline {
  readonly title: string
  /** The RSS feed's URL. */
  readonly xmlUrl: string
  /** The human page of that feed. */
  readonly htmlUrl: string
}

/** What the OPML file lists. */
export interface OpmlDocument {
  readonly title: string
  /** The site's home page: OPML 2.0's `ownerId`, a page telling who publishes the list. */
  readonly homePageUrl: string
  readonly ownerName: string
  readonly outlines: readonly OpmlOutline[]
}

/**
 * OPML 2.0 subscription list: one `type="rss"` outline per feed, in the order given. No dates in it, so
 * the same categories always give the same bytes.
 * @example renderOpml({ title: '订阅源', homePageUrl, ownerName: '财经新闻', outlines: [{ title: '全部', xmlUrl, htmlUrl }] })
 */
export function renderOpml(opml: OpmlDocument): string {
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<opml version="2.0">',
    '<head>',
    element('title', plainTitle(opml.title)),
    element('ownerName', opml.ownerName),
    element('ownerId', opml.homePageUrl),
    element('docs', 'http://opml.org/spec2.opml'),
    '</head>',
    '<body>',
    ...opml.outlines.map((outline) => {
      const text = plainTitle(outline.title)
      return emptyElement('outline', {
        type: 'rss',
        text,
        title: text,
        xmlUrl: outline.xmlUrl,
        htmlUrl: outline.htmlUrl,
      })
    }),
    '</body>',
    '</opml>',
    '',
  ].join('\n')
}
