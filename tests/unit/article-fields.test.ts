import { marshall } from '@aws-sdk/util-dynamodb'
import type { AttributeValue, DynamoDBRecord } from 'aws-lambda'
import { describe, expect, it } from 'vitest'
import { articleFromItem, entryFromItem, entryOf, storedOf } from '#shared/adapters/dynamodb-article-items'
import { prepareWrite } from '#shared/content/prepare'
import type { ArticleDraft } from '#shared/domain/article'
import {
  ALL_FIELDS,
  ARTICLE_FIELDS,
  type ArticleField,
  apiFields,
  DRAFT_FIELDS,
  ENTRY_FIELDS,
  ITEM_FIELDS,
  REPLACEABLE_FIELDS,
} from '#shared/domain/fields'
import type { Article } from '#shared/domain/model'
import { presentArticle } from '#shared/domain/present'
import { keys } from '#shared/table'
import { targetsOf } from '../../functions/feeds/stream.ts'
import { sampleArticle } from '../support/sample-article.ts'

// One field list (shared/domain/fields.ts): every shape derived from it must carry every field it declares.
// The sample holds a distinct value in each declared field, so a field a mapping leaves out fails here.

const pick = (from: Readonly<Record<string, unknown>>, names: readonly string[]) =>
  Object.fromEntries(names.map((name) => [name, from[name]]))
const declared = (where: (field: (typeof ARTICLE_FIELDS)[ArticleField]) => boolean) =>
  ALL_FIELDS.filter((name) => where(ARTICLE_FIELDS[name]))

describe('the article item', () => {
  const article = sampleArticle()
  const item = { ...keys.article(article.infoCode), ...storedOf(article) }

  it('gives back every declared field, the click count from its counter', () => {
    expect(articleFromItem({ ...item, clicks: article.clicks })).toEqual(article)
  })

  it('holds every field but the click count', () => {
    expect(item).not.toHaveProperty('clicks')
    expect(ITEM_FIELDS).toEqual(ALL_FIELDS.filter((name) => name !== 'clicks'))
  })

  it('is read without the rendered html an item written before bodies were rendered where shown still holds', () => {
    const old = { ...item, html: '<p>旧的渲染</p>' }
    expect(articleFromItem(old)).toEqual(articleFromItem(item))
    expect(articleFromItem(old)).not.toHaveProperty('html')
    expect(entryFromItem(old)).not.toHaveProperty('html')
  })

  it('is replaced in every stored field but those fixed at creation', () => {
    expect(REPLACEABLE_FIELDS).toEqual(ITEM_FIELDS.filter((n) => !['infoCode', 'shortCode', 'createdAt'].includes(n)))
  })

  it('reads an item stored before the field list as it did (old slugs as names, defaults, absent optionals)', () => {
    const old = {
      ...keys.article('NW202204162345423378'),
      infoCode: 'NW202204162345423378',
      title: '标题',
      date: '2022-04-16T03:21:56+08:00',
      publishedAt: 1650050516000,
      updatedAt: '2024-01-01T00:00:00.000Z',
      categories: ['markets'],
      shortCode: 'Ab3dE6g',
      createdAt: '2024-01-01T00:00:00.000Z',
    }
    expect(articleFromItem(old)).toEqual({
      ...old,
      pk: undefined,
      sk: undefined,
      categoryNames: ['markets'],
      tags: [],
      body: '',
      summary: '',
      published: true,
      extra: {},
      clicks: 0,
      version: 1,
      contentHash: '',
    })
    const read = articleFromItem(old)
    for (const name of declared((f) => 'optional' in f)) expect(read).not.toHaveProperty(name)
  })
})

describe('a feed membership item', () => {
  it('carries every entry field of its article', () => {
    const article = sampleArticle()
    const item = { ...keys.membership('markets', article.publishedAt, article.infoCode), ...entryOf(article) }
    expect(entryFromItem(item)).toEqual(pick(article, ENTRY_FIELDS))
  })

  it('is rewritten by the feeds whenever one of its fields (or whether the article is published) changes', () => {
    const before = sampleArticle()
    const after = sampleArticle('t')
    for (const name of [...ENTRY_FIELDS, 'published' as const]) {
      const value = before[name]
      const changed = { ...before, [name]: typeof value === 'boolean' ? !value : after[name] }
      expect(targetsOf(modify(before, changed)).size, name).toBeGreaterThan(0)
    }
    expect(targetsOf(modify(before, { ...before, clicks: before.clicks + 1 })).size).toBe(0)
  })
})

describe('the API', () => {
  it('shows every field declared for it, under its name, in order: content, links, record', () => {
    const article = sampleArticle()
    const shown = presentArticle(article, 'https://example.com')
    const content = apiFields('content')
    const record = apiFields('record')
    expect(Object.keys(shown)).toEqual([
      ...Object.keys(article.extra),
      ...content.map((f) => f.shownAs),
      'shareUrl',
      'shortUrl',
      ...record.map((f) => f.shownAs),
    ])
    for (const field of [...content, ...record]) expect(shown[field.shownAs], field.name).toEqual(article[field.name])
  })

  it('returns the JSON it did before the field list (keys and order)', () => {
    const shown = presentArticle({ ...sampleArticle(), extra: {}, source: undefined }, 'https://example.com')
    expect(Object.keys(shown)).toEqual([
      'infoCode',
      'title',
      'date',
      'categories',
      'tags',
      'body',
      'published',
      'source',
      'originalUrl',
      'summary',
      'shareUrl',
      'shortUrl',
      'createdAt',
      'updatedAt',
      'clicks',
      'version',
    ])
    expect(shown.source).toBeNull()
  })
})

describe('an upload', () => {
  it('gives the store every field the upload says, each draft field as validated', () => {
    const article = sampleArticle()
    const draft = {
      ...pick(article, DRAFT_FIELDS),
      infoCode: article.infoCode,
      date: { iso: article.date, epochMs: article.publishedAt },
      excerpt: 'excerpt',
    } as unknown as ArticleDraft
    const write = prepareWrite(draft)
    for (const name of DRAFT_FIELDS) expect(write[name as keyof typeof write], name).toEqual(article[name])
    for (const name of declared((f) => f.from === 'upload')) expect(write, name).toHaveProperty(name)
    for (const name of declared((f) => f.from === 'store')) expect(write, name).not.toHaveProperty(name)
  })
})

function modify(before: Article, after: Article): DynamoDBRecord {
  const image = (value: Article) =>
    marshall(
      { ...keys.article(value.infoCode), ...storedOf(value) },
      { removeUndefinedValues: true, convertClassInstanceToMap: true },
    ) as Record<string, AttributeValue>
  return {
    eventName: 'MODIFY',
    dynamodb: { Keys: image(before), OldImage: image(before), NewImage: image(after) },
  } as DynamoDBRecord
}
