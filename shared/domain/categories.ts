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

/**
 * The title an article lends one of the categories it names: its first tag when it names exactly one category;
 * when it names several and as many tags, the tag at the category's place. The old site's posts name one
 * category and its source's tag (`上海证券报新闻`); one article merged from its copies by the importer names the
 * copies' categories and tags in the same order (REAL-SITE.md), and may be the only article of a category.
 * @example derivedCategoryTitle({ categories: ['shanghaizhengquanbao', 'emnews'], tags: ['上海证券报新闻', '东财滚动新闻'] }, 'shanghaizhengquanbao') // '上海证券报新闻'
 */
export function derivedCategoryTitle(
  article: { readonly categories: readonly string[]; readonly tags: readonly string[] },
  slug: string,
): string | undefined {
  const { categories, tags } = article
  const at = categories.indexOf(slug)
  if (at < 0) return undefined
  if (categories.length === 1) return tags[0]
  return categories.length === tags.length ? tags[at] : undefined
}

/**
 * A category's title: the one an editor set, else the one the first article to lend one lent it, else the
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

/**
 * The name a category is first written with by an article: the article's own spelling of the slug, else the
 * slug. It labels the category until a tag or an editor gives it a title.
 * @example categoryNameIn({ categoryNames: ['TechWeb'] }, 'techweb') // 'TechWeb'
 */
export function categoryNameIn(article: { readonly categoryNames: readonly string[] }, slug: string): string {
  return article.categoryNames.find((name) => categorySlug(name) === slug) ?? slug
}

/** What a process knows of the categories it has written: which exist, which already carry a derived title. */
export interface KnownCategories {
  /**
   * The categories of a published article whose item must still be recorded: those not known to exist, and
   * those known without a derived title when this article lends one. None for an unpublished article.
   */
  toRecord(article: CategorisedArticle): string[]
  /** Notes that the article's categories were recorded (after its write succeeded). */
  recorded(article: CategorisedArticle): void
}

/** What the category rules read of an article. */
export interface CategorisedArticle {
  readonly published: boolean
  readonly categories: readonly string[]
  readonly tags: readonly string[]
}

/**
 * A bounded memo of the categories this process recorded, so that concurrent articles of one category do not
 * all update (and collide on) its item. Forgetting is always safe: a forgotten category is recorded again,
 * and recording keeps what is stored (`if_not_exists`).
 * @example const known = knownCategories(); known.toRecord(article) // ['markets']
 */
export function knownCategories(capacity = 10_000): KnownCategories {
  const known = new Map<string, 'exists' | 'titled'>()
  return {
    toRecord(article) {
      if (!article.published) return []
      return article.categories.filter((slug) => {
        const state = known.get(slug)
        return state === undefined || (state === 'exists' && derivedCategoryTitle(article, slug) !== undefined)
      })
    },
    recorded(article) {
      if (!article.published) return
      if (known.size > capacity) known.clear()
      for (const slug of article.categories) {
        const titled = Boolean(derivedCategoryTitle(article, slug)) || known.get(slug) === 'titled'
        known.set(slug, titled ? 'titled' : 'exists')
      }
    },
  }
}
