import { readFileSync } from 'node:fs'
import { runInNewContext } from 'node:vm'
import { describe, expect, it } from 'vitest'
import { categorySlug } from '#shared/domain/categories'
import { MOVED_PAGES } from '#shared/domain/legacy-urls'

const code = readFileSync(new URL('../../infra/cloudfront/legacy-redirects.js', import.meta.url), 'utf8')
// The first 100 category names of the real site (tests/fixtures/real-site/README.md).
const realNames = readFileSync(new URL('../fixtures/real-site/category-names-first-100.txt', import.meta.url), 'utf8')
  .split('\n')
  .filter((line) => line.length > 0)

interface Redirect {
  statusCode: number
  headers: Record<string, { value: string }>
}

/** Runs the CloudFront Function's code on a viewer-request event, as CloudFront would. */
function viewerRequest(uri: string): Redirect | { uri: string } {
  const event = { request: { method: 'GET', uri, querystring: {}, headers: {} } }
  const context: { event: typeof event; result?: Redirect | { uri: string } } = { event }
  runInNewContext(`${code}\nresult = handler(event)`, context)
  return context.result as Redirect | { uri: string }
}

const encodePath = (name: string) => encodeURIComponent(name).replace(/%28/g, '(').replace(/%29/g, ')')

describe('CloudFront Function on the old site URLs', () => {
  it.each(Object.entries(MOVED_PAGES))(
    'answers %s, a moved page the stack routes to it, with one 301 to %s',
    (uri, to) => {
      expect(viewerRequest(uri)).toMatchObject({ statusCode: 301, headers: { location: { value: to } } })
    },
  )

  it.each(realNames)(
    'sends /category/%s.html to its slug page when it is not its slug, as categorySlug says',
    (name) => {
      // Both ways a browser may write the path: parentheses kept or encoded.
      for (const uri of [`/category/${encodePath(name)}.html`, `/category/${encodeURIComponent(name)}.html`]) {
        const result = viewerRequest(uri)
        const slug = categorySlug(name)
        if (slug === name) expect(result).toMatchObject({ uri })
        else
          expect(result).toMatchObject({ statusCode: 301, headers: { location: { value: `/category/${slug}.html` } } })
      }
    },
  )

  it('lets slugs, other paths and names it cannot read through to the bucket', () => {
    for (const uri of [
      '/category/wind.html',
      '/category/宏观.html',
      '/category/%E5%AE%8F.html',
      '/',
      '/feeds/atom.xml',
      '/emnews/2022/05/26/202205262391921712',
    ]) {
      expect(viewerRequest(uri)).toMatchObject({ uri })
    }
    expect(viewerRequest('/category/%E0%A4%A.html')).toMatchObject({ uri: '/category/%E0%A4%A.html' })
  })
})
