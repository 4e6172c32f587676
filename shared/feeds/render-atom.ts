import { type FeedDocument, type FeedItem, isoDate } from './feed-model.ts'
import { FEED_HISTORY_NAMESPACE, historyLinks } from './history.ts'
import { element, emptyElement, escapeHtmlText } from './xml.ts'

/**
 * Atom 1.0 (RFC 4287): text constructs as `type="html"` holding HTML-escaped text, so markup typed into a
 * title stays literal; the share URL as id and alternate link; dates with their offset; self and hub links.
 * @example const xml = renderAtom(buildFeed(entries, source, Date.now()))
 */
export function renderAtom(feed: FeedDocument): string {
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    feed.history
      ? `<feed xmlns="http://www.w3.org/2005/Atom" xmlns:fh="${FEED_HISTORY_NAMESPACE}" xmlns:media="http://search.yahoo.com/mrss/" xml:lang="${feed.language}">`
      : `<feed xmlns="http://www.w3.org/2005/Atom" xmlns:media="http://search.yahoo.com/mrss/" xml:lang="${feed.language}">`,
    element('id', feed.links.atom),
    element('title', escapeHtmlText(feed.title), { type: 'html' }),
    element('subtitle', escapeHtmlText(feed.description), { type: 'html' }),
    element('updated', isoDate(feed.updated)),
    `<author>${element('name', feed.authorName)}</author>`,
    emptyElement('link', { rel: 'self', type: 'application/atom+xml', href: feed.links.atom }),
    emptyElement('link', { rel: 'alternate', type: 'text/html', href: feed.homePageUrl }),
    ...(feed.hubUrl ? [emptyElement('link', { rel: 'hub', href: feed.hubUrl })] : []),
    ...historyLinks(feed, (rel, href) => emptyElement('link', { rel, type: 'application/atom+xml', href }), 'atom'),
    element('generator', feed.generator),
    ...feed.items.map((item) => renderEntry(item, feed.categoryScheme)),
    '</feed>',
    '',
  ]
  return lines.join('\n')
}

function renderEntry(item: FeedItem, scheme: string): string {
  return [
    '<entry>',
    element('id', item.id),
    element('title', escapeHtmlText(item.title), { type: 'html' }),
    emptyElement('link', { rel: 'alternate', type: 'text/html', href: item.id }),
    ...(item.originalUrl ? [emptyElement('link', { rel: 'via', type: 'text/html', href: item.originalUrl })] : []),
    element('published', isoDate(item.published)),
    element('updated', isoDate(item.updated)),
    ...(item.author ? [`<author>${element('name', item.author)}</author>`] : []),
    element('summary', escapeHtmlText(item.summary), { type: 'html' }),
    element('content', item.contentHtml, { type: 'html' }),
    ...(item.image ? [emptyElement('media:thumbnail', { url: item.image })] : []),
    ...item.categories.map((category) =>
      emptyElement('category', { term: category.term, scheme, label: category.label }),
    ),
    '</entry>',
  ].join('\n')
}
