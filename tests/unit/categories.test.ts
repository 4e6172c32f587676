import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { draftFromFields } from '#shared/domain/article'
import {
  categoryNameIn,
  categoryNameProblem,
  categorySlug,
  categoryTitle,
  derivedCategoryTitle,
  isCategorySlug,
  knownCategories,
} from '#shared/domain/categories'
import { ValidationError } from '#shared/domain/errors'

const SITE = { siteOffsetMinutes: 480 }
// The first 100 category names of the real site (tests/fixtures/real-site/README.md names the source).
const REAL_NAMES = readFileSync(new URL('../fixtures/real-site/category-names-first-100.txt', import.meta.url), 'utf8')
  .split('\n')
  .filter((line) => line.length > 0)

const fields = (categories: unknown) => ({ title: 't', date: '2024-01-01', body: 'b', categories })

describe('categorySlug', () => {
  it.each([
    ['anxinguojizhengquan(xianggang)', 'anxinguojizhengquan-xianggang'],
    ['21shijijingjibaodao  nancailicaitong', '21shijijingjibaodao-nancailicaitong'],
    ['21shijijingjibaodao 21caijingAPP', '21shijijingjibaodao-21caijingapp'],
    ['Career In touxingPEVC', 'career-in-touxingpevc'],
    ['TechWeb', 'techweb'],
    ['Techweb', 'techweb'],
    ['ITzhijia', 'itzhijia'],
    ['6Gjulebu', '6gjulebu'],
    ['zhongguojingyingwang', 'zhongguojingyingwang'],
    ['a_b.c', 'a-b-c'],
    ['-edge-', 'edge'],
    ['宏观 经济', '宏观-经济'],
    ['ＡＢＣ１', 'abc1'],
  ])('%j → %j', (name, slug) => {
    expect(categorySlug(name)).toBe(slug)
    expect(isCategorySlug(slug)).toBe(true)
  })

  it('keeps every existing lower-case slug as it is', () => {
    for (const slug of ['markets', 'banks', 'emnews', 'a', '0-9', 'x-y-z']) expect(categorySlug(slug)).toBe(slug)
  })

  it('tells a slug from a name', () => {
    for (const name of ['TechWeb', 'a b', '-a', 'a-', 'a--b', '', '_site']) expect(isCategorySlug(name)).toBe(false)
  })
})

