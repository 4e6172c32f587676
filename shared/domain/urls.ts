import { isInfoCode } from './codes.ts'

/** The public URLs of an article, derived from the site's base URL; ids in every feed use `shareUrl`. */
export function shareUrl(baseUrl: string, infoCode: string): string {
  return new URL(sharePath(infoCode), `${baseUrl}/`).href
}

function sharePath(infoCode: string): string {
  return `/html_News/NewsShare.html?infoCode=${encodeURIComponent(infoCode)}`
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

// The old site's own hosts: its paths (posts, category pages, feed) are answered here, by a redirect where moved.
const OLD_SITE_HOSTS: readonly string[] = ['finews.withounder.com', 'finews.zning.me', 'finews.zning.xyz']

/** Hosts of the old Jekyll site and of its share pages: links to them are shown pointing at this site. */
export const LEGACY_HOSTS: readonly string[] = [...OLD_SITE_HOSTS, 'choicewzp1.eastmoney.com']

/** Where a link of an uploaded body points when shown on this site (see `legacyLinkTargets`). */
export type LinkTarget = (url: URL) => string | null | undefined

/**
 * Where the links of an uploaded body point when shown on the site at `baseUrl` (parsed once, for every link):
 * a legacy share page (`NewsShare.html?infoCode=` on an old host or this site, or relative) becomes this site's
 * share URL; another page of the old site becomes the same path here; any other path on an old share host has
 * no page here (null: the link is dropped, its text stays). Undefined leaves the URL as it is.
 * @example legacyLinkTargets('https://news.example.com')(new URL('http://finews.zning.xyz/html_News/NewsShare.html?infoCode=NW202204162345423378'))
 * // 'https://news.example.com/html_News/NewsShare.html?infoCode=NW202204162345423378'
 */
export function legacyLinkTargets(baseUrl: string): LinkTarget {
  const base = new URL(`${baseUrl}/`)
  return (url) => {
    const host = url.hostname.toLowerCase()
    const ours = host === base.hostname
    if (!ours && !LEGACY_HOSTS.includes(host)) return undefined
    const infoCode = url.searchParams.get('infoCode') ?? ''
    if (/\/NewsShare\.html$/i.test(url.pathname) && isInfoCode(infoCode)) return new URL(sharePath(infoCode), base).href
    if (ours) return undefined
    if (OLD_SITE_HOSTS.includes(host)) return new URL(`${url.pathname}${url.search}${url.hash}`, base).href
    return null
  }
}

/**
 * A Markdown body whose autolinks to legacy pages (`<http://finews.zning.xyz/html_News/NewsShare.html?infoCode=…>`)
 * show this site's URL, as their text is the URL itself; other autolinks are left as they are.
 * @example rewriteLegacyAutolinks('<http://finews.zning.me/emnews/>', legacyLinkTargets('https://news.example.com')) // '<https://news.example.com/emnews/>'
 */
export function rewriteLegacyAutolinks(markdown: string, targetOf: LinkTarget): string {
  return markdown.replace(/<(https?:\/\/[^\s<>]{1,2000})>/gi, (whole, href: string) => {
    try {
      const target = targetOf(new URL(href))
      return typeof target === 'string' ? `<${target}>` : whole
    } catch {
      return whole
    }
  })
}
