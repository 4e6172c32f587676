import { describe, expect, it } from 'vitest'
import { renderedReads, withHtml } from '#shared/content/rendered-reads'
import type { ArticleStore } from '#shared/ports/article-store'
import { sampleArticle } from '../support/sample-article.ts'

const render = (body: string, subject: { infoCode: string; summary: string; updatedAt: string }) =>
  `<p>${body}|${subject.infoCode}|${subject.summary}|${subject.updatedAt}</p>`

describe('bodies rendered on read (shared/content/rendered-reads.ts)', () => {
  it('renders a body told which article it is, and an empty body to nothing', () => {
    const article = { ...sampleArticle(), html: '' }
    expect(withHtml(article, render).html).toBe(
      `<p>${article.body}|${article.infoCode}|${article.summary}|${article.updatedAt}</p>`,
    )
    expect(withHtml({ ...article, body: '' }, render).html).toBe('')
  })

  it('fills html in what get, list and latest return; a tombstone and the writes pass as they are', async () => {
    const article = { ...sampleArticle(), html: '' }
    const tombstone = { infoCode: 'gone', shortCode: 'x', deletedAt: '2024-01-01T00:00:00.000Z' }
    const stored = {
      get: async (code: string) => (code === 'gone' ? tombstone : article),
      list: async () => ({ items: [article], cursor: 'next' }),
      latest: async () => [article],
      countClick: async () => true,
    } as unknown as ArticleStore
    const store = renderedReads(stored, render)
    const html = withHtml(article, render).html

    expect((await store.get(article.infoCode)) as typeof article).toMatchObject({ html })
    expect(await store.get('gone')).toEqual(tombstone)
    expect(await store.list({ limit: 1 })).toMatchObject({ items: [{ html }], cursor: 'next' })
    expect((await store.latest('_site', 1))[0]?.html).toBe(html)
    expect(await store.countClick('x')).toBe(true)
  })
})