describe('category names', () => {
  it('accepts every one of the first 100 names of the real site, kept as written', () => {
    expect(REAL_NAMES).toHaveLength(100)
    for (const name of REAL_NAMES) {
      expect(categoryNameProblem(name), name).toBeUndefined()
      // A JSON list item may hold spaces (Jekyll splits only a string).
      const draft = draftFromFields(fields([name]), SITE)
      expect(draft.categoryNames).toEqual([name])
      expect(draft.categories).toEqual([categorySlug(name)])
    }
  })

  it('splits a categories string on white space, as Jekyll does', () => {
    const draft = draftFromFields(fields('21shijijingjibaodao 21caijingAPP'), SITE)
    expect(draft.categoryNames).toEqual(['21shijijingjibaodao', '21caijingAPP'])
    expect(draft.categories).toEqual(['21shijijingjibaodao', '21caijingapp'])
  })

  it('makes one category of names that differ only in case, keeping both names', () => {
    const draft = draftFromFields(fields(['TechWeb', 'Techweb']), SITE)
    expect(draft.categoryNames).toEqual(['TechWeb', 'Techweb'])
    expect(draft.categories).toEqual(['techweb'])
  })

  it.each([
    ['a/b', '/'],
    ['a\\b', '\\'],
    ['what?', '?'],
    ['a#b', '#'],
    ['100%', '%'],
    ['...', 'no letter or digit'],
    ['(-)', 'no letter or digit'],
    ['a\u0007b', 'control'],
    ['a\tb', 'control'],
    ['x'.repeat(101), 'longer than 100'],
  ])('refuses %j, naming it (%s)', (name, why) => {
    let error: unknown
    try {
      draftFromFields(fields(['ok', name]), SITE)
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(ValidationError)
    const [first] = (error as ValidationError).errors ?? []
    expect(first?.path).toBe('categories.1')
    expect(first?.message).toContain(JSON.stringify(name.slice(0, 60)))
    expect(first?.message).toContain(why)
  })
})

describe('category records (what an article write must still record of its categories)', () => {
  const article = (categories: string[], tags: string[] = [], published = true) => ({ categories, tags, published })

  it('records each new category once, then again only to take a title an article lends it', () => {
    const known = knownCategories()
    expect(known.toRecord(article(['a', 'b']))).toEqual(['a', 'b'])
    known.recorded(article(['a', 'b']))
    expect(known.toRecord(article(['a', 'b'], ['tag']))).toEqual([])
    expect(known.toRecord(article(['a'], ['Title']))).toEqual(['a'])
    known.recorded(article(['a'], ['Title']))
    expect(known.toRecord(article(['a'], ['Other']))).toEqual([])
    expect(known.toRecord(article(['b'], ['Other']))).toEqual(['b'])
    expect(known.toRecord(article(['b', 'c'], ['B', 'C']))).toEqual(['b', 'c'])
    known.recorded(article(['b', 'c'], ['B', 'C']))
    expect(known.toRecord(article(['b'], ['Other']))).toEqual([])
  })

  it('records nothing for an unpublished article, and forgets all past its capacity', () => {
    const known = knownCategories(1)
    expect(known.toRecord(article(['a'], [], false))).toEqual([])
    known.recorded(article(['a'], [], false))
    expect(known.toRecord(article(['a']))).toEqual(['a'])
    known.recorded(article(['a', 'b']))
    known.recorded(article(['c']))
    expect(known.toRecord(article(['a', 'b', 'c']))).toEqual(['a', 'b'])
  })

  it('names a category by the article’s own spelling of its slug, else the slug', () => {
    expect(categoryNameIn({ categoryNames: ['x', 'TechWeb'] }, 'techweb')).toBe('TechWeb')
    expect(categoryNameIn({ categoryNames: ['x'] }, 'techweb')).toBe('techweb')
  })
})

describe('category titles', () => {
  it('are lent by the first tag of an article naming exactly one category', () => {
    expect(derivedCategoryTitle({ categories: ['a'], tags: ['标题', 'x'] }, 'a')).toBe('标题')
    expect(derivedCategoryTitle({ categories: ['a', 'b'], tags: ['标题'] }, 'a')).toBeUndefined()
    expect(derivedCategoryTitle({ categories: ['a'], tags: [] }, 'a')).toBeUndefined()
    expect(derivedCategoryTitle({ categories: ['a'], tags: ['标题'] }, 'b')).toBeUndefined()
  })

  it('are lent tag by tag by an article naming as many tags as categories (the old site’s copies, merged)', () => {
    // tests/fixtures/real-site: old_post/2022-05-26-NW202205262391921712.md and _posts/2022-05-26-202205262391921712.md
    const merged = { categories: ['shanghaizhengquanbao', 'emnews'], tags: ['上海证券报新闻', '东财滚动新闻'] }
    expect(derivedCategoryTitle(merged, 'shanghaizhengquanbao')).toBe('上海证券报新闻')
    expect(derivedCategoryTitle(merged, 'emnews')).toBe('东财滚动新闻')
    // Jekyll's split of one name on spaces gives several categories and one tag: no category is titled by it.
    expect(derivedCategoryTitle({ categories: ['career', 'in', 'touxingpevc'], tags: ['标题'] }, 'career')).toBe(
      undefined,
    )
  })

  it('shows the editor’s title, else the lent one, else the first name, else the slug', () => {
    expect(categoryTitle({ slug: 's', title: 'T', derivedTitle: 'D', name: 'N' })).toBe('T')
    expect(categoryTitle({ slug: 's', derivedTitle: 'D', name: 'N' })).toBe('D')
    expect(categoryTitle({ slug: 's', name: 'N' })).toBe('N')
    expect(categoryTitle({ slug: 's' })).toBe('s')
  })
})
