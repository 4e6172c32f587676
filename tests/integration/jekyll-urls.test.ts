// Every URL the old Jekyll site published leads, in one 301, to the same article on this stack (README "Old URLs").
// The real site's files (tests/fixtures/real-site, from github zning1994/finews) are built with Jekyll (Debian
// `jekyll` and `ruby-jekyll-feed`, installed by .ci/run), imported with the importer into the local pipeline
// (DynamoDB Local, s3rver), and every post URL Jekyll publishes is requested. Jekyll does not publish `old_post/`:
// its files are built as posts in a second temporary copy, so Jekyll computes their URLs too.
import { execFile } from 'node:child_process'
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { categorySlug } from '#shared/domain/categories'
import { shareUrl } from '#shared/domain/urls'
import type { Pipeline } from '../../local/pipeline.ts'
import type { ImportSummary } from '../../scripts/import/importer.ts'
import { REAL_SITE as FIXTURES, type ImportedRealSite, importRealSite } from '../support/real-site.ts'
import { TEST_KEY } from '../support/stack.ts'

// The site's own _config.yml names a theme gem and Google Analytics: off, so the build needs no network; not
// safe mode, so jekyll-feed (its /feed.xml) loads as on the real site.
const OVERRIDE = 'theme: false\nsafe: false\ngoogle_analytics: null\nplugins: [jekyll-feed]\n'
// A page Jekyll renders with every post it publishes: its URL (as a browser requests it), source and title.
const LISTING = `---
layout: null
permalink: /post-urls.txt
---
{% for post in site.posts %}{{ post.url }}\t{{ post.path }}\t{{ post.title }}
{% endfor %}`

interface Published {
  readonly url: string
  readonly file: string
  readonly title: string
}

let stack: ImportedRealSite['stack']
let pipeline: Pipeline
let dir: string
let imported: ImportSummary
const published: Published[] = []
let feedXml: string
let emnewsPublished: boolean

const run = promisify(execFile)

/** Builds `posts` (a folder of post files) as the `_posts` of a copy of the site; returns what it published. */
async function jekyllBuild(name: string, posts: string): Promise<Published[]> {
  const source = join(dir, name, 'src')
  const destination = join(dir, name, 'site')
  await mkdir(source, { recursive: true })
  await cp(posts, join(source, '_posts'), { recursive: true })
  await cp(join(FIXTURES, 'category'), join(source, 'category'), { recursive: true })
  await cp(join(FIXTURES, '_config.yml'), join(source, '_config.yml'))
  await cp(join(FIXTURES, 'emnews.md'), join(source, 'emnews.md'))
  await writeFile(join(dir, name, 'override.yml'), OVERRIDE)
  await writeFile(join(source, 'post-urls.txt'), LISTING)
  const config = `${join(source, '_config.yml')},${join(dir, name, 'override.yml')}`
  try {
    await run('jekyll', ['build', '--source', source, '--destination', destination, '--config', config], {
      timeout: 120_000,
    })
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT') throw new Error('jekyll is not installed: apt-get install jekyll ruby-jekyll-feed')
    throw error
  }
  if (name === 'posts') {
    feedXml = await readFile(join(destination, 'feed.xml'), 'utf8')
    emnewsPublished = (await readFile(join(destination, 'emnews', 'index.html'), 'utf8')).length > 0
  }
  const listing = await readFile(join(destination, 'post-urls.txt'), 'utf8')
  return listing
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const [url, file, title] = line.split('\t') as [string, string, string]
      return { url, file: join(posts, file.replace(/^_posts\//, '')), title }
    })
}

/** GET without following redirects. */
function get(path: string): Promise<Response> {
  return fetch(`${pipeline.url}${path}`, { redirect: 'manual' })
}

/** Follows exactly one 301 and returns the page it leads to (which must not redirect again). */
async function oneHop(path: string): Promise<{ location: string; page: Response }> {
  const moved = await get(path)
  await moved.arrayBuffer()
  expect(moved.status, path).toBe(301)
  const location = moved.headers.get('location') as string
  const page = await fetch(new URL(location, pipeline.url), { redirect: 'manual' })
  expect(page.status, `${path} -> ${location}`).toBe(200)
  return { location, page }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'finews-jekyll-'))
  published.push(
    ...(await jekyllBuild('posts', join(FIXTURES, '_posts'))),
    ...(await jekyllBuild('old', join(FIXTURES, 'old_post'))),
  )
  ;({ stack, pipeline, imported } = await importRealSite(join(dir, 'state.jsonl')))
}, 300_000)

afterAll(async () => {
  await pipeline?.stop()
  await stack?.dispose()
  if (dir) await rm(dir, { recursive: true, force: true })
})

