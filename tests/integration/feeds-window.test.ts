import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SITE_FEED } from '#shared/domain/model'
import type { ArticleWrite } from '#shared/ports/article-store'
import { testStack } from '../support/stack.ts'

let stack: Awaited<ReturnType<typeof testStack>>

beforeAll(async () => {
  stack = await testStack()
})
afterAll(() => stack.dispose())

const write = (infoCode: string, iso: string): ArticleWrite & { infoCode: string } => ({
  infoCode,
  title: infoCode,
  date: iso,
  publishedAt: Date.parse(iso),
  categories: ['window'],
  categoryNames: ['window'],
  tags: [],
  body: 'x',
  summary: 'x',
  source: undefined,
  extra: {},
})

describe('the publish window of ArticleStore.latest', () => {
  it('is a key condition: items outside it never take the place of one inside', async () => {
    // Prepare: three future items above two past ones, and one before 1990 below them.
    const rows = [
      write('NW209901010000000001', '2099-01-01T00:00:00+08:00'),
      write('NW209801010000000002', '2098-01-01T00:00:00+08:00'),
      write('NW209701010000000003', '2097-01-01T00:00:00+08:00'),
      write('NW202401010000000004', '2024-01-01T00:00:00+08:00'),
      write('NW202301010000000005', '2023-01-01T00:00:00+08:00'),
      write('NW198901010000000006', '1989-01-01T00:00:00+08:00'),
    ]
    for (const row of rows) await stack.articles.put(row, row.infoCode)
    const window = { publishedFrom: Date.UTC(1990, 0, 1), publishedTo: Date.parse('2025-01-01T00:00:00Z') }

    // Act
    const two = await stack.articles.latest('window', 2, window)
    const all = await stack.articles.latest('window', 50, window)
    const site = await stack.articles.latest(SITE_FEED, 50, window)
    const unbounded = await stack.articles.latest('window', 50)

    // Assess
    expect(two.map((e) => e.infoCode)).toEqual(['NW202401010000000004', 'NW202301010000000005'])
    expect(all.map((e) => e.infoCode)).toEqual(['NW202401010000000004', 'NW202301010000000005'])
    expect(site.map((e) => e.infoCode)).toEqual(['NW202401010000000004', 'NW202301010000000005'])
    expect(unbounded).toHaveLength(6)
    expect(await stack.articles.latest('window', 5, { publishedFrom: 10, publishedTo: 5 })).toEqual([])
  })
})
