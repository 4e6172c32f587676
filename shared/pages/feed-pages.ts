import { html } from 'hono/html'
import type { HtmlEscapedString } from 'hono/utils/html'
import { formatIso } from '../domain/dates.ts'
import { categoryPageUrl } from '../domain/urls.ts'
import type { FeedDocument, FeedItem } from '../feeds/feed-model.ts'
import { page } from './layout.ts'

/** What the human pages need besides the feed they show. */
export interface FeedPageContext {
  readonly siteName: string
  readonly baseUrl: string
  /** Times on the pages are shown in site time. */
  readonly siteOffsetMinutes: number
}

/** A category as the home page lists it. */
export interface CategoryLink {
  readonly label: string
  readonly pageUrl: string
}

/**
 * `/category/{slug}.html`: the category's latest items linking to their share pages, subscribe links and
 * feed autodiscovery. Escaped by construction.
 * @example await renderCategoryPage(feed, '中国经营网新闻', context)
 */
export async function renderCategoryPage(
  feed: FeedDocument,
  categoryLabel: string,
  context: FeedPageContext,
): Promise<string> {
  return feedPage(
    feed,
    context,
    html`<h1>${categoryLabel}</h1>
<p class="meta">${feed.description}</p>
${subscribe(feed)}
${itemList(feed.items, context)}`,
  )
}

/**
 * `/` (index.html): the site's latest items, its categories, subscribe links and feed autodiscovery.
 * @example await renderHomePage(siteFeed, categories, context)
 */
export async function renderHomePage(
  feed: FeedDocument,
  categories: readonly CategoryLink[],
  context: FeedPageContext,
): Promise<string> {
  return feedPage(
    feed,
    context,
    html`<h1>最新文章</h1>
${subscribe(feed)}
${
  categories.length > 0
    ? html`<nav class="subscribe" aria-label="栏目">栏目：${categories.map(
        (category) => html`<a href="${category.pageUrl}">${category.label}</a>`,
      )}</nav>`
    : ''
}
${itemList(feed.items, context)}`,
  )
}

/** A feed's human page: the site layout with the feed's title and autodiscovery links around `body`. */
async function feedPage(
  feed: FeedDocument,
  context: FeedPageContext,
  body: HtmlEscapedString | Promise<HtmlEscapedString>,
): Promise<string> {
  return String(
    await page({ title: feed.title, siteName: context.siteName, baseUrl: context.baseUrl, head: head(feed), body }),
  )
}

function head(feed: FeedDocument): Promise<HtmlEscapedString> {
  return html`<link rel="canonical" href="${feed.homePageUrl}">
<meta name="description" content="${feed.description}">
<link rel="alternate" type="application/rss+xml" title="${feed.title} (RSS)" href="${feed.links.rss}">
<link rel="alternate" type="application/atom+xml" title="${feed.title} (Atom)" href="${feed.links.atom}">
<link rel="alternate" type="application/feed+json" title="${feed.title} (JSON Feed)" href="${feed.links.json}">` as Promise<HtmlEscapedString>
}

function subscribe(feed: FeedDocument) {
  return html`<p class="subscribe">订阅：<a href="${feed.links.rss}">RSS</a><a href="${feed.links.atom}">Atom</a><a href="${feed.links.json}">JSON Feed</a></p>`
}

function itemList(items: readonly FeedItem[], context: FeedPageContext) {
  if (items.length === 0) return html`<p>暂无文章。</p>`
  return html`<ul class="items">
${items.map((item) => {
  const iso = formatIso(item.published.epochMs, context.siteOffsetMinutes)
  return html`<li><a href="${item.id}">${item.title}</a><br><time datetime="${iso}">${iso.slice(0, 10)} ${iso.slice(11, 16)}</time>${
    item.categories.length > 0
      ? html` · ${item.categories.map(
          (category, i) =>
            html`${i > 0 ? '、' : ''}<a class="category" href="${categoryPageUrl(context.baseUrl, category.term)}">${category.label}</a>`,
        )}`
      : ''
  }<p class="summary">${item.summary}</p></li>
`
})}</ul>`
}
