import { html, raw } from 'hono/html'
import type { BodyRenderer } from '#shared/content/guarded-render'
import { articlePicture } from '#shared/content/picture'
import { formatIso } from '#shared/domain/dates'
import type { Article, Category } from '#shared/domain/model'
import { categoryPageUrl, feedUrl, shareUrl, shortUrl } from '#shared/domain/urls'
import { page } from '#shared/pages/layout'
import { qrSvg } from './qr-svg.ts'

/** What every page of the share app knows about the site. */
export interface SiteInfo {
  readonly baseUrl: string
  readonly siteName: string
  readonly siteOffsetMinutes: number
}

/** A category as a page links to it: its slug and its title (the slug when it has none). */
export type CategoryLink = Pick<Category, 'slug' | 'title'>

const FEED_FORMATS = [
  { file: 'rss.xml', type: 'application/rss+xml', label: 'RSS' },
  { file: 'atom.xml', type: 'application/atom+xml', label: 'Atom' },
  { file: 'feed.json', type: 'application/feed+json', label: 'JSON Feed' },
] as const

/**
 * The share page of an article: title, publish time in site time, source, sanitised body, category
 * and home links, a QR code of the short link, feed autodiscovery and every social-preview meta tag.
 * `renderBody` turns the stored body into HTML sanitised by the allow-list (the share app's guarded renderer).
 * @example await renderSharePage(article, [{ slug: 'markets', title: '市场' }], site, guardedRenderer({ baseUrl, log }))
 */
export async function renderSharePage(
  article: Article,
  categories: readonly CategoryLink[],
  site: SiteInfo,
  renderBody: BodyRenderer,
): Promise<string> {
  const base = site.baseUrl
  const canonical = shareUrl(base, article.infoCode)
  const short = shortUrl(base, article.shortCode)
  const published = formatIso(article.publishedAt, site.siteOffsetMinutes)
  // Bodies are stored as uploaded and rendered through the one allow-list here, only for a page that is shown.
  const body = article.body ? renderBody(article.body, article) : ''
  const image = articlePicture(article, body, base)
  const description = article.summary || article.title

  const categoryLinks = categories.map(
    (category, i) => html`${i > 0 ? '、' : ''}<a href="${categoryPageUrl(base, category.slug)}">${category.title}</a>`,
  )
  const feeds = [
    ...FEED_FORMATS.map(
      (f) =>
        html`<link rel="alternate" type="${f.type}" title="${site.siteName} · ${f.label}" href="${feedUrl(base, undefined, f.file)}">`,
    ),
    ...categories.flatMap((category) =>
      FEED_FORMATS.map(
        (f) =>
          html`<link rel="alternate" type="${f.type}" title="${category.title} · ${f.label}" href="${feedUrl(base, category.slug, f.file)}">`,
      ),
    ),
  ]

  const head = html`<meta name="description" content="${description}">
<link rel="canonical" href="${canonical}">
<meta property="og:type" content="article">
<meta property="og:site_name" content="${site.siteName}">
<meta property="og:title" content="${article.title}">
<meta property="og:description" content="${description}">
<meta property="og:url" content="${canonical}">
<meta property="og:locale" content="zh_CN">
${image ? html`<meta property="og:image" content="${image}">` : ''}
<meta name="twitter:card" content="${image ? 'summary_large_image' : 'summary'}">
<meta property="article:published_time" content="${published}">
<meta property="article:modified_time" content="${article.modifiedAt ?? published}">
${article.author ? html`<meta name="author" content="${article.author}">` : ''}
${categories.map((category) => html`<meta property="article:section" content="${category.title}">`)}
${article.tags.map((tag) => html`<meta property="article:tag" content="${tag}">`)}
${feeds.map((link) => html`${link}\n`)}`

  const main = html`<article>
<h1>${article.title}</h1>
<p class="meta"><time datetime="${published}">${displayTime(published)}</time>${
    article.source ? html` · 来源：${article.source}` : ''
  }${article.author ? html` · 作者：${article.author}` : ''}${categoryLinks.length > 0 ? html` · ${categoryLinks}` : ''}</p>
<div class="body">${raw(body)}</div>
${article.originalUrl ? html`<p class="origin">原文链接：<a href="${article.originalUrl}" rel="nofollow noopener">${article.originalUrl}</a></p>` : ''}
</article>
<section class="qr" aria-label="分享">
${raw(qrSvg(short, '本文短链接的二维码'))}
<p>微信扫一扫，分享本文</p>
<p><a href="${short}">${short}</a></p>
</section>
<p class="more">返回 ${categories.map((category) => html`<a href="${categoryPageUrl(base, category.slug)}">${category.title}</a>｜`)}<a href="${base}/">首页</a></p>
<p class="subscribe">订阅：${FEED_FORMATS.map((f) => html`<a href="${feedUrl(base, undefined, f.file)}">${f.label}</a>`)}</p>`

  return (
    await page({
      title: `${article.title} - ${site.siteName}`,
      siteName: site.siteName,
      baseUrl: base,
      head,
      body: main,
    })
  ).toString()
}

/** The wording of each error page, in the reader's language. */
const ERRORS: Record<number, { readonly title: string; readonly text: string }> = {
  400: { title: '链接有误', text: '这个分享链接不完整或格式不对，请检查后再试。' },
  404: { title: '找不到这篇文章', text: '这个链接没有对应的文章，可能是地址输错了。' },
  405: { title: '不支持的请求', text: '这个地址只能用浏览器打开。' },
  410: { title: '文章已删除', text: '这篇文章已被删除，无法再查看。' },
  500: { title: '出错了', text: '服务器暂时出了问题，请稍后再试。' },
  503: { title: '服务繁忙', text: '访问的人太多了，请稍后再试。' },
}

/**
 * An error page in the site's look for `status` (400, 404, 405, 410, 5xx), telling the reader what happened.
 * @example await renderErrorPage(404, site)
 */
export async function renderErrorPage(status: number, site: SiteInfo): Promise<string> {
  const wording = ERRORS[status] ?? (status >= 500 ? ERRORS[500] : ERRORS[400])
  const { title, text } = wording ?? { title: '出错了', text: '' }
  const rendered = await page({
    title: `${title} - ${site.siteName}`,
    siteName: site.siteName,
    baseUrl: site.baseUrl,
    head: html`<meta name="robots" content="noindex">`,
    body: html`<h1>${title}</h1>
<p>${text}</p>
<p class="more"><a href="${site.baseUrl}/">返回首页</a></p>`,
  })
  return rendered.toString()
}

/** `2022-04-16T03:21:56+08:00` as a reader in that zone writes it: `2022-04-16 03:21`. */
function displayTime(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)}`
}
