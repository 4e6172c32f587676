import { describe, expect, it } from 'vitest'
import { prepareWrite } from '#shared/content/prepare'
import { draftFromFields, draftFromJekyll } from '#shared/domain/article'
import { ValidationError } from '#shared/domain/errors'

const SITE = { siteOffsetMinutes: 480 }
const fields = (extra: Record<string, unknown>) => ({
  title: 't',
  date: '2022-04-16 03:21:56 +0800',
  categories: 'a',
  body: '<p>正文第一段。</p>',
  ...extra,
})

function errorsOf(run: () => unknown): { path: string; message: string }[] {
  try {
    run()
  } catch (error) {
    if (error instanceof ValidationError) return [...(error.errors ?? [])]
    throw error
  }
  return []
}

describe("Jekyll's front matter", () => {
  it('reads published, excerpt, image, author and last_modified_at from a post, keeping them as they came', () => {
    const draft = draftFromJekyll(
      [
        '---',
        'title: 标题',
        'date: 2022-04-16 03:21:56 +0800',
        'categories: ITzhijia',
        'published: false',
        'excerpt: "<b>摘要</b> 一句话"',
        'image: /assets/a.png',
        'author: 张三',
        'last_modified_at: 2022-04-18 09:00:00 +0800',
        '---',
        '<p>正文</p>',
      ].join('\n'),
      SITE,
    )
    const write = prepareWrite(draft)

    expect(write).toMatchObject({
      published: false,
      image: '/assets/a.png',
      author: '张三',
      modifiedAt: '2022-04-18T09:00:00+08:00',
      summary: '摘要 一句话',
    })
    expect(draft.extra).toMatchObject({
      published: false,
      excerpt: '<b>摘要</b> 一句话',
      last_modified_at: '2022-04-18 09:00:00 +0800',
    })
  })

  it('is published unless it says false; the summary comes from the body without excerpt or description', () => {
    expect(prepareWrite(draftFromFields(fields({}), SITE))).toMatchObject({ published: true, summary: '正文第一段。' })
    expect(prepareWrite(draftFromFields(fields({ published: true }), SITE)).published).toBe(true)
    expect(prepareWrite(draftFromFields(fields({ published: 'false' }), SITE)).published).toBe(false)
    expect(prepareWrite(draftFromFields(fields({ description: '描述' }), SITE)).summary).toBe('描述')
    expect(prepareWrite(draftFromFields(fields({ excerpt: '摘要', description: '描述' }), SITE)).summary).toBe('摘要')
    expect(prepareWrite(draftFromFields(fields({ excerpt: 'x'.repeat(500) }), SITE)).summary).toHaveLength(200)
  })

  it('reads the author forms Jekyll plugins use: a name, {name}, a list', () => {
    expect(draftFromFields(fields({ author: { name: '李四', email: 'l@example.com' } }), SITE).author).toBe('李四')
    expect(draftFromFields(fields({ author: ['王五', { name: '赵六' }] }), SITE).author).toBe('王五、赵六')
    expect(draftFromFields(fields({ image: { path: 'https://img.example.com/b.jpg' } }), SITE).image).toBe(
      'https://img.example.com/b.jpg',
    )
  })

  it.each([
    ['published', { published: 'no' }],
    ['excerpt', { excerpt: 5 }],
    ['description', { description: ['a'] }],
    ['image', { image: 'javascript:alert(1)' }],
    ['image', { image: 'data:image/png;base64,AAAA' }],
    ['author', { author: 7 }],
    ['author', { author: { email: 'x@example.com' } }],
    ['last_modified_at', { last_modified_at: '2022-02-30' }],
    ['last_modified_at', { last_modified_at: 20220101 }],
  ])('refuses a %s that cannot mean what Jekyll means: 400 naming it', (path, extra) => {
    expect(errorsOf(() => draftFromFields(fields(extra), SITE)).map((e) => e.path)).toEqual([path])
  })
})
