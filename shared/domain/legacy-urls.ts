/**
 * The URLs the old Jekyll site published (docs/operations.md, Old URLs), and what each one leads to here. No
 * dependency, so the importer, the api and the share function read the one rule.
 */
import { formatIso } from './dates.ts'

/** Front-matter key (jekyll-redirect-from's) listing old paths of an article that its infoCode does not give. */
export const REDIRECT_FROM_KEY = 'redirect_from'

/**
 * The old site's pages that moved, each to one place here (docs/operations.md, Old URLs): `/feed.xml`
 * (jekyll-feed, what subscribers poll) and the rolling-news page `emnews.md` (`permalink: /emnews/`, linked from
 * every rolling-news post; GitHub Pages answered all three forms). infra/cloudfront/legacy-redirects.js answers
 * them in AWS (tests/infra/legacy-redirects-function.test.ts holds it to this list), the local static site here.
 */
export const MOVED_PAGES: Readonly<Record<string, string>> = {
  '/feed.xml': '/feeds/atom.xml',
  '/emnews/': '/category/emnews.html',
  '/emnews': '/category/emnews.html',
  '/emnews/index.html': '/category/emnews.html',
}

/** At most this many recorded old paths per article. */
export const LEGACY_PATHS_MAX = 20
/** A recorded old path is at most this long (characters). */
export const LEGACY_PATH_MAX_LENGTH = 1024
/**
 * A recorded old path is also at most this many bytes in UTF-8: it is the partition key of its item
 * (`PATH#{path}`, shared/table.ts), which DynamoDB refuses over 2048 bytes (1024 Chinese characters are 3072).
 */
export const LEGACY_PATH_MAX_BYTES = 2048 - 'PATH#'.length

