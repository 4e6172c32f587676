/**
 * Category names as the real site writes them, and the one URL slug each maps to. This module has no
 * dependency so that every function (api, feeds, share) and the importer can share the one rule.
 */

/** Longest category name, in characters. */
export const CATEGORY_NAME_MAX = 100

// NFKC can lengthen a name (one ligature becomes several letters): the slug, a key and URL part, stays bounded.
const SLUG_MAX = 200

// What the contract refuses in a name: control characters and the characters that break a path or a URL.
const REFUSED = /[\u0000-\u001F\u007F-\u009F\uFFFE\uFFFF/\\?#%]/
const NOT_LETTER_OR_DIGIT = /[^\p{L}\p{N}]+/gu

/**
 * The canonical URL slug of a category name: NFKC, lower case, every run of characters that are not Unicode
 * letters or digits becomes one `-`, no `-` at either end. Names differing only in case, spaces or
 * punctuation share one slug (one category); an existing lower-case slug maps to itself.
 * @example categorySlug('anxinguojizhengquan(xianggang)') // 'anxinguojizhengquan-xianggang'
 */
export function categorySlug(name: string): string {
  return name
    .normalize('NFKC')
    .toLowerCase()
    .replace(NOT_LETTER_OR_DIGIT, '-')
    .replace(/^-+|-+$/g, '')
}

/** True when a string is a category slug: non-empty, bounded, and its own slug. */
export function isCategorySlug(value: string): boolean {
  return value.length > 0 && value.length <= SLUG_MAX && categorySlug(value) === value
}

/**
 * Why a category name is refused, or undefined when it is accepted (the name is expected trimmed).
 * @example categoryNameProblem('a/b') // 'category "a/b" must not contain control characters, /, \\, ?, # or %'
 */
export function categoryNameProblem(name: string): string | undefined {
  const shown = JSON.stringify(name.slice(0, 60))
  if (name.length === 0) return 'a category name must not be empty'
  if (Array.from(name).length > CATEGORY_NAME_MAX) {
    return `category ${shown} is longer than ${CATEGORY_NAME_MAX} characters`
  }
  if (REFUSED.test(name)) return `category ${shown} must not contain control characters, /, \\, ?, # or %`
  const slug = categorySlug(name)
  if (slug === '') return `category ${shown} has no letter or digit to make its URL from`
  if (slug.length > SLUG_MAX) return `category ${shown} makes a URL slug longer than ${SLUG_MAX} characters`
  return undefined
}

/** The slugs of a list of names, in order, each once (`TechWeb` and `Techweb` are one category). */
export function categorySlugs(names: readonly string[]): string[] {
  return [...new Set(names.map(categorySlug))]
}

/** The title an article lends the categories it names: the first tag, when it names exactly one category. */
export function derivedCategoryTitle(article: {
  readonly categories: readonly string[]
  readonly tags: readonly string[]
}) {
  return article.categories.length === 1 ? article.tags[0] : undefined
}

/**
 * A category's title: the one an editor set, else the one its first single-category article lent it, else the
 * name it was first written with, else its slug.
 * @example categoryTitle({ slug: 'techweb', name: 'TechWeb' }) // 'TechWeb'
 */
export function categoryTitle(category: {
  readonly slug: string
  readonly title?: string | undefined
  readonly derivedTitle?: string | undefined
  readonly name?: string | undefined
}): string {
  return category.title ?? category.derivedTitle ?? category.name ?? category.slug
}
