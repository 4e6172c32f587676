/** The public URLs of an article, derived from the site's base URL; ids in every feed use `shareUrl`. */
export function shareUrl(baseUrl: string, infoCode: string): string {
  return new URL(`/html_News/NewsShare.html?infoCode=${encodeURIComponent(infoCode)}`, `${baseUrl}/`).href
}

/** The short link of an article. */
export function shortUrl(baseUrl: string, shortCode: string): string {
  return new URL(`/s/${encodeURIComponent(shortCode)}`, `${baseUrl}/`).href
}

/** The human page of a category. */
export function categoryPageUrl(baseUrl: string, slug: string): string {
  return new URL(`/category/${slug}.html`, `${baseUrl}/`).href
}

/** The URL a feed file is served at; `slug` undefined for the site-wide feeds. */
export function feedUrl(baseUrl: string, slug: string | undefined, file: 'rss.xml' | 'atom.xml' | 'feed.json'): string {
  return new URL(slug ? `/feeds/${slug}/${file}` : `/feeds/${file}`, `${baseUrl}/`).href
}