// A post file of a Jekyll site: `{yyyy}-{mm}-{dd}-{slug}.{ext}`.
const POST_FILE = /^(\d{4})-(\d{2})-(\d{2})-(.+)\.[^./]+$/
// Jekyll 4's `Utils.slugify(name, mode: "pretty", cased: true)`, which makes `:title` of a post URL.
const NOT_PRETTY = /[^\p{M}\p{L}\p{Nd}._~!$&'()+,;=@]+/gu
// A post URL with the date Jekyll's default permalink (`/:categories/:year/:month/:day/:title.html`) puts in it,
// or the same without `.html` (a name with no dot): jekyll-feed's entry ids, which GitHub Pages, where the old
// site was served, answered with the post as it does any `{path}.html`.
const POST_URL = /^(\/(?:[^/]+\/)*\d{4}\/\d{2}\/\d{2}\/)(?:([^/]+)\.html|([^/.]+))$/
// The legacy templates name a post by its infoCode's digits: `NW{18}` (source news) or `{18}` (rolling news).
const DIGITS_NAME = /^(?:NW)?(\d{18})$/

/**
 * The infoCode a post's file name gives (`…-NW{18 digits}.md` or `…-{18 digits}.md` is `NW` + the digits).
 * @example fileNameInfoCode('2022-05-26-202205262391921712.md') // 'NW202205262391921712'
 */
export function fileNameInfoCode(fileName: string): string | undefined {
  const match = /(?:^|-)(?:NW)?(\d{18})\.[^./]+$/.exec(fileName)
  return match ? `NW${match[1]}` : undefined
}

/**
 * The path Jekyll 4 publishes a post at with the default permalink: `/{each category lower-cased, once,
 * joined by /}/{yyyy}/{mm}/{dd}/{file name without date and extension}.html`, the date in site time.
 * Undecoded (`/career/in/touxingpevc/…`, `/anxinguojizhengquan(xianggang)/…`); undefined for a file name that
 * does not start with a date (Jekyll does not publish it).
 * @example jekyllPostPath({ fileName: '2021-12-01-init.md', categories: ['sitenews'], epochMs, siteOffsetMinutes: 480 }) // '/sitenews/2021/12/01/init.html'
 */
export function jekyllPostPath(post: {
  readonly fileName: string
  /** As Jekyll reads them: a string split on whitespace, or the list's items. */
  readonly categories: readonly string[]
  /** The post's date (front matter, else the file name's). */
  readonly epochMs: number
  readonly siteOffsetMinutes: number
}): string | undefined {
  const match = POST_FILE.exec(post.fileName)
  if (!match) return undefined
  const title = (match[4] ?? '').replace(NOT_PRETTY, '-').replace(/^-|-$/g, '')
  const day = formatIso(post.epochMs, post.siteOffsetMinutes).slice(0, 10).replace(/-/g, '/')
  const categories = [...new Set(post.categories.map((c) => c.toLowerCase()))]
  return `/${[...categories, day, `${title}.html`].join('/')}`.replace(/\/{2,}/g, '/')
}

/** Where an old post URL leads: an infoCode its last segment gives, or the path to look up among recorded ones. */
export type LegacyPostTarget = { readonly infoCode: string } | { readonly lookup: string }

/**
 * Reads a request path as an old post URL (with or without `.html`): one whose name is `NW{18}` or `{18}`
 * gives the infoCode without a read; any other post-shaped path is looked up (decoded, NFC, with `.html`)
 * among the paths the importer recorded. Undefined when the path is not shaped like a post URL (or its
 * encoding is broken).
 * @example legacyPostTarget('/emnews/2022/05/26/202205262391921712.html') // { infoCode: 'NW202205262391921712' }
 */
export function legacyPostTarget(rawPath: string): LegacyPostTarget | undefined {
  const path = normalisePath(rawPath)
  if (path === undefined) return undefined
  const match = POST_URL.exec(path)
  if (!match) return undefined
  const [, folder, named, bare] = match
  const name = named ?? (bare as string)
  const digits = DIGITS_NAME.exec(name)?.[1]
  if (digits) return { infoCode: `NW${digits}` }
  const lookup = `${folder}${name}.html`
  // `.html` added to a name without it may take the path past what can be recorded: none was, so none is read.
  return withinBounds(lookup) ? { lookup } : undefined
}

/**
 * A path as recorded and looked up: percent-decoded, NFC, at most {@link LEGACY_PATH_MAX_LENGTH} characters and
 * {@link LEGACY_PATH_MAX_BYTES} bytes; undefined when it cannot be decoded or does not start with `/`.
 */
export function normalisePath(rawPath: string): string | undefined {
  let path: string
  try {
    path = decodeURIComponent(rawPath)
  } catch {
    return undefined
  }
  if (!path.startsWith('/') || path.length > LEGACY_PATH_MAX_LENGTH) return undefined
  const normal = path.normalize('NFC')
  return withinBounds(normal) ? normal : undefined
}

function withinBounds(path: string): boolean {
  return path.length <= LEGACY_PATH_MAX_LENGTH && Buffer.byteLength(path, 'utf8') <= LEGACY_PATH_MAX_BYTES
}

/**
 * The old paths an upload asks to record (`redirect_from`: a path or a list of them), normalised, each once;
 * throws a message for anything else.
 */
export function recordedPaths(value: unknown): string[] {
  if (value === undefined || value === null) return []
  const list = typeof value === 'string' ? [value] : value
  if (!Array.isArray(list) || list.some((p) => typeof p !== 'string')) {
    throw new Error(`${REDIRECT_FROM_KEY} must be a path or a list of paths`)
  }
  if (list.length > LEGACY_PATHS_MAX) throw new Error(`${REDIRECT_FROM_KEY} holds at most ${LEGACY_PATHS_MAX} paths`)
  const paths = list.map((raw: string) => {
    const path = normalisePath(raw.trim())
    if (path === undefined || /[\u0000-\u001F\u007F?#]/.test(path)) {
      throw new Error(
        `${REDIRECT_FROM_KEY}: "${raw.slice(0, 60)}" is not a site path (/…, at most ${LEGACY_PATH_MAX_LENGTH} characters and ${LEGACY_PATH_MAX_BYTES} bytes, no query)`,
      )
    }
    return path
  })
  return [...new Set(paths)]
}
