import type { FeedDocument, FeedLinks } from './feed-model.ts'
import { emptyElement } from './xml.ts'

/** The RFC 5005 namespace of `<fh:archive/>`. */
export const FEED_HISTORY_NAMESPACE = 'http://purl.org/syndication/history/1.0'

/**
 * The RFC 5005 lines of a feed in one XML format: `<fh:archive/>` in an archive document, the `current`
 * link (archive documents), `prev-archive` (when an older document exists) and `next-archive` (an archive
 * document with a newer one).
 * @example historyLinks(feed, (rel, href) => `<link rel="${rel}" href="${href}"/>`, 'atom')
 */
export function historyLinks(
  feed: FeedDocument,
  link: (rel: string, href: string) => string,
  format: keyof FeedLinks,
): string[] {
  const history = feed.history
  if (!history) return []
  return [
    ...(history.archived ? [emptyElement('fh:archive', {}), link('current', history.current[format])] : []),
    ...(history.prev ? [link('prev-archive', history.prev[format])] : []),
    ...(history.archived && history.next ? [link('next-archive', history.next[format])] : []),
  ]
}
