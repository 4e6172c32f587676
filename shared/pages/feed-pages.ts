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
${itemList(feed.items, context)}
${pager(feed)}`,
  )
}

/**
 * `/` (index.html): the site's latest items, a link to the categories index (not every name: a site has
 * thousands), subscribe links and feed autodiscovery.
 * @example await renderHomePage(siteFeed, categories.length, context)
 */
export async function renderHomePage(
  feed: FeedDocument,
  categoryCount: number,
  context: FeedPageContext,
): Promise<string> {
  return feedPage(
    feed,
    context,
    html`<h1>最新文章</h1>
${subscribe(feed)}
${
  categoryCount > 0
    ? html`<p class="subscribe"><a href="${context.baseUrl}/categories.html">全部栏目（${categoryCount} 个）</a></p>`
    : ''
}
${itemList(feed.items, context)}
${pager(feed)}`,
  )
}

/**
 * An archive page (`archive/{id}.html`, `category/{slug}/{id}.html`): the items of one archive document,
 * newest first, with `rel="next"` to the next older page and a link back to the newest.
 * @example await renderArchivePage(archiveDocument, '中国经营网新闻', context)
 */
export async function renderArchivePage(
  feed: FeedDocument,
  heading: string,
  context: FeedPageContext,
): Promise<string> {
  const first = feed.items[feed.items.length - 1]
  const last = feed.items[0]
  const day = (epochMs: number) => formatIso(epochMs, context.siteOffsetMinutes).slice(0, 10)
  const span = first && last ? `${day(first.published.epochMs)} 至 ${day(last.published.epochMs)}` : ''
  return feedPage(
    feed,
    context,
    html`<h1>${heading}：往期文章</h1>
<p class="meta">${span ? html`${span}，` : ''}共 ${feed.items.length} 篇 · <a href="${feed.history?.current.page ?? ''}">返回最新文章</a></p>
${itemList(feed.items, context)}
${pager(feed)}`,
  )
}

/**
 * `/categories.html`: every category, grouped by the first character of its label, linking to its page.
 * @example await renderCategoriesPage([{ label: '市场', pageUrl }], context)
 */
export async function renderCategoriesPage(
  categories: readonly CategoryLink[],
  context: FeedPageContext,
): Promise<string> {
  const groups = new Map<string, CategoryLink[]>()
  for (const category of [...categories].sort((a, b) => a.label.localeCompare(b.label, 'zh-CN', { numeric: true }))) {
    const initial = [...category.label][0]?.toLocaleUpperCase('zh-CN') ?? '#'
    const key = /^[A-Z]$/.test(initial)
      ? initial
      : /^\d$/.test(initial)
        ? '0-9'
        : /^[\p{Script=Han}]$/u.test(initial)
          ? '汉字'
          : '其他'
    groups.set(key, [...(groups.get(key) ?? []), category])
  }
  const order = [...groups.keys()].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0))
  const body = html`<h1>全部栏目</h1>
<p class="meta">共 ${categories.length} 个栏目${order.length > 1 ? html`：${order.map((key, i) => html`${i > 0 ? ' · ' : ''}<a href="#g-${key}">${key}</a>`)}` : ''}</p>
<div class="categories">${order.map(
    (key) =>
      html`<h2 id="g-${key}">${key}</h2><ul>${(groups.get(key) ?? []).map(
        (category) => html`<li><a href="${category.pageUrl}">${category.label}</a></li>`,
      )}</ul>`,
  )}</div>`
  return String(
    await page({
      title: `全部栏目 - ${context.siteName}`,
      siteName: context.siteName,
      baseUrl: context.baseUrl,
      head: html`<link rel="canonical" href="${context.baseUrl}/categories.html">`,
      body,
    }),
  )
}

/**
 * `404.html`: what a reader who followed a broken or mistyped link sees (CloudFront answers it for any key the
 * bucket does not hold), with the way back to the home page and the categories index. Not for search engines.
 * @example await renderNotFoundPage(context)
 */
export async function renderNotFoundPage(context: FeedPageContext): Promise<string> {
  return String(
    await page({
      title: `页面不存在 - ${context.siteName}`,
      siteName: context.siteName,
      baseUrl: context.baseUrl,
      head: html`<meta name="robots" content="noindex">`,
      body: html`<h1>页面不存在</h1>
<p>您访问的页面不存在或已被移除，可能是链接有误或地址输错了。</p>
<p class="more"><a href="${context.baseUrl}/">返回首页</a> · <a href="${context.baseUrl}/categories.html">全部栏目</a></p>`,
    }),
  )
}

function rank(group: string): number {
  return group === '0-9' ? 0 : /^[A-Z]$/.test(group) ? 1 : group === '汉字' ? 2 : 3
}

function pager(feed: FeedDocument) {
  const history = feed.history
  if (!history) return ''
  const newer = history.archived ? (history.next ?? history.current) : undefined
  if (!history.prev && !newer) return ''
  return html`<nav class="pager" aria-label="翻页">${
    newer ? html`<a rel="prev" href="${newer.page}">← 较新的文章</a>` : html`<span></span>`
  }${history.prev ? html`<a rel="next" href="${history.prev.page}">更早的文章 →</a>` : ''}</nav>`
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
  return html`<li><a class="title" href="${item.id}">${item.title}</a><p class="item-meta"><time datetime="${iso}">${iso.slice(0, 10)} ${iso.slice(11, 16)}</time>${
    item.categories.length > 0
      ? html` · ${item.categories.map(
          (category) =>
            html` <a class="category" href="${categoryPageUrl(context.baseUrl, category.term)}">${category.label}</a>`,
        )}`
      : ''
  }</p><p class="summary">${item.summary}</p></li>
`
})}</ul>`
}
