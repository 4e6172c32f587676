import { cleanText } from '../domain/text.ts'
import { type FeedDocument, type FeedItem, isoDate } from './feed-model.ts'

/**
 * JSON Feed 1.1: strings as they are (JSON needs no markup escaping), the share URL as id and url,
 * dates with their offset, `authors`, `language`, and `hubs` when a WebSub hub is configured.
 * @example const json = renderJsonFeed(buildFeed(entries, source, Date.now()))
 */
export function renderJsonFeed(feed: FeedDocument): string {
  const document = {
    version: 'https://jsonfeed.org/version/1.1',
    title: feed.title,
    home_page_url: feed.homePageUrl,
    feed_url: feed.links.json,
    description: feed.description,
    language: feed.language,
    authors: [{ name: feed.authorName }],
    ...(feed.hubUrl ? { hubs: [{ type: 'WebSub', url: feed.hubUrl }] } : {}),
    // JSON Feed pages with next_url (the next older document); it has no archive marker of its own.
    ...(feed.history?.prev ? { next_url: feed.history.prev.json } : {}),
    items: feed.items.map(renderItem),
  }
  // The model is already clean; cleaning the serialised text again guards the invariant at the last step.
  // `]]>` is written `]]\u003e`: the same string to every JSON parser, and no `]]>` in anything we publish.
  return `${cleanText(JSON.stringify(document, null, 2)).replaceAll(']]>', ']]\\u003e')}\n`
}

function renderItem(item: FeedItem) {
  return {
    id: item.id,
    url: item.id,
    title: item.title,
    summary: item.summary,
    content_html: item.contentHtml,
    ...(item.originalUrl ? { external_url: item.originalUrl } : {}),
    ...(item.image ? { image: item.image } : {}),
    date_published: isoDate(item.published),
    date_modified: isoDate(item.updated),
    ...(item.author ? { authors: [{ name: item.author }] } : {}),
    ...(item.categories.length > 0 ? { tags: item.categories.map((c) => c.label) } : {}),
  }
}
