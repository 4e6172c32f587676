import { element } from './xml.ts'

/** One URL of a sitemap: where it is, and when it last changed (W3C datetime). */
export interface SitemapUrl {
  readonly loc: string
  readonly lastmod?: string | undefined
}

/** One article of a Google News sitemap. */
export interface NewsUrl {
  readonly loc: string
  readonly title: string
  /** W3C datetime with its offset. */
  readonly published: string
}

const SITEMAP_NAMESPACE = 'http://www.sitemaps.org/schemas/sitemap/0.9'

/**
 * A sitemap (sitemaps.org 0.9) of up to 50,000 URLs.
 * @example renderUrlset([{ loc: 'https://example.com/', lastmod: '2022-04-16T03:21:56+08:00' }])
 */
export function renderUrlset(urls: readonly SitemapUrl[]): string {
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<urlset xmlns="${SITEMAP_NAMESPACE}">`,
    ...urls.map((url) => `<url>${element('loc', url.loc)}${url.lastmod ? element('lastmod', url.lastmod) : ''}</url>`),
    '</urlset>',
    '',
  ].join('\n')
}

/**
 * A sitemap index of sitemap files, without `lastmod` (optional in the protocol): the index then changes
 * only when a file is added, not with every edit.
 * @example renderSitemapIndex(['https://example.com/sitemaps/categories.xml'])
 */
export function renderSitemapIndex(locations: readonly string[]): string {
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<sitemapindex xmlns="${SITEMAP_NAMESPACE}">`,
    ...locations.map((loc) => `<sitemap>${element('loc', loc)}</sitemap>`),
    '</sitemapindex>',
    '',
  ].join('\n')
}

/**
 * A Google News sitemap: the articles of the last 48 hours (at most 1,000), with publication and title.
 * @example renderNewsSitemap(items, '财经新闻', 'zh-cn')
 */
export function renderNewsSitemap(items: readonly NewsUrl[], publication: string, language: string): string {
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<urlset xmlns="${SITEMAP_NAMESPACE}" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">`,
    ...items.map((item) =>
      [
        '<url>',
        element('loc', item.loc),
        '<news:news>',
        `<news:publication>${element('news:name', publication)}${element('news:language', language)}</news:publication>`,
        element('news:publication_date', item.published),
        element('news:title', item.title),
        '</news:news>',
        '</url>',
      ].join(''),
    ),
    '</urlset>',
    '',
  ].join('\n')
}

/**
 * robots.txt: everything may be crawled but the API and the counted short links; names the sitemaps.
 * @example renderRobots(['https://example.com/sitemap.xml'])
 */
export function renderRobots(sitemaps: readonly string[]): string {
  return [
    'User-agent: *',
    'Disallow: /api/',
    'Disallow: /s/',
    '',
    ...sitemaps.map((url) => `Sitemap: ${url}`),
    '',
  ].join('\n')
}
