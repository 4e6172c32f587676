import { type FeedDocument, type FeedItem, rfc822Date } from './feed-model.ts'
import { FEED_HISTORY_NAMESPACE, historyLinks } from './history.ts'
import { plainTitle } from './plain-title.ts'
import { element, emptyElement, escapeHtmlText } from './xml.ts'

/**
 * RSS 2.0: titles as plain text, the summary (HTML-escaped) as description, the body in `content:encoded`,
 * the share URL as link and permalink guid, dates in RFC 822 with their offset, `atom:link` self and hub.
 * @example const xml = renderRss(buildFeed(entries, source, Date.now()))
 */
export function renderRss(feed: FeedDocument): string {
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:media="http://search.yahoo.com/mrss/"${
      feed.history ? ` xmlns:fh="${FEED_HISTORY_NAMESPACE}"` : ''
    }>`,
    '<channel>',
    element('title', plainTitle(feed.title)),
    element('link', feed.homePageUrl),
    element('description', escapeHtmlText(feed.description)),
    element('language', feed.language.toLowerCase()),
    element('lastBuildDate', rfc822Date(feed.updated)),
    element('generator', feed.generator),
    element('docs', 'https://www.rssboard.org/rss-specification'),
    element('ttl', String(feed.ttlMinutes)),
    emptyElement('atom:link', { href: feed.links.rss, rel: 'self', type: 'application/rss+xml' }),
    ...(feed.hubUrl ? [emptyElement('atom:link', { href: feed.hubUrl, rel: 'hub' })] : []),
    ...historyLinks(feed, (rel, href) => emptyElement('atom:link', { href, rel, type: 'application/rss+xml' }), 'rss'),
    ...feed.items.map((item) => renderItem(item, feed.categoryScheme)),
    '</channel>',
    '</rss>',
    '',
  ]
  return lines.join('\n')
}

function renderItem(item: FeedItem, scheme: string): string {
  return [
    '<item>',
    element('title', plainTitle(item.title)),
    element('link', item.id),
    element('guid', item.id, { isPermaLink: 'true' }),
    // RSS readers take the description as HTML: escaping the plain-text summary keeps `<` and `&` literal.
    element('description', escapeHtmlText(item.summary)),
    element('content:encoded', item.contentHtml),
    // RSS `author` must be an e-mail address; a name goes in Dublin Core's creator.
    ...(item.author ? [element('dc:creator', plainTitle(item.author))] : []),
    element('pubDate', rfc822Date(item.published)),
    ...item.categories.map((category) => element('category', category.term, { domain: scheme })),
    ...(item.image ? [emptyElement('media:thumbnail', { url: item.image })] : []),
    '</item>',
  ].join('\n')
}
