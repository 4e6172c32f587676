import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { createApiApp } from '../../functions/api/app.ts'
import { createShareApp } from '../../functions/share/app.ts'
import { hashFor, prepareWrite } from '../../shared/content/prepare.ts'
import { draftFromFields } from '../../shared/domain/article.ts'
import { SITE_ICON } from '../../shared/pages/layout.ts'
import { attr, type Element, isInside, type ParsedPage, parsePage, text } from '../support/parse-html.ts'
import { TEST_KEY, testApiApp, testStack } from '../support/stack.ts'

const BASE = 'https://news.example.com'
const auth = { Authorization: `Bearer ${TEST_KEY}` }

let stack: Awaited<ReturnType<typeof testStack>>
let api: ReturnType<typeof createApiApp>
let share: ReturnType<typeof createShareApp>
let serial = 0

// Every hostile body of the feeds issue, and the classic ways markup has slipped past sanitisers.
const BODIES: Record<string, string> = {
  'CDATA end twice': '<p>a ]]> b ]]><script>alert(1)</script> c</p>]]>',
  'control characters': '<p>a\u0001b\u0008c\u000Bd\u001Fe\u007Ff\u0085g\uFFFE</p>',
  'script element': '<script>alert(1)</script><p>text</p>',
  'upper-case script': '<SCRIPT SRC=//evil.example/x.js></SCRIPT>',
  'split script': '<scr<script>ipt>alert(1)</scr</script>ipt>',
  'onerror image': '<img src=x onerror=alert(1)>',
  'quoted onerror': '<img src="https://img.example/a.png" onerror="alert(1)" onload="alert(2)">',
  'svg onload': '<svg onload=alert(1)><circle r=5 /></svg>',
  'script in svg': '<svg><script>alert(1)</script></svg>',
  'javascript link': '<a href="javascript:alert(1)">click</a>',
  'obfuscated javascript links':
    '<a href="JaVaScRiPt:alert(1)">a</a><a href=" javascript:alert(1)">b</a><a href="java&#x09;script:alert(1)">c</a><a href="&#106;avascript:alert(1)">d</a>',
  'vbscript and data links':
    '<a href="vbscript:msgbox(1)">v</a><a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">d</a>',
  iframe: '<iframe src="javascript:alert(1)"></iframe><iframe srcdoc="<script>alert(1)</script>"></iframe>',
  'object and embed': '<object data="javascript:alert(1)"></object><embed src="javascript:alert(1)">',
  'meta refresh': '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
  'base element': '<base href="javascript:alert(1)//"><a href="x">x</a>',
  'form and button': '<form action="javascript:alert(1)"><button formaction="javascript:alert(2)">go</button></form>',
  'style element and attribute':
    '<style>body{background:url(javascript:alert(1))}</style><p style="background:url(javascript:alert(1))">s</p>',
  'noscript mutation': '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
  'math mutation':
    '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>',
  'comment tricks': '<!--<script>alert(1)</script>--><!-- --!><script>alert(2)</script> --><p>after</p>',
  'unclosed attribute': '<img src="x" onerror="alert(1)"//',
  'markdown javascript link': '[click](javascript:alert(1)) and ![img](javascript:alert(2))',
  'event attribute on allowed tag':
    '<p onclick="alert(1)" onmouseover=alert(2)>para</p><a href="https://x.example" onfocus=alert(3)>x</a>',
  'hidden block': '<div style="display:none"><a href="https://phish.example">hidden</a></div><p>shown</p>',
  'title breaking out': '</title><script>alert(1)</script><p>after title</p>',
  'textarea breakout': '<textarea></textarea><script>alert(1)</script>',
  'template contents': '<template><script>alert(1)</script><img src=x onerror=alert(2)></template>',
}

const TITLES = [
  '</title><script>alert(1)</script>',
  '<b>粗体</b> & <i>斜体</i>',
  'a < b && c > d',
  '"><img src=x onerror=alert(1)>',
  "' onmouseover='alert(1)",
]

