/**
 * The footer the old Jekyll site's generator appended to every post (REAL-SITE.md): the article's own share
 * link, or for rolling news (`emnews`) the original article on eastmoney, then the 返回 links to the old
 * domain. The body is stored as uploaded; the footer is read from it at upload (identity, original source)
 * and left out wherever the body is shown.
 */

/** What the old footer of a body says, and the body without it. */
export interface LegacyFooter {
  /** The body without the footer lines (and without the blank lines before them). */
  readonly content: string
  /** The infoCode of the footer's own share link (`<http://host/html_News/NewsShare.html?infoCode=NW…>`). */
  readonly shareInfoCode: string | undefined
  /** The original article the footer links (`<http://finance.eastmoney.com/news/1354,….html>`). */
  readonly originalUrl: string | undefined
}

// Each footer line stands alone. A share link or an original-source link is a Markdown autolink on its own
// line; `<>` is what the generator wrote when it had no link; the 返回 links are one or more Markdown links
// whose text starts with 返回, separated by ｜ or |.
const SHARE_LINE = /^<https?:\/\/[^\s<>]*\/NewsShare\.html\?(?:[^\s<>]*?&)?infoCode=([A-Z]{2}\d{18})(?![0-9])[^\s<>]*>$/
const ORIGINAL_LINE = /^<(https?:\/\/(?:[a-z0-9-]+\.)*eastmoney\.com\/[^\s<>]*)>$/i
const EMPTY_LINK_LINE = /^<>$/
const BACK_LINKS_LINE = /^(?:\[返回[^\]\n]{0,40}\]\([^()\s]{0,300}\)\s*[｜|]?\s*)+$/

/**
 * Splits a body into what a reader sees and the old site's footer, recognised only at the end of the body:
 * lines of the footer's own kinds, after the last line of text. A share link inside the text is not the
 * footer (it points at another article).
 * @example splitFooter('正文\n\n<http://finews.zning.xyz/html_News/NewsShare.html?infoCode=NW202204162345423378>').shareInfoCode // 'NW202204162345423378'
 */
export function splitFooter(body: string): LegacyFooter {
  const lines = body.split('\n')
  let end = lines.length
  let shareInfoCode: string | undefined
  let originalUrl: string | undefined
  let found = false
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = (lines[i] ?? '').trim()
    if (line === '') continue
    const share = SHARE_LINE.exec(line)
    const original = share ? undefined : ORIGINAL_LINE.exec(line)
    if (share) shareInfoCode ??= share[1]
    else if (original) originalUrl ??= original[1]
    else if (!EMPTY_LINK_LINE.test(line) && !BACK_LINKS_LINE.test(line)) break
    found = true
    end = i
  }
  if (!found) return { content: body, shareInfoCode: undefined, originalUrl: undefined }
  return { content: lines.slice(0, end).join('\n').trimEnd(), shareInfoCode, originalUrl }
}
