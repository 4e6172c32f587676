import { describe, expect, it } from 'vitest'
import { draftFromFields, draftFromJekyll } from '#shared/domain/article'
import { CATEGORY_SLUGS, generateArticle, toJekyll, toJson } from '../../bench/articles.ts'
import { parseOptions, UsageError } from '../../bench/options.ts'
import {
  figures,
  formatMarkdown,
  formatTable,
  meetsGoal,
  REQUIRED_FIGURES,
  type Row,
  ratioOf,
} from '../../bench/report.ts'
import { median, percentile, pool, round } from '../../bench/stats.ts'

const SITE = { siteOffsetMinutes: 480 }

describe('bench options', () => {
  it('runs the full scale by default and every group', () => {
    // Act
    const options = parseOptions([])
    // Assess
    expect(options.scale).toMatchObject({ quick: false, articlesLarge: 50_000, articlesSmall: 1_000, uploads: 200 })
    expect(options.only).toBeUndefined()
  })

  it('--quick scales down, --only picks groups, --articles overrides the large count', () => {
    // Act
    const options = parseOptions(['--quick', '--only', 'regen,share', '--articles=4000'])
    // Assess
    expect(options.scale.quick).toBe(true)
    expect(options.scale.articlesLarge).toBe(4_000)
    expect(options.scale.uploads).toBeLessThan(200)
    expect([...(options.only ?? [])]).toEqual(['regen', 'share'])
  })

  it.each([[['--only', 'nope']], [['--articles', '12']], [['--articles']], [['--fast']]])(
    'rejects %j with the usage',
    (argv) => {
      expect(() => parseOptions(argv)).toThrow(UsageError)
    },
  )
})

describe('bench statistics', () => {
  it('percentiles are nearest-rank', () => {
    // Prepare
    const values = Array.from({ length: 100 }, (_, i) => 100 - i)
    // Act and assess
    expect(percentile(values, 50)).toBe(50)
    expect(percentile(values, 95)).toBe(95)
    expect(percentile(values, 100)).toBe(100)
    expect(median([3, 1, 2])).toBe(2)
    expect(percentile([], 50)).toBeNaN()
  })

  it('rounds to significant digits but keeps whole numbers whole', () => {
    expect(round(0.0012345)).toBe(0.00123)
    expect(round(12.3456)).toBe(12.3)
    expect(round(12_345.6)).toBe(12_346)
  })

  it('pool runs every index once with the given concurrency', async () => {
    // Prepare
    const seen: number[] = []
    let running = 0
    let most = 0
    // Act
    await pool(20, 3, async (i) => {
      running++
      most = Math.max(most, running)
      await new Promise((r) => setTimeout(r, 1))
      seen.push(i)
      running--
    })
    // Assess
    expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i))
    expect(most).toBe(3)
  })
})

describe('bench report', () => {
  const rows: Row[] = [
    {
      label: 'regen',
      value: 110,
      unit: 'ms',
      baseline: { label: 'small', value: 100, unit: 'ms' },
      ratioKey: 'regen_flatness',
      goal: { on: 'ratio', op: '<=', limit: 1.2 },
    },
    {
      label: 'rss',
      key: 'peak_rss_mb_feeds',
      value: 140,
      unit: 'MB',
      baseline: { label: 'idle', value: 70, unit: 'MB' },
      goal: { on: 'value', op: '<=', limit: 128 },
    },
    {
      label: 'ingest',
      key: 'ingest_rps',
      value: 50,
      unit: 'req/s',
      baseline: { label: 'raw', value: 200, unit: 'req/s' },
      ratioKey: 'ingest_vs_raw_put',
    },
  ]

  it('ratios are value over baseline and goals read the named side', () => {
    expect(ratioOf(rows[0] as Row)).toBeCloseTo(1.1)
    expect(meetsGoal(rows[0] as Row)).toBe(true)
    expect(meetsGoal(rows[1] as Row)).toBe(false)
    expect(meetsGoal(rows[2] as Row)).toBeUndefined()
  })

  it('the JSON holds every named value and ratio, and nothing unnamed', () => {
    expect(figures(rows)).toEqual({
      regen_flatness: 1.1,
      peak_rss_mb_feeds: 140,
      ingest_rps: 50,
      ingest_vs_raw_put: 0.25,
    })
  })

  it('a row with further figures puts them in the JSON, and a row without a ratio shows a dash', () => {
    const units: Row = {
      label: 'click',
      key: 'capacity_click_wcu',
      value: 1,
      unit: 'WCU',
      baseline: { label: 'read units', value: 0, unit: 'RCU' },
      ratio: Number.NaN,
      more: { capacity_click_rcu: 0 },
    }
    expect(figures([units])).toEqual({ capacity_click_wcu: 1, capacity_click_rcu: 0 })
    expect(formatTable([units])).toMatch(/0 RCU \(read units\)\s+–/)
  })

  it('the tables show value, baseline, ratio and whether each goal was met', () => {
    // Act
    const table = formatTable(rows)
    const markdown = formatMarkdown(rows)
    // Assess
    expect(table.split('\n')).toHaveLength(2 + rows.length)
    expect(table).toContain('regen_flatness <= 1.2: met')
    expect(table).toContain('peak_rss_mb_feeds <= 128: MISSED')
    expect(markdown).toContain('| `ingest_rps`, `ingest_vs_raw_put` | 50 req/s | 200 req/s (raw) | 0.25 |  |')
  })

  it('asks for every figure of issues 6 and 7', () => {
    expect(REQUIRED_FIGURES).toContain('import_posts_per_s')
    expect(new Set(REQUIRED_FIGURES).size).toBe(REQUIRED_FIGURES.length)
  })
})

describe('bench article generator', () => {
  it('is deterministic and gives valid uploads in both forms', () => {
    // Act
    const article = generateArticle(1234)
    const again = generateArticle(1234)
    const draft = draftFromJekyll(toJekyll(article), SITE)
    const fromJson = draftFromFields(JSON.parse(toJson(article)), SITE)
    // Assess
    expect(again).toEqual(article)
    expect(draft.infoCode).toBe(article.infoCode)
    expect(draft.date.epochMs).toBe(article.publishedAt)
    expect(draft.categories).toEqual(article.categories)
    expect(fromJson.title).toBe(article.title)
    expect(article.body).toMatch(/（文章来源：.+）/)
  })

  it('writes about 3 KB bodies and unique infoCodes, and its first category is the largest', () => {
    // Prepare
    const articles = Array.from({ length: 2_000 }, (_, i) => generateArticle(i))
    // Act
    const bytes = articles.reduce((n, a) => n + Buffer.byteLength(a.body), 0) / articles.length
    const counts = new Map<string, number>()
    for (const a of articles) for (const c of a.categories) counts.set(c, (counts.get(c) ?? 0) + 1)
    const largest = [...counts].sort((a, b) => b[1] - a[1])[0]
    // Assess
    expect(bytes).toBeGreaterThan(2_500)
    expect(bytes).toBeLessThan(4_000)
    expect(new Set(articles.map((a) => a.infoCode)).size).toBe(articles.length)
    expect(largest?.[0]).toBe(CATEGORY_SLUGS[0])
  })

  it('takes a given date and categories', () => {
    // Act
    const article = generateArticle(7, { publishedAt: Date.UTC(2024, 5, 1, 2, 3, 4), categories: ['gushi'] })
    // Assess
    expect(article.date).toBe('2024-06-01 10:03:04 +0800')
    expect(article.infoCode).toBe('NW202406011003040007')
    expect(article.categories).toEqual(['gushi'])
  })
})
