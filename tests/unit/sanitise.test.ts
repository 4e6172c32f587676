import fc from 'fast-check'
import { parseFragment } from 'parse5'
import { describe, expect, it } from 'vitest'
import { renderHtml } from '#shared/content/render-body'
import { summariseBody } from '#shared/content/summary'
import { sanitiseHtml } from '#shared/feeds/sanitise'
import { decodeEntities } from '#shared/html/entities'
import { FIXTURE_POST } from '../support/fixture.ts'

const BASE = 'https://news.example.com'
const clean = (html: string) => sanitiseHtml(html, { baseUrl: BASE })

describe('sanitiseHtml', () => {
  it.each([
    ['<script>alert(1)</script><p>ok</p>', '<p>ok</p>'],
    ['<SCRIPT type="x">alert(1)</SCRIPT >ok', 'ok'],
    ['<p onclick="x()" style="color:red">hi</p>', '<p>hi</p>'],
    ['<img src=x onerror=alert(1)>', '<img src="https://news.example.com/x">'],
    ['<a href="javascript:alert(1)">x</a>', '<a>x</a>'],
    ['<a href="java\tscript:alert(1)">x</a>', '<a>x</a>'],
    ['<a href=" JAVASCRIPT:alert(1)">x</a>', '<a>x</a>'],
    ['<a href="data:text/html,<script>">x</a>', '<a>x</a>'],
    ['<img src="data:image/png;base64,AAA">', ''],
    ['<svg onload=alert(1)><circle/></svg>after', 'after'],
    ['<iframe src="https://evil.example"></iframe>x', 'x'],
    ['<style>body{display:none}</style>x', 'x'],
    ['<!-- secret -->x', 'x'],
    ['<p style="display:none;height:1px"><br></p><p>shown</p>', '<p>shown</p>'],
    ['<div hidden>h</div>v', 'v'],
    ['a ]]> b ]]> c', 'a ]]&gt; b ]]&gt; c'],
    ['<a href="//finews.withounder.com/x.html">x</a>', '<a href="https://finews.withounder.com/x.html">x</a>'],
    ['<a href="/category/a.html">x</a>', '<a href="https://news.example.com/category/a.html">x</a>'],
    ['<a href="http://a.example/?a=1&b=2">x</a>', '<a href="http://a.example/?a=1&amp;b=2">x</a>'],
    ['<h1>t</h1>', '<h2>t</h2>'],
    ['<p>unclosed <strong>bold', '<p>unclosed <strong>bold</strong></p>'],
    ['</p>stray close', 'stray close'],
    ['x < y & z > w', 'x &lt; y &amp; z &gt; w'],
    ['&ldquo;引号&rdquo;&nbsp;&#x4E2D;&#25991;', '“引号”\u00a0中文'],
    ['a\u0000b\u0008c\uFFFEd\uD800e', 'abcde'],
    ['<img src="https://a.example/i.png" width="100%" height="20">', '<img src="https://a.example/i.png" height="20">'],
    ['<p title="x" class="y" id="z">p</p>', '<p>p</p>'],
    ['<textarea><p>not html</p></textarea>ok', 'ok'],
    ['<object data="x"><param name="a"><embed src="x"></object>ok', 'ok'],
  ])('%j → %j', (input, expected) => {
    expect(clean(input)).toBe(expected)
  })

  it('keeps the reference post readable: text, links, images; no hidden blocks, comments or styles', () => {
    const body = FIXTURE_POST.slice(FIXTURE_POST.indexOf('\n---\n') + 5)
    const html = renderHtml(body, BASE)
    expect(html).toContain('<p>普惠型小微企业贷款余额9606亿元')
    expect(html).toContain('<img src="https://webquoteklinepic.eastmoney.com/GetPic.aspx?nid=1.601658&amp;imageType=k')
    // The old footer (share link, 返回 links to the old domain) is not part of the body a reader sees.
    expect(html).not.toMatch(/finews\.withounder\.com|finews\.zning\.xyz|NewsShare|返回首页/)
    expect(html).not.toMatch(/style=|<!--|display:none|data-code|target=/)
  })

  it('always produces well-formed, balanced markup with no executable parts, whatever the input', () => {
    const fragments = fc.constantFrom(
      '<p>',
      '</p>',
      '<a href="javascript:x">',
      '</a>',
      '<script>',
      '</script>',
      '<img src=x onerror=y>',
      '<svg onload=x>',
      '<!--',
      '-->',
      ']]>',
      '&',
      '&amp;',
      '<',
      '>',
      '"',
      "'",
      '<b',
      '<div style="display:none">',
      '</div>',
      '<br/>',
      'text',
      '中文',
      '\u0000',
      '\uD800',
      '<iframe>',
      '<table><tr><td>',
      '<style>',
      '</style>',
      '<a href=//x.example/y>',
    )
    fc.assert(
      fc.property(fc.array(fragments, { maxLength: 40 }), (parts) => {
        const out = clean(parts.join(''))
        // Parsed as a browser would: no script-like element, no handler, no javascript: URL.
        const stack: unknown[] = [parseFragment(out)]
        while (stack.length > 0) {
          const node = stack.pop() as {
            tagName?: string
            attrs?: { name: string; value: string }[]
            childNodes?: unknown[]
          }
          if (node.tagName) expect(['script', 'style', 'svg', 'iframe', 'math']).not.toContain(node.tagName)
          for (const { name, value } of node.attrs ?? []) {
            expect(name.startsWith('on')).toBe(false)
            expect(value.toLowerCase()).not.toContain('javascript:')
          }
          stack.push(...(node.childNodes ?? []))
        }
        expect(out).not.toContain(']]>')
        expect(out).not.toMatch(/[\u0000\uD800-\uDFFF]/)
      }),
      { numRuns: 400 },
    )
  })
})

describe('summariseBody', () => {
  it('takes the readable text of the reference post and its source', () => {
    const body = FIXTURE_POST.slice(FIXTURE_POST.indexOf('\n---\n') + 5)
    const { summary, source } = summariseBody(body)
    expect(source).toBe('中国经营网')
    expect(summary.startsWith('普惠型小微企业贷款余额9606亿元，稳居国有大行前列')).toBe(true)
    expect([...summary].length).toBe(200)
    expect(summary.endsWith('…')).toBe(true)
  })

  it('takes Markdown marks off', () => {
    expect(summariseBody('# 标题\n\n**粗体** 和 [链接](https://a.example) ![图](x.png)').summary).toBe(
      '标题 粗体 和 链接',
    )
  })
})

describe('decodeEntities', () => {
  it('decodes named, decimal and hex references, and leaves unknown names as written', () => {
    expect(decodeEntities('&amp;&lt;&gt;&quot;&apos;&mdash;&hellip;&#65;&#x42;&unknown;&amp')).toBe(
      '&<>"\'—…AB&unknown;&',
    )
  })
  it('turns NUL and surrogate references into U+FFFD', () => {
    expect(decodeEntities('&#0;&#xD800;')).toBe('\uFFFD\uFFFD')
  })
})