describe('the old Jekyll site, built from its own files', () => {
  it('publishes every post of both folders (Jekyll found them all)', async () => {
    const named = async (folder: string) =>
      (await readdir(join(FIXTURES, folder))).filter((name) => /^\d{4}-\d{2}-\d{2}-.+\.md$/.test(name)).length
    expect(published.length).toBe((await named('_posts')) + (await named('old_post')))
    expect(published.map((p) => p.url)).toContain('/sitenews/2021/12/01/init.html')
  })

  it('leads from every post URL it published, in one 301, to the share page of its article', async () => {
    const codeOf = new Map(imported.results.map((r) => [resolve(r.file), r.infoCode]))
    for (const post of published) {
      // The article a file became (merged copies included); files Jekyll read without front matter are the
      // article of their digits, whose other copy was imported.
      const digits = /(?:NW)?(\d{18})\.md$/.exec(post.file)?.[1]
      const expected = codeOf.get(post.file) ?? (digits ? `NW${digits}` : undefined)
      expect(expected, post.file).toBeDefined()

      const { location, page } = await oneHop(post.url)

      expect(location, post.url).toBe(shareUrl(pipeline.url, expected as string))
      // The same URL without `.html` (its feed entry's id; GitHub Pages, which served the site, answered it).
      const bare = post.url.replace(/\.html$/, '')
      expect((await oneHop(bare)).location, bare).toBe(location)
      const html = await page.text()
      const stored = await stack.articles.get(expected as string)
      expect(stored && 'title' in stored, post.url).toBe(true)
      expect(html).toContain((stored as { title: string }).title)
      // Jekyll's title, where it read one (a file without front matter gets its name as title).
      if (!/^\d{18}$/.test(post.title)) expect(html).toContain(post.title)
    }
  }, 120_000)

  it('leads /feed.xml, where its feed readers poll, to the Atom feed in one 301', async () => {
    expect(feedXml).toMatch(/<link href="https:\/\/finews\.withounder\.com\/feed\.xml" rel="self"/)

    const { location, page } = await oneHop('/feed.xml')

    expect(new URL(location, pipeline.url).pathname).toBe('/feeds/atom.xml')
    expect(page.headers.get('content-type')).toMatch(/^application\/atom\+xml/)
    // Each entry of the old feed is a post URL that leads to its article.
    const links = feedXml
      .split('<entry>')
      .slice(1)
      .map((entry) => /<link href="https:\/\/finews\.withounder\.com([^"]+)" rel="alternate"/.exec(entry)?.[1])
    expect(links.length).toBeGreaterThan(0)
    for (const path of links) await oneHop(path as string)
    // Each entry's id: its post URL without `.html`, which leads to the same article.
    const ids = feedXml
      .split('<entry>')
      .slice(1)
      .map((entry) => /<id>https:\/\/finews\.withounder\.com([^<]+)<\/id>/.exec(entry)?.[1])
    expect(ids.map((id) => `${id}.html`)).toEqual(links)
    for (const path of ids) await oneHop(path as string)
  })

  it('leads its rolling-news page /emnews/ (every emnews post linked back to it) to that category page in one 301', async () => {
    expect(emnewsPublished).toBe(true)
    // The file Jekyll wrote, its folder's URL, and that without the slash (GitHub Pages redirected it).
    for (const path of ['/emnews/index.html', '/emnews/', '/emnews']) {
      const { location, page } = await oneHop(path)
      expect(location, path).toBe('/category/emnews.html')
      expect(await page.text()).toContain('东财滚动新闻')
    }
  })

  it('answers /category/{name}.html of every category name, as written, with its page (one 301 when not a slug)', async () => {
    // The names of its category pages (tests/fixtures/real-site/category), and those its posts carry.
    const pageNames = (await readdir(join(FIXTURES, 'category'))).map((name) => name.replace(/\.html$/, ''))
    const postNames = [
      ...new Set(
        imported.results
          .filter((r) => r.outcome !== 'failed' && r.outcome !== 'skipped')
          .flatMap((r) => [r.infoCode as string]),
      ),
    ]
    const categories = new Set<string>()
    for (const code of postNames) {
      const stored = await stack.articles.get(code)
      for (const name of stored && 'categoryNames' in stored ? stored.categoryNames : []) categories.add(name)
    }
    expect([...categories].sort()).toEqual(
      ['cailianshe', 'emnews', 'meirijingjixinwen', 'quanshangzhongguo', 'shanghaizhengquanbao', 'sitenews'].sort(),
    )
    // The page-only names answer once an article names them.
    const naming = await fetch(`${pipeline.url}/api/articles`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${TEST_KEY}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        title: '分类页面',
        date: '2022-05-01 10:00:00 +0800',
        categories: pageNames,
        body: '正文',
      }),
    })
    expect(naming.status).toBe(201)
    await pipeline.stream.drained()

    for (const name of [...pageNames, ...categories]) {
      const slug = categorySlug(name)
      // As a browser writes the path: spaces encoded, parentheses as they are, or encoded too.
      const paths = [encodeURIComponent(name).replace(/%28/g, '(').replace(/%29/g, ')'), encodeURIComponent(name)]
      for (const written of paths) {
        const path = `/category/${written}.html`
        if (slug === name) {
          expect((await get(path)).status, path).toBe(200)
          continue
        }
        const { location } = await oneHop(path)
        expect(location, path).toBe(`/category/${encodeURIComponent(slug)}.html`)
      }
    }
  }, 60_000)

  it('answers an old URL it never published with a 404 page', async () => {
    for (const path of ['/emnews/2021/12/08/unknown.html', '/sitenews/2021/12/02/init.html']) {
      const answer = await get(path)
      expect(answer.status, path).toBe(404)
      expect(answer.headers.get('content-type')).toMatch(/^text\/html/)
    }
  })
})
