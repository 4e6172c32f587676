import { readdirSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { renderHtml } from '#shared/content/render-body'
import { summariseBody } from '#shared/content/summary'
import { draftFromFields, parseJekyll } from '#shared/domain/article'
import { splitFooter } from '#shared/domain/footer'
import { LEGACY_HOSTS } from '#shared/domain/urls'

const BASE = 'https://news.example.com'
const SITE = { siteOffsetMinutes: 480 }
const share = (infoCode: string) => `${BASE}/html_News/NewsShare.html?infoCode=${infoCode}`
const LEGACY = new RegExp(LEGACY_HOSTS.map((host) => host.replaceAll('.', '\\.')).join('|'))

// The real site's posts as they are (tests/fixtures/real-site/README.md names the source).
const REAL_POSTS = ['_posts', 'old_post'].flatMap((folder) => {
  const dir = new URL(`../fixtures/real-site/${folder}/`, import.meta.url)
  return readdirSync(dir).map((file) => ({ file: `${folder}/${file}`, text: readFileSync(new URL(file, dir), 'utf8') }))
})

/** The body of a real post (some have front matter YAML cannot read; the body is what follows it). */
function bodyOf(text: string): string {
  return text.replace(/^\n?---\n[\s\S]*?\n---\n?/, '')
}

describe('the old footer', () => {
  it.each(REAL_POSTS.map((post) => [post.file, post.text]))(
    '%s: recognised and kept out of what is shown',
    (file, text) => {
      const body = bodyOf(text)
      const footer = splitFooter(body)
      const digits = /(\d{18})\.md$/.exec(file)?.[1]

      expect(footer.content).not.toMatch(LEGACY)
      expect(footer.content).not.toMatch(/NewsShare|\[返回|^<>$/m)
      expect(renderHtml(body, BASE)).not.toMatch(LEGACY)
      expect(summariseBody(body).summary).not.toMatch(/返回|eastmoney\.com\/news|NewsShare/)
      if (/-NW\d{18}\.md$/.test(file)) expect(footer.shareInfoCode).toBe(`NW${digits}`)
      else expect(footer.shareInfoCode).toBeUndefined()
      // Rolling news names its original on eastmoney, carrying the same 18 digits.
      if (/emnews/.test(text) && /eastmoney\.com\/news/.test(body)) {
        expect(footer.originalUrl).toMatch(new RegExp(`^http://[a-z]+\\.eastmoney\\.com/news/\\d+,${digits}\\.html$`))
      }
    },
  )

  it('leaves a body without a footer as it is, and reads every variant REAL-SITE.md lists', () => {
    expect(splitFooter('<p>正文</p>')).toEqual({
      content: '<p>正文</p>',
      shareInfoCode: undefined,
      originalUrl: undefined,
    })
    const variants = [
      '<http://choicewzp1.eastmoney.com/html_News/NewsShare.html?infoCode=NW202204162345423378>\n\n[返回X新闻](//finews.withounder.com/category/x.html)｜[返回首页](//finews.withounder.com/)',
      '<http://finews.zning.xyz/html_News/NewsShare.html?infoCode=NW202204162345423378>\n\n[返回X新闻](//finews.withounder.com/x/)｜[返回首页](//finews.withounder.com/)',
      '<http://finance.eastmoney.com/news/1354,202204162345423378.html>\n\n[返回东财滚动新闻](//finews.zning.me/emnews/)\n[返回首页](//finews.zning.me/)',
      '<http://finance.eastmoney.com/news/1354,202204162345423378.html>\n\n[返回东财滚动新闻](../emnews/)\n[返回首页](../)',
      '<>\n\n[返回东财滚动新闻](//finews.withounder.com/emnews/)｜[返回首页](//finews.withounder.com/)',
    ]
    for (const footer of variants) {
      const split = splitFooter(`<p>正文</p>\n\n${footer}`)
      expect(split.content).toBe('<p>正文</p>')
      expect(split.shareInfoCode ?? split.originalUrl ?? footer.startsWith('<>')).toBeTruthy()
    }
  })

  it('takes the infoCode from the footer only, never from a share link inside the text', () => {
    const fields = { title: 't', date: '2024-01-01', categories: 'a' }
    const inText =
      '<p>相关：<a href="http://finews.zning.xyz/html_News/NewsShare.html?infoCode=NW202201010000000001">旧文</a></p>'
    const autolinkInText = '见 <http://finews.zning.xyz/html_News/NewsShare.html?infoCode=NW202201010000000001> 一文。'
    const footer = '\n\n<http://finews.zning.xyz/html_News/NewsShare.html?infoCode=NW202202020000000002>\n'

    expect(draftFromFields({ ...fields, body: inText }, SITE).infoCode).toBeUndefined()
    expect(draftFromFields({ ...fields, body: autolinkInText }, SITE).infoCode).toBeUndefined()
    expect(draftFromFields({ ...fields, body: inText + footer }, SITE).infoCode).toBe('NW202202020000000002')
    expect(draftFromFields({ ...fields, infoCode: 'NW202303030000000003', body: inText + footer }, SITE).infoCode).toBe(
      'NW202303030000000003',
    )
  })

  it('keeps the original-source URL of a rolling-news post on the draft', () => {
    const post = REAL_POSTS.find((p) => p.file === '_posts/2022-05-26-202205262391921712.md')
    const draft = draftFromFields(parseJekyll(post?.text ?? ''), SITE)
    expect(draft.originalUrl).toBe('http://finance.eastmoney.com/news/1354,202205262391921712.html')
    expect(draft.infoCode).toBeUndefined()
  })
})

describe('links to legacy share pages inside a body', () => {
  const code = 'NW202201010000000001'
  it.each([
    [`http://finews.zning.xyz/html_News/NewsShare.html?infoCode=${code}`, share(code)],
    [`http://choicewzp1.eastmoney.com/html_News/NewsShare.html?infoCode=${code}`, share(code)],
    [`https://finews.withounder.com/html_News/NewsShare.html?infoCode=${code}`, share(code)],
    [`//finews.zning.me/html_News/NewsShare.html?infoCode=${code}`, share(code)],
    [`html_News/NewsShare.html?infoCode=${code}`, share(code)],
    [`../html_News/NewsShare.html?x=1&infoCode=${code}`, share(code)],
    ['//finews.withounder.com/category/Wind.html', `${BASE}/category/Wind.html`],
    [
      'http://finews.zning.me/emnews/2022/05/26/202205262391921712.html',
      `${BASE}/emnews/2022/05/26/202205262391921712.html`,
    ],
    ['https://quote.eastmoney.com/unify/r/1.600160', 'https://quote.eastmoney.com/unify/r/1.600160'],
  ])('%s → %s', (href, expected) => {
    const html = renderHtml(`<p>见<a href="${href}">旧文</a>。</p>`, BASE)
    expect(html).toBe(`<p>见<a href="${expected.replaceAll('&', '&amp;')}">旧文</a>。</p>`)
  })

  it("shows this site's URL as the text of an autolink to a legacy page, too", () => {
    const html = renderHtml(`见 <http://finews.zning.xyz/html_News/NewsShare.html?infoCode=${code}> 一文。`, BASE)
    expect(html).toBe(`<p>见 <a href="${share(code)}">${share(code)}</a> 一文。</p>`)
  })

  it('drops a link to another page of the old share host (nothing answers it here), keeping its text', () => {
    expect(renderHtml('<p><a href="http://choicewzp1.eastmoney.com/other.html">文</a></p>', BASE)).toBe(
      '<p><a>文</a></p>',
    )
  })
})
