import { describe, expect, it } from 'vitest'
import { draftFromFields, draftFromJekyll, parseJekyll } from '#shared/domain/article'
import { generateInfoCode, generateShortCode, SHORT_CODE_PATTERN } from '#shared/domain/codes'
import { formatIso, parsePublishTime } from '#shared/domain/dates'
import { MalformedBodyError, ValidationError } from '#shared/domain/errors'
import { cleanText, truncate } from '#shared/domain/text'
import { FIXTURE_INFO_CODE, FIXTURE_POST, FIXTURE_TITLE } from '../support/fixture.ts'

const SITE = { siteOffsetMinutes: 480 }

describe('parsePublishTime', () => {
  it.each([
    ['2022-04-16 03:21:56 +0800', '2022-04-16T03:21:56+08:00'],
    ['2022-04-16', '2022-04-16T00:00:00+08:00'],
    ['2022-04-16 03:21', '2022-04-16T03:21:00+08:00'],
    ['2022-04-15T19:21:56Z', '2022-04-15T19:21:56+00:00'],
    ['2022-04-16T03:21:56.123+08:00', '2022-04-16T03:21:56+08:00'],
    ['2022-04-16T03:21:56-05:30', '2022-04-16T03:21:56-05:30'],
    ['2024-02-29', '2024-02-29T00:00:00+08:00'],
  ])('%s → %s', (input, iso) => {
    expect(parsePublishTime(input, 480)?.iso).toBe(iso)
  })

  it('keeps the instant: +0800 and Z forms of one moment are the same epoch', () => {
    expect(parsePublishTime('2022-04-16 03:21:56 +0800', 0)?.epochMs).toBe(Date.parse('2022-04-15T19:21:56Z'))
  })

  it.each([
    '2022-02-30',
    '2023-02-29',
    '2022-13-01',
    '2022-04-16 24:00:00',
    '2022-04-16 10:61',
    'yesterday',
    '2022-04-16 +2500',
    '',
  ])('rejects %j', (input) => {
    expect(parsePublishTime(input, 480)).toBeUndefined()
  })

  it('formats an instant in an offset', () => {
    expect(formatIso(Date.parse('2022-04-15T19:21:56Z'), 480)).toBe('2022-04-16T03:21:56+08:00')
  })
})

describe('codes', () => {
  it('generates NW + site-time stamp + 4 digits', () => {
    expect(generateInfoCode(Date.parse('2022-04-15T19:21:56Z'), 480)).toMatch(/^NW20220416032156\d{4}$/)
  })

  it('generates base62 short codes of 6–10 characters', () => {
    const codes = new Set(Array.from({ length: 1000 }, () => generateShortCode()))
    expect(codes.size).toBe(1000)
    for (const code of codes) expect(code).toMatch(SHORT_CODE_PATTERN)
  })
})

describe('Jekyll posts', () => {
  it('reads the reference post', () => {
    const draft = draftFromJekyll(FIXTURE_POST, SITE)
    expect(draft).toMatchObject({
      infoCode: FIXTURE_INFO_CODE,
      title: FIXTURE_TITLE,
      categories: ['zhongguojingyingwang'],
      tags: ['中国经营网新闻'],
      extra: { layout: 'post' },
    })
    expect(draft.date.iso).toBe('2022-04-16T03:21:56+08:00')
    expect(draft.body.trimStart().startsWith('<p style="display:none;')).toBe(true)
  })

  it('splits space-separated categories and tags as Jekyll does, and reads `category`', () => {
    const draft = draftFromJekyll('---\ntitle: t\ndate: 2024-01-01\ncategory: a\ntags: x y x\n---\nb', SITE)
    expect(draft.categories).toEqual(['a'])
    expect(draft.tags).toEqual(['x', 'y'])
  })

  it('reads numeric titles as text', () => {
    expect(draftFromJekyll('---\ntitle: 2022\ndate: 2024-01-01\ncategories: a\n---\nb', SITE).title).toBe('2022')
  })

  it('rejects missing front matter, broken YAML, duplicate keys and alias bombs', () => {
    expect(() => parseJekyll('no front matter')).toThrow(MalformedBodyError)
    expect(() => parseJekyll('---\ntitle: [\n---\nb')).toThrow(MalformedBodyError)
    expect(() => parseJekyll('---\ntitle: a\ntitle: b\n---\nb')).toThrow(/duplicate|duplicated/)
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for (const [i, name] of ['b', 'c', 'd', 'e', 'f', 'g', 'h'].entries()) {
      const prev = ['a', 'b', 'c', 'd', 'e', 'f', 'g'][i]
      bomb.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`)
    }
    expect(() => parseJekyll(`---\n${bomb.join('\n')}\n---\nb`)).toThrow(/alias/)
  })
})

describe('draftFromFields', () => {
  const valid = { title: 't', date: '2024-01-01', categories: ['a'], body: 'b' }

  it('names every bad field', () => {
    try {
      draftFromFields(
        {
          title: '',
          date: 'x',
          categories: ['../etc'],
          tags: Array(21)
            .fill('t')
            .map((t, i) => t + i),
          body: '',
        },
        SITE,
      )
      expect.unreachable()
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError)
      const paths = (error as ValidationError).errors?.map((e) => e.path) ?? []
      expect(paths).toEqual(expect.arrayContaining(['title', 'tags', 'body']))
      expect(paths.some((p) => p.startsWith('categories'))).toBe(true)
    }
  })

  it('rejects 11 categories, a 301-character title, deep nesting and prototype keys', () => {
    const cats = Array.from({ length: 11 }, (_, i) => `c${i}`)
    expect(() => draftFromFields({ ...valid, categories: cats }, SITE)).toThrow(/at most 10/)
    expect(() => draftFromFields({ ...valid, title: 'x'.repeat(301) }, SITE)).toThrow(/300/)
    let deep: unknown = 'x'
    for (let i = 0; i < 20; i++) deep = { deep }
    expect(() => draftFromFields({ ...valid, extra: deep }, SITE)).toThrow(/nested/)
    expect(() =>
      draftFromFields(
        JSON.parse('{"title":"t","date":"2024-01-01","categories":["a"],"body":"b","__proto__":{}}'),
        SITE,
      ),
    ).toThrow(ValidationError)
  })

  it('rejects a title of invisible characters only', () => {
    expect(() => draftFromFields({ ...valid, title: '\u200B\u200D\uFEFF \u2060' }, SITE)).toThrow(
      /title must not be empty/,
    )
    expect(draftFromFields({ ...valid, title: '\u200B标题' }, SITE).title).toBe('\u200B标题')
  })

  it('keeps unknown keys as they came', () => {
    expect(draftFromFields({ ...valid, layout: 'post', author: { name: 'x' } }, SITE).extra).toEqual({
      layout: 'post',
      author: { name: 'x' },
    })
  })
})

describe('text', () => {
  it('drops characters XML forbids and NFC-normalises', () => {
    expect(cleanText('a\u0001b\u007fc\u0085d\uFFFFe\uDC00f\u0065\u0301')).toBe('abcdef\u00e9')
  })
  it('truncates by code points, with an ellipsis', () => {
    expect(truncate('😀😀😀😀', 3)).toBe('😀😀…')
    expect(truncate('abc', 3)).toBe('abc')
  })
})
