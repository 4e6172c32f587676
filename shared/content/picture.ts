import { tokenizeHtml } from '../html/tokenize.ts'

/** The first http(s) image of a sanitised body, absolute: the preview picture of social networks. */
export function firstImage(body: string): string | undefined {
  for (const token of tokenizeHtml(body)) {
    if (token.type !== 'open' || token.name !== 'img') continue
    const src = token.attributes.get('src')
    if (src && /^https?:\/\//i.test(src)) return src
  }
  return undefined
}

/**
 * The article's picture, absolute: Jekyll's `image` (a path is on this site, `//host/…` is https), else the
 * first image of its sanitised body. `og:image` of the share page and the thumbnail in feeds.
 * @example articlePicture({ image: '/img/a.png' }, '', 'https://news.example.com') // 'https://news.example.com/img/a.png'
 */
export function articlePicture(
  article: { readonly image?: string | undefined },
  html: string,
  baseUrl: string,
): string | undefined {
  if (article.image) {
    try {
      const raw = article.image.startsWith('//') ? `https:${article.image}` : article.image
      const url = new URL(raw, `${baseUrl}/`)
      if (url.protocol === 'http:' || url.protocol === 'https:') return url.href
    } catch {
      // Validated at upload; an unreadable stored value falls back to the body's picture.
    }
  }
  return firstImage(html)
}
