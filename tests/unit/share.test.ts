import { describe, expect, it } from 'vitest'
import { firstImage } from '#shared/content/picture'
import { coalescingClicks } from '../../functions/share/click-counter.ts'
import { isCrawler } from '../../functions/share/crawlers.ts'
import { qrSvg } from '../../functions/share/qr-svg.ts'
import { TtlLru } from '../../functions/share/ttl-lru.ts'

describe('isCrawler', () => {
  it.each([
    'facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)',
    'Twitterbot/1.0',
    'TelegramBot (like TwitterBot)',
    'WhatsApp/2.23.20.0 A',
    'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)',
    'LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)',
    'Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)',
    'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)',
    'Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
    'Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)',
    'Sogou web spider/4.0(+http://www.sogou.com/docs/help/webmasters.htm#07)',
    'Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)',
    'Mozilla/5.0 (compatible; Bytespider; spider-feedback@bytedance.com)',
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Safari/605.1.15 (Applebot/0.1)',
    'Mozilla/5.0 (compatible; SomeNewCrawler/1.0)',
    'my_scraper 0.1',
    'Iframely/1.3.1 (+https://iframely.com/docs/about)',
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/126.0 Safari/537.36',
    '',
    '   ',
    undefined,
  ])('%j is a crawler', (ua) => {
    expect(isCrawler(ua)).toBe(true)
  })

  it.each([
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.47(0x18002f2c) NetType/WIFI Language/zh_CN',
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
    'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36',
    'Mozilla/5.0 (Linux; Android 9; CUBOT X19) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36',
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [Pinterest/iOS]',
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 14.4; rv:125.0) Gecko/20100101 Firefox/125.0',
    'curl/8.5.0',
  ])('%j is a person', (ua) => {
    expect(isCrawler(ua)).toBe(false)
  })
})

describe('TtlLru', () => {
  it('evicts the least recently used entry past maxEntries', () => {
    const cache = new TtlLru<string, number>({ maxEntries: 2, maxWeight: 100 })
    cache.set('a', 1, 1000)
    cache.set('b', 2, 1000)

    cache.get('a')
    cache.set('c', 3, 1000)

    expect([cache.get('a'), cache.get('b'), cache.get('c')]).toEqual([1, undefined, 3])
    expect(cache.size).toBe(2)
  })

  it('expires entries after their TTL', () => {
    let now = 0
    const cache = new TtlLru<string, number>({ maxEntries: 10, maxWeight: 100, now: () => now })
    cache.set('short', 1, 100)
    cache.set('long', 2, 1000)

    now = 100

    expect([cache.get('short'), cache.get('long')]).toEqual([undefined, 2])
    expect(cache.size).toBe(1)
  })

  it('keeps the total weight bounded and refuses an entry heavier than the bound', () => {
    const cache = new TtlLru<string, string>({ maxEntries: 10, maxWeight: 10 })
    cache.set('a', 'aaaa', 1000, 4)
    cache.set('b', 'bbbb', 1000, 4)
    cache.set('c', 'cccc', 1000, 4)
    cache.set('huge', 'x'.repeat(11), 1000, 11)

    expect([cache.get('a'), cache.get('b'), cache.get('c'), cache.get('huge')]).toEqual([
      undefined,
      'bbbb',
      'cccc',
      undefined,
    ])
    expect(cache.weight).toBe(8)
  })

  it('replaces a key without counting it twice', () => {
    const cache = new TtlLru<string, number>({ maxEntries: 10, maxWeight: 100 })
    cache.set('a', 1, 1000, 5)
    cache.set('a', 2, 1000, 7)

    expect(cache.get('a')).toBe(2)
    expect(cache.weight).toBe(7)
    expect(cache.size).toBe(1)
  })
})

describe('qrSvg', () => {
  it('draws a square SVG of one stroked path, with a quiet zone, built from numbers only', () => {
    const svg = qrSvg('https://news.example.com/s/Ab3dE9x', '二维码 "<x>"')

    const size = Number(/viewBox="0 0 (\d+) \1"/.exec(svg)?.[1])
    expect(size).toBe(29 + 8) // version 3 (29 modules) and 4 modules of quiet zone on each side
    expect(svg).toContain('aria-label="二维码 &#34;&#60;x&#62;&#34;"')
    const d = /<path stroke="#000" d="([^"]*)"\/>/.exec(svg)?.[1] ?? ''
    expect(d).toMatch(/^(?:M\d+ \d+\.5h\d+(?:m\d+ 0h\d+)*)+$/)
    expect(svg.length).toBeLessThan(2000)
    // Rows start inside the quiet zone's bounds, 29 rows drawn.
    const rows = [...d.matchAll(/M(\d+) (\d+)\.5/g)].map(([, x, y]) => [Number(x), Number(y)] as const)
    expect(rows).toHaveLength(29)
    for (const [x, y] of rows) {
      expect(x).toBeGreaterThanOrEqual(4)
      expect(y).toBeGreaterThanOrEqual(4)
      expect(y).toBeLessThan(size - 4)
    }
  })
})

describe('firstImage', () => {
  it('takes the first http(s) image of a sanitised body', () => {
    const body =
      '<p>x</p><img alt="a"><img src="https://a.example/1.png?a=1&amp;b=2"><img src="https://a.example/2.png">'

    expect(firstImage(body)).toBe('https://a.example/1.png?a=1&b=2')
    expect(firstImage('<p>no picture</p>')).toBeUndefined()
  })
})

describe('coalescingClicks', () => {
  it('writes a lone click at once, and a burst behind it as one write', async () => {
    // Prepare: a write that holds until released, so clicks pile up behind it
    const writes: [string, number][] = []
    const releases: (() => void)[] = []
    const click = coalescingClicks(async (code, n) => {
      writes.push([code, n])
      await new Promise<void>((resolve) => releases.push(resolve))
    })

    // Act
    const first = click('A')
    const burst = Array.from({ length: 9 }, () => click('A'))
    const other = click('B')
    await Promise.resolve()
    const afterFirst = [...writes]
    releases.shift()?.()
    await first
    await new Promise((resolve) => setImmediate(resolve))
    for (const release of releases.splice(0)) release()
    await Promise.all([...burst, other])

    // Assess
    expect(afterFirst).toEqual([
      ['A', 1],
      ['B', 1],
    ])
    expect(writes).toEqual([
      ['A', 1],
      ['B', 1],
      ['A', 9],
    ])
  })

  it('rejects the callers of a failed write, and starts afresh after', async () => {
    let fail = true
    const written: number[] = []
    const click = coalescingClicks(async (_, n) => {
      if (fail) throw new Error('throttled')
      written.push(n)
    })

    await expect(click('A')).rejects.toThrow('throttled')
    fail = false
    await click('A')

    expect(written).toEqual([1])
  })
})
