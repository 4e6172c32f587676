import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hashFor, prepareWrite } from '#shared/content/prepare'
import { draftFromFields } from '#shared/domain/article'
import { SITE_FEED } from '#shared/domain/model'
import { generateArticle } from '../../bench/articles.ts'
import { seedArticles } from '../../bench/seed.ts'
import { testStack } from '../support/stack.ts'

type Stack = Awaited<ReturnType<typeof testStack>>

// What differs between two writes of the same article: write times and the random short code.
function comparable(items: Record<string, unknown>[]): Record<string, unknown>[] {
  return items
    .map(({ createdAt: _c, updatedAt: _u, shortCode: _s, ...rest }) =>
      String(rest.pk).startsWith('SHORT#') ? { ...rest, pk: 'SHORT#*' } : rest,
    )
    .sort((a, b) => `${a.pk}|${a.sk}|${a.infoCode}`.localeCompare(`${b.pk}|${b.sk}|${b.infoCode}`))
}

describe('bench seeding', () => {
  let seeded: Stack
  let created: Stack

  beforeAll(async () => {
    ;[seeded, created] = await Promise.all([testStack(), testStack()])
  })
  afterAll(async () => {
    await Promise.all([seeded.dispose(), created.dispose()])
  })

  it('writes exactly the items the store writes for the same articles', async () => {
    // Prepare
    const count = 12
    // Act
    const result = await seedArticles({ client: seeded.documentClient, tableName: seeded.tableName, from: 100, count })
    for (let i = 100; i < 100 + count; i++) {
      const { publishedAt: _derived, ...fields } = generateArticle(i)
      const draft = draftFromFields(fields, { siteOffsetMinutes: 480 })
      await created.articles.create(prepareWrite(draft), hashFor(draft))
    }
    // Assess
    const [mine, theirs] = await Promise.all([seeded.allItems(), created.allItems()])
    expect(result.articles).toBe(count)
    expect(result.items).toBe(mine.length)
    expect(comparable(mine)).toEqual(comparable(theirs))
  })

  it('seeds articles the store reads back, newest first in their feeds', async () => {
    // Act
    const latest = await seeded.articles.latest(SITE_FEED, 5)
    const one = await seeded.articles.get(generateArticle(105).infoCode)
    // Assess
    expect(latest.map((e) => e.infoCode)).toEqual([111, 110, 109, 108, 107].map((i) => generateArticle(i).infoCode))
    expect(one && 'title' in one ? one.title : undefined).toBe(generateArticle(105).title)
  })
})
