import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { findDuplicateKey } from '#shared/http/duplicate-keys'

describe('findDuplicateKey', () => {
  it.each([
    ['{"a":1,"a":2}', 'a'],
    ['{"a":{"b":1,"c":{"b":2},"b":3}}', 'a.b'],
    ['{"list":[{"k":1},{"k":1,"k":2}]}', 'list[1].k'],
    ['{"title":1,"\\u0074itle":2}', 'title'],
    ['{"s":"a\\"b","s":1}', 's'],
    ['[[{"x":[1,{"y":1,"y":1}]}]]', '[0][0].x[1].y'],
  ])('finds the repeated key in %s', (text, path) => {
    expect(findDuplicateKey(text)).toBe(path)
  })

  it.each([
    '{"a":1,"b":{"a":1}}',
    '[{"a":1},{"a":1}]',
    '{"a":"{\\"a\\":1,\\"a\\":1}"}',
    '{"a":[],"b":{},"c":"]}"}',
    '"a"',
    '{}',
  ])('accepts %s (equal keys in different objects, keys inside strings)', (text) => {
    expect(findDuplicateKey(text)).toBeUndefined()
  })

  it('agrees with JSON.parse on any JSON text without duplicates (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(findDuplicateKey(JSON.stringify(value))).toBeUndefined()
      }),
    )
  })

  it('finds a key inserted twice into any object (property)', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 3 })), fc.string(), (object, key) => {
        const rest = JSON.stringify(object).slice(1)
        const text = `{${JSON.stringify(key)}:1,${JSON.stringify(key)}:2${rest === '}' ? '}' : `,${rest}`}`
        expect(findDuplicateKey(text)).toBe(key)
      }),
    )
  })

  it('walks 200,000 levels of nesting without recursion', () => {
    const deep = `${'['.repeat(200_000)}{"a":1,"a":2}${']'.repeat(200_000)}`
    expect(findDuplicateKey(deep)).toMatch(/\.?a$/)
  })
})
