// CloudFront Function (cloudfront-js-2.0), viewer request of the moved pages (`MOVED_PAGES` in
// shared/domain/legacy-urls.ts, which its test holds this code to: `/feed.xml`, `/emnews/`, `/emnews`,
// `/emnews/index.html`) and `/category/*`:
// the old Jekyll site's URLs, one 301 each (docs/operations.md, Old URLs). `/feed.xml` (jekyll-feed, what subscribers poll)
// is the site's Atom feed; `/emnews/` (its rolling-news page, `emnews.md`, linked from every rolling-news post)
// is that category's page; `/category/{name as written}.html` is the page of that name's slug when the name
// is not its slug.
// The slug rule is shared/domain/categories.ts's categorySlug; this runtime has no Unicode property escapes
// or normalize(), so it applies it to ASCII names (every name the real site has) and lets any other name
// through to its page as written. tests/infra/legacy-redirects-function.test.ts holds the two rules equal.
// The runtime knows ES 5.1 plus a few later features: no optional chaining, no for-of.

var CACHE = { value: 'public, max-age=86400' }

function redirect(location) {
  return {
    statusCode: 301,
    statusDescription: 'Moved Permanently',
    headers: { location: { value: location }, 'cache-control': CACHE },
  }
}

/** The slug of an ASCII category name; undefined for any other name. */
function asciiSlug(name) {
  if (/[^\x20-\x7e]/.test(name)) return undefined
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
}

// biome-ignore lint/correctness/noUnusedVariables: CloudFront calls `handler` by name.
function handler(event) {
  var request = event.request
  var uri = request.uri
  if (uri === '/feed.xml') return redirect('/feeds/atom.xml')
  if (uri === '/emnews/' || uri === '/emnews' || uri === '/emnews/index.html') return redirect('/category/emnews.html')
  var match = /^\/category\/([^/]+)\.html$/.exec(uri)
  if (!match) return request
  var name
  try {
    name = decodeURIComponent(match[1])
  } catch (_error) {
    return request
  }
  var slug = asciiSlug(name)
  if (slug && slug !== name) return redirect(`/category/${slug}.html`)
  return request
}