const URL_ATTRIBUTES = ['href', 'src', 'action', 'formaction', 'xlink:href', 'data', 'poster', 'background', 'srcset']
const FORBIDDEN_ELEMENTS = [
  'script',
  'iframe',
  'frame',
  'frameset',
  'object',
  'embed',
  'applet',
  'base',
  'form',
  'input',
  'button',
  'textarea',
  'select',
  'noscript',
  'template',
  'math',
]

/** Asserts that a page can run nothing: no script, no handler, no script URL, no foreign markup. */
function assertInert(page: ParsedPage) {
  const offending = (what: string, element: Element) => `${what} on <${element.tagName}>`
  const problems: string[] = []
  for (const element of page.elements) {
    if (FORBIDDEN_ELEMENTS.includes(element.tagName)) problems.push(offending('forbidden element', element))
    if (element.tagName === 'meta' && attr(element, 'http-equiv') !== undefined)
      problems.push(offending('http-equiv', element))
    if (element.tagName === 'style' && element.parentNode && 'tagName' in element.parentNode) {
      if (element.parentNode.tagName !== 'head') problems.push(offending('style outside head', element))
    }
    // The one SVG allowed is the QR code, and it holds nothing but a rect and a path.
    if (element.tagName === 'svg' && !isInside(element, (a) => attr(a, 'class') === 'qr'))
      problems.push(offending('svg outside the QR code', element))
    if (isInside(element, (a) => a.tagName === 'svg') && !['rect', 'path'].includes(element.tagName))
      problems.push(offending('foreign element in svg', element))
    for (const { name, value } of element.attrs) {
      if (/^on/i.test(name)) problems.push(offending(`handler ${name}`, element))
      if (name === 'style' || name === 'srcdoc') problems.push(offending(`attribute ${name}`, element))
      const compact = value.replace(/[\u0000-\u0020\u007F-\u009F]/g, '').toLowerCase()
      // The one data: URL allowed is the layout's own icon in the head (an image, never a body's link).
      const siteIcon =
        element.tagName === 'link' &&
        attr(element, 'rel') === 'icon' &&
        value === SITE_ICON &&
        value.startsWith('data:image/') &&
        isInside(element, (a) => a.tagName === 'head')
      if (URL_ATTRIBUTES.includes(name) && /^(?:javascript|vbscript|data|livescript):/.test(compact) && !siteIcon)
        problems.push(offending(`${name}=${value}`, element))
    }
  }
  expect(problems).toEqual([])
  expect(page.all('style')).toHaveLength(1)
}

async function uploadJson(fields: Record<string, unknown>) {
  return api.request('/api/articles', {
    method: 'POST',
    headers: { ...auth, 'Content-Type': 'application/json' },
    body: JSON.stringify(fields),
  })
}

function nextInfoCode(): string {
  serial += 1
  return `NW20240301000000${String(serial).padStart(4, '0')}`
}

async function sharePage(infoCode: string): Promise<{ status: number; page: ParsedPage; raw: string }> {
  const response = await share.request(`${BASE}/html_News/NewsShare.html?infoCode=${infoCode}`)
  const raw = await response.text()
  return { status: response.status, page: parsePage(raw), raw }
}

beforeAll(async () => {
  stack = await testStack()
  api = testApiApp(stack.articles, { publicBaseUrl: BASE })
  share = createShareApp({ articles: stack.articles, publicBaseUrl: BASE, siteOffsetMinutes: 480 })
  // A hostile category title and description reach the page through its links and feed titles.
  await stack.articles.putCategory({
    slug: 'hostile',
    title: '</a><script>alert(1)</script>',
    description: '<img src=x onerror=1>',
  })
})
afterAll(() => stack.dispose())

