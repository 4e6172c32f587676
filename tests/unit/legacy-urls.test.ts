import { describe, expect, it } from 'vitest'
import {
  fileNameInfoCode,
  jekyllPostPath,
  LEGACY_PATH_MAX_BYTES,
  legacyPostTarget,
  normalisePath,
  recordedPaths,
} from '#shared/domain/legacy-urls'
import { keys } from '#shared/table'

const at = (iso: string) => Date.parse(iso)

describe('the infoCode a file name gives', () => {
  it.each([
    ['2022-05-26-NW202205262391921712.md', 'NW202205262391921712'],
    ['2022-05-26-202205262391921712.md', 'NW202205262391921712'],
    ['-202205262391921712.md', 'NW202205262391921712'],
    ['2021-12-01-init.md', undefined],
    ['2022-05-26-NW2022052623919217.md', undefined],
    ['2022-05-26-x202205262391921712.md', undefined],
  ])('%s: %s', (name, code) => {
    expect(fileNameInfoCode(name)).toBe(code)
  })
})

describe('the URL Jekyll published a post at', () => {
  it('joins the categories lower-cased, the date in site time and the name without date', () => {
    const path = (fileName: string, categories: string[], iso: string) =>
      jekyllPostPath({ fileName, categories, epochMs: at(iso), siteOffsetMinutes: 480 })

    expect(path('2021-12-01-init.md', ['sitenews'], '2021-12-01T13:33:50+08:00')).toBe('/sitenews/2021/12/01/init.html')
    // 00:19 in Shanghai is the previous day in UTC: the URL has the site's day.
    expect(path('2022-05-26-202205262391921712.md', ['emnews'], '2022-05-26T00:19:55+08:00')).toBe(
      '/emnews/2022/05/26/202205262391921712.html',
    )
    expect(path('2022-05-20-NW1.md', ['Career', 'In', 'touxingPEVC'], '2022-05-20T10:00:00+08:00')).toBe(
      '/career/in/touxingpevc/2022/05/20/NW1.html',
    )
    expect(
      path(
        '2022-05-20-a b.md',
        ['anxinguojizhengquan(xianggang)', 'ITzhijia', 'itzhijia'],
        '2022-05-20T10:00:00+08:00',
      ),
    ).toBe('/anxinguojizhengquan(xianggang)/itzhijia/2022/05/20/a-b.html')
    expect(path('2022-05-20-x.md', [], '2022-05-20T10:00:00+08:00')).toBe('/2022/05/20/x.html')
    expect(path('-202205262391921712.md', ['emnews'], '2022-05-20T10:00:00+08:00')).toBeUndefined()
  })
})

describe('what an old post URL leads to', () => {
  it('gives the infoCode of a name of 18 digits without a read, and looks up any other post-shaped path', () => {
    expect(legacyPostTarget('/emnews/2022/05/26/202205262391921712.html')).toEqual({ infoCode: 'NW202205262391921712' })
    expect(legacyPostTarget('/itzhijia/2022/05/20/NW202205202385432124.html')).toEqual({
      infoCode: 'NW202205202385432124',
    })
    expect(legacyPostTarget('/2022/05/20/NW202205202385432124.html')).toEqual({ infoCode: 'NW202205202385432124' })
    expect(legacyPostTarget('/sitenews/2021/12/01/init.html')).toEqual({ lookup: '/sitenews/2021/12/01/init.html' })
    expect(legacyPostTarget('/anxinguojizhengquan%28xianggang%29/2022/05/20/%E5%BC%80.html')).toEqual({
      lookup: '/anxinguojizhengquan(xianggang)/2022/05/20/开.html',
    })
  })

  it('reads a post URL without .html (a jekyll-feed entry id, served by GitHub Pages) as the same post', () => {
    expect(legacyPostTarget('/emnews/2022/05/26/202205262391921712')).toEqual({ infoCode: 'NW202205262391921712' })
    expect(legacyPostTarget('/cailianshe/2022/05/31/NW202205312398034850')).toEqual({
      infoCode: 'NW202205312398034850',
    })
    expect(legacyPostTarget('/sitenews/2021/12/01/init')).toEqual({ lookup: '/sitenews/2021/12/01/init.html' })
    expect(legacyPostTarget('/anxinguojizhengquan%28xianggang%29/2022/05/20/%E5%BC%80')).toEqual({
      lookup: '/anxinguojizhengquan(xianggang)/2022/05/20/开.html',
    })
  })

  it.each([
    '/category/Wind.html',
    '/html_News/NewsShare.html',
    '/feeds/atom.xml',
    '/emnews/2022/05/26/x.xml',
    '/emnews/22/05/26/x.html',
    '/emnews/2022/05/26/%E0%A4%A.html',
    '/emnews/2022/05/26/',
    '/emnews/2022/05/26/init/',
    '/emnews/2022/05/26',
  ])('leaves %s alone', (path) => {
    expect(legacyPostTarget(path)).toBeUndefined()
  })
})

describe('paths an upload asks to record', () => {
  it('takes a path or a list, normalised, each once', () => {
    expect(recordedPaths(undefined)).toEqual([])
    expect(recordedPaths('/sitenews/2021/12/01/init.html')).toEqual(['/sitenews/2021/12/01/init.html'])
    expect(recordedPaths(['/a%20b/x.html', '/a b/x.html'])).toEqual(['/a b/x.html'])
  })

  it.each([
    [42],
    [['x.html']],
    [['/a?b=1']],
    [Array.from({ length: 21 }, (_, i) => `/${i}.html`)],
    [`/${'a'.repeat(1100)}`],
    // Under 1024 characters, but 2101 bytes: over DynamoDB's 2048-byte partition key of its item.
    [`/${'长'.repeat(700)}`],
  ])('refuses %j', (value) => {
    expect(() => recordedPaths(value)).toThrow(/redirect_from/)
  })

  it('keeps every accepted path within the key DynamoDB takes (2048 bytes)', () => {
    const longest = `/${'长'.repeat(Math.floor((LEGACY_PATH_MAX_BYTES - 1) / 3))}`
    expect(recordedPaths(longest)).toEqual([longest])
    expect(Buffer.byteLength(keys.legacyPath(longest).pk, 'utf8')).toBeLessThanOrEqual(2048)
    expect(legacyPostTarget(`/a/2021/12/01/${'长'.repeat(700)}.html`)).toBeUndefined()
    // Without .html, the look-up adds it: a name that fits only without it names no recorded path either.
    const bare = `/a/2021/12/01/${'长'.repeat(676)}`
    expect(Buffer.byteLength(bare, 'utf8')).toBeLessThanOrEqual(LEGACY_PATH_MAX_BYTES)
    expect(legacyPostTarget(bare)).toBeUndefined()
    expect(legacyPostTarget(`/a/2021/12/01/${'长'.repeat(674)}`)).toEqual({
      lookup: `/a/2021/12/01/${'长'.repeat(674)}.html`,
    })
  })

  it('decodes once and keeps NFC', () => {
    expect(normalisePath('/e\u0301.html')).toBe('/\u00e9.html')
    expect(normalisePath('relative.html')).toBeUndefined()
  })
})
