import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { renderHtml } from '#shared/content/render-body'
import { sanitiseHtml } from '#shared/feeds/sanitise'
import { checkFragment } from '../../scripts/xss/checks.ts'
import { HOSTILE_BODIES, SMALL_FLOODS } from '../fixtures/hostile-bodies.ts'

const BASE = 'https://news.example.com'
const cases = Object.entries(HOSTILE_BODIES).flatMap(([group, bodies]) => bodies.map((body) => [group, body] as const))

describe('hostile bodies through the real rendering path, checked by parse5', () => {
  it.each(cases)('%s: %j renders to nothing dangerous, in a tree a browser reads back as written', (_, body) => {
    for (const html of [renderHtml(body, BASE), renderHtml(`<p>开头</p>\n\n${body}\n\n<p>结尾</p>`, BASE)]) {
      const findings = checkFragment(html)
      expect(findings.dangerous).toEqual([])
      expect(findings.breakout).toBeUndefined()
    }
  })

  it.each(SMALL_FLOODS.map((body) => [body.slice(0, 24), body]))('flood %j renders well-formed', (_, body) => {
    const findings = checkFragment(renderHtml(body, BASE))
    expect(findings.dangerous).toEqual([])
    expect(findings.breakout).toBeUndefined()
  })

  it.each([
    ['<p =x>after</p><p>still visible?</p>', '<p>after</p><p>still visible?</p>'],
    ['<!-- a --!>text', 'text'],
    ['<svg/>after svg', '<p>after svg</p>'],
    ['&#128;&#150;&#159;', '<p>€–Ÿ</p>'],
    ['<p>&#128;&#x96;&#1;&#159;</p>', '<p>€–Ÿ</p>'],
    [
      '<ul><li><div><li>inner</li></div></li></ul><p>after list</p>',
      '<ul><li><div></div></li><li>inner</li></ul><p>after list</p>',
    ],
  ])('%j keeps what a browser shows: %j', (body, expected) => {
    expect(renderHtml(body, BASE)).toBe(expected)
  })

  it('writes any soup of allowed and foreign tags as a tree parse5 reads back unchanged', () => {
    const tags =
      'p div span b i a li ul ol dl dt dd h2 h3 table caption thead tbody tr td th pre code blockquote figure img br hr svg math form select template'.split(
        ' ',
      )
    const piece = fc.oneof(
      fc
        .constantFrom(...tags)
        .map((t) =>
          t === 'a' ? '<a href="https://x.example">' : t === 'img' ? '<img src="https://x.example/i.png">' : `<${t}>`,
        ),
      fc.constantFrom(...tags).map((t) => `</${t}>`),
      fc.constantFrom('text', ' ', '\n', '<!--', '-->', '&amp;', '<', '/>', '"'),
    )
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), (pieces) => {
        const html = sanitiseHtml(pieces.join(''), { baseUrl: BASE })
        const findings = checkFragment(html)
        return findings.breakout === undefined && findings.dangerous.length === 0
      }),
      { numRuns: 3000 },
    )
  })
})