describe('hostile bodies uploaded through the API', () => {
  it.each(Object.entries(BODIES))('%s: the share page runs nothing', async (_, body) => {
    // Prepare
    const infoCode = nextInfoCode()
    const created = await uploadJson({
      infoCode,
      title: '正常标题',
      date: '2024-03-01 10:00:00 +0800',
      categories: ['hostile'],
      tags: ['<script>alert(1)</script>'],
      body: `<p>开头</p>${body}`,
    })
    expect(created.status).toBe(201)

    // Act
    const { status, page } = await sharePage(infoCode)

    // Assess
    expect(status).toBe(200)
    assertInert(page)
    expect(text(page.all('h1')[0])).toBe('正常标题')
  })

  it.each(TITLES)('title %j is shown as text, in the page title, h1 and og:title', async (title) => {
    const infoCode = nextInfoCode()
    const created = await uploadJson({
      infoCode,
      title,
      date: '2024-03-01 10:00:00 +0800',
      categories: ['markets'],
      body: `${title}<p>正文</p>`,
    })
    expect(created.status).toBe(201)

    const { status, page } = await sharePage(infoCode)

    expect(status).toBe(200)
    assertInert(page)
    expect(text(page.all('title')[0])).toBe(`${title} - 财经新闻`)
    expect(text(page.all('h1')[0])).toBe(title)
    expect(page.meta('og:title')).toBe(title)
  })

  it('a Jekyll post with a hostile front-matter title and body', async () => {
    const infoCode = nextInfoCode()
    const post = `---\ninfoCode: ${infoCode}\ntitle: "</title><script>alert(1)</script>"\ndate: 2024-03-01 10:00:00 +0800\ncategories: hostile\n---\n<img src=x onerror=alert(1)><svg onload=alert(1)><a href="javascript:alert(1)">x</a><iframe src=//evil.example></iframe>\n`

    const created = await api.request('/api/articles', {
      method: 'POST',
      headers: { ...auth, 'Content-Type': 'text/markdown' },
      body: post,
    })
    const { status, page } = await sharePage(infoCode)

    expect(created.status).toBe(201)
    expect(status).toBe(200)
    assertInert(page)
    expect(text(page.all('title')[0])).toBe('</title><script>alert(1)</script> - 财经新闻')
  })

  it('control characters are dropped and a future date still renders', async () => {
    const infoCode = nextInfoCode()
    await uploadJson({
      infoCode,
      title: '控制\u0001字符\u007F标题',
      date: '2099-01-01 00:00:00 +0800',
      categories: ['markets'],
      body: '<p>正文\u0002内容</p>',
    })

    const { status, page, raw } = await sharePage(infoCode)

    expect(status).toBe(200)
    expect(text(page.all('h1')[0])).toBe('控制字符标题')
    expect(raw).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/)
  })

  it('lone surrogates are refused at upload', async () => {
    const response = await uploadJson({
      infoCode: nextInfoCode(),
      title: 'a\uD800b',
      date: '2024-03-01',
      categories: ['markets'],
      body: 'x\uDC00y',
    })

    expect(response.status).toBe(400)
  })
})

describe('hostile data that reached the table by another road', () => {
  it('is held to the same rules when the page is rendered', async () => {
    // Prepare: written with the store directly, past the API's checks (lone surrogates, markup everywhere)
    const infoCode = nextInfoCode()
    const draft = draftFromFields(
      {
        infoCode,
        title: 'placeholder',
        date: '2024-03-01 10:00:00 +0800',
        categories: ['hostile'],
        tags: ['"><script>alert(1)</script>'],
        body: Object.values(BODIES).join('\n'),
      },
      { siteOffsetMinutes: 480 },
    )
    const write = {
      ...prepareWrite(draft),
      title: '</title><script>alert(1)</script>\uD800\u0001',
      summary: '"><script>alert(1)</script>',
      source: '<img src=x onerror=alert(1)>',
    }
    await stack.articles.create(write, hashFor(draft))

    // Act
    const { status, page } = await sharePage(infoCode)

    // Assess
    expect(status).toBe(200)
    assertInert(page)
    expect(page.meta('og:description')).toBe('"><script>alert(1)</script>')
    expect(text(page.elements.find((e) => attr(e, 'class') === 'meta'))).toContain('<img src=x onerror=alert(1)>')
  })
})
