import { html, raw } from 'hono/html'
import type { HtmlEscapedString } from 'hono/utils/html'

/** The site's stylesheet, inline in every page: mobile first, no web fonts, no script. */
export const SITE_CSS = `
*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;font:17px/1.75 -apple-system,BlinkMacSystemFont,"PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC",sans-serif;color:#1f2328;background:#fafafa;overflow-wrap:anywhere}
header.site,footer.site{background:#9e1b1b;color:#fff;padding:.6rem 1rem}
header.site a,footer.site a{color:#fff;text-decoration:none;font-weight:600}
footer.site{background:#f0f0f0;color:#555;font-size:.85rem;margin-top:2rem}
footer.site a{color:#555;font-weight:400}
main{max-width:46rem;margin:0 auto;padding:1rem;background:#fff;min-height:60vh}
h1{font-size:1.45rem;line-height:1.4;margin:.4rem 0 .6rem}
.meta{color:#666;font-size:.88rem;margin-bottom:1rem}
.meta a{color:#9e1b1b}
article img,article video{max-width:100%;height:auto}
article table{display:block;max-width:100%;overflow-x:auto;border-collapse:collapse}
article td,article th{min-width:5em;padding:.25rem .5rem;border:1px solid #e3e3e3;vertical-align:top}
article pre{max-width:100%;overflow-x:auto;white-space:pre-wrap}
article a{color:#0b57a4}
ul.items{list-style:none;padding:0;margin:0}
ul.items li{padding:.7rem 0;border-bottom:1px solid #eee}
ul.items a.title{color:#1f2328;text-decoration:none;font-weight:600;font-size:1.05rem;line-height:1.5}
ul.items .item-meta{margin:.15rem 0 0;color:#888;font-size:.8rem;line-height:1.5}
ul.items .item-meta a{color:#9e1b1b;text-decoration:none;font-weight:400;background:#f7eded;border-radius:3px;padding:0 .3rem;white-space:nowrap}
ul.items .summary{color:#555;font-size:.9rem;margin:.2rem 0 0}
nav.pager{display:flex;justify-content:space-between;gap:1rem;margin:1.2rem 0 .4rem;font-size:.95rem}
nav.pager a{color:#9e1b1b}
.categories h2{font-size:1.05rem;margin:1.2rem 0 .3rem;color:#9e1b1b}
.categories ul{list-style:none;padding:0;margin:0;display:flex;flex-wrap:wrap;gap:.3rem .9rem}
.categories a{color:#1f2328}
.subscribe{font-size:.88rem;color:#555}
.subscribe a{color:#9e1b1b;margin-right:.6rem}
.more{font-size:.92rem;color:#555}
.more a,.qr a{color:#9e1b1b}
.qr{margin:1.5rem 0;text-align:center;color:#666;font-size:.85rem}
.qr svg{width:160px;height:160px}
`.replace(/\n/g, '')

/**
 * The site's icon, inline (an image: it runs nothing): without one every browser asks for /favicon.ico, which
 * neither the bucket nor the share function has (a 404 in the console of every first visit, a request per visitor).
 */
export const SITE_ICON =
  "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'%3E%3Crect width='16' height='16' rx='3' fill='%239e1b1b'/%3E%3C/svg%3E"

/** What every page needs besides its body. */
export interface PageOptions {
  readonly title: string
  readonly siteName: string
  readonly baseUrl: string
  /** Extra elements for `<head>` (meta tags, alternate links), built with `html`. */
  readonly head?: HtmlEscapedString | Promise<HtmlEscapedString>
  readonly body: HtmlEscapedString | Promise<HtmlEscapedString>
}

/**
 * A whole HTML5 page in the site's look, `lang="zh-CN"`, escaped by construction (`hono/html`).
 * @example await page({ title: '首页', siteName: '财经新闻', baseUrl, body: html`<p>…</p>` })
 */
export function page(options: PageOptions): Promise<HtmlEscapedString> {
  return html`<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${options.title}</title>
<link rel="icon" href="${SITE_ICON}">
<style>${raw(SITE_CSS)}</style>
${options.head ?? ''}
</head>
<body>
<header class="site"><a href="${options.baseUrl}/">${options.siteName}</a></header>
<main>
${options.body}
</main>
<footer class="site"><a href="${options.baseUrl}/">首页</a> · <a href="${options.baseUrl}/categories.html">全部栏目</a> · <a href="${options.baseUrl}/feeds/index.opml">订阅源 (OPML)</a></footer>
</body>
</html>
` as Promise<HtmlEscapedString>
}
