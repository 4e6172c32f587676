import MarkdownIt, { type Env } from 'markdown-it'
import { splitFooter } from '../domain/footer.ts'
import { legacyLinkTargets, rewriteLegacyAutolinks } from '../domain/urls.ts'
import { type SanitiseOptions, sanitiseHtml } from '../feeds/sanitise.ts'
import { decodeEntities } from '../html/entities.ts'

/**
 * Inline parsing steps one body may spend on Markdown (a step is one place where an inline rule is tried:
 * emphasis, link, code span, raw HTML, entity). A 100 KB news article takes a few thousand; past the budget
 * the rest of each paragraph is shown as text, so a body of nothing but delimiters renders in linear time
 * with a small constant (README, Security).
 */
export const INLINE_STEP_BUDGET = 100_000
/** Blocks one body may start (paragraphs, headings, list items, rules…); past it the rest is one paragraph. */
export const BLOCK_STEP_BUDGET = 20_000

interface RenderEnv {
  steps: number
  blocks: number
}

// CommonMark plus GFM tables and strikethrough, raw HTML passed through as kramdown treats a Jekyll `.md`
// post; the sanitiser decides afterwards what of that HTML survives. markdown-it is linear by design
// (measured against marked, micromark and commonmark.js on the flood families, README).
const markdown = new MarkdownIt({ html: true, linkify: false, typographer: false, breaks: false })
markdown.inline.ruler.before('text', 'finews_budget', (state, silent) => {
  const env = state.env as unknown as RenderEnv
  if (++env.steps <= INLINE_STEP_BUDGET) return false
  if (!silent) state.pending += state.src.slice(state.pos, state.posMax)
  state.pos = state.posMax
  return true
})

// markdown-it turns numeric references to C1 controls into U+FFFD; HTML reads them as Windows-1252
// (`&#150;` is an en dash), and so do we, in Markdown text as in raw HTML (shared/html/entities.ts).
const NUMERIC_REFERENCE = /^&#(?:([0-9]{1,7})|[xX]([0-9a-fA-F]{1,6}));/
markdown.inline.ruler.before('entity', 'finews_c1_reference', (state, silent) => {
  if (state.src.charCodeAt(state.pos) !== 0x26) return false
  const match = NUMERIC_REFERENCE.exec(state.src.slice(state.pos, state.pos + 12))
  if (!match) return false
  const code = match[1] !== undefined ? Number(match[1]) : Number.parseInt(match[2] as string, 16)
  if (code < 0x80 || code > 0x9f) return false
  if (!silent) state.pending += decodeEntities(match[0])
  state.pos += match[0].length
  return true
})

markdown.block.ruler.before('table', 'finews_budget', (state, startLine, endLine, silent) => {
  // Silent calls only ask whether a block could interrupt a paragraph: this one never does.
  if (silent) return false
  const env = state.env as unknown as RenderEnv
  if (++env.blocks <= BLOCK_STEP_BUDGET) return false
  state.push('paragraph_open', 'p', 1).map = [startLine, endLine]
  const inline = state.push('inline', '', 0)
  inline.content = state.getLines(startLine, endLine, state.blkIndent, false).trim()
  inline.map = [startLine, endLine]
  inline.children = []
  state.push('paragraph_close', 'p', -1)
  state.line = endLine
  return true
})

/**
 * Renders a body the way Jekyll renders a `.md` post and sanitises it through the project's allow-list,
 * without the old site's footer and with links to legacy share pages pointing at this site.
 * Used at read time by the feeds and share functions, so a sanitiser change reaches every page on rebuild.
 * @example renderHtml('**hi**', 'https://example.com') // '<p><strong>hi</strong></p>'
 */
export function renderHtml(body: string, baseUrl: string, options: Omit<SanitiseOptions, 'baseUrl'> = {}): string {
  const env: RenderEnv = { steps: 0, blocks: 0 }
  const targetOf = legacyLinkTargets(baseUrl)
  return sanitiseHtml(
    markdown.render(rewriteLegacyAutolinks(splitFooter(body).content, targetOf), env as unknown as Env),
    {
      rewriteHref: (url) => {
        const target = targetOf(url)
        return target === null ? undefined : (target ?? url.href)
      },
      ...options,
      baseUrl,
    },
  )
}
