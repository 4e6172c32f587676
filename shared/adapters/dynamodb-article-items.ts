import { categoryNameIn, categoryTitle, derivedCategoryTitle } from '../domain/categories.ts'
import { ALL_FIELDS, ENTRY_FIELDS, ITEM_FIELDS, pickFields, readFields } from '../domain/fields.ts'
import { REDIRECT_FROM_KEY, recordedPaths } from '../domain/legacy-urls.ts'
import { type Article, type Category, type FeedEntry, SITE_FEED, type Tombstone } from '../domain/model.ts'
import { extend } from '../objects.ts'
import { keys } from '../table.ts'
import type { TransactItem } from './dynamodb-retries.ts'

// Item mapping of the article store: what an article, its feed memberships, its tombstone and a category look
// like as DynamoDB items, and the transaction items that write them. No I/O here. Which fields go where derives
// from the declaration in shared/domain/fields.ts.

/** What an article item holds: every declared field but the clicks (in their own item). */
export function storedOf(article: Article) {
  return pickFields(article, ITEM_FIELDS)
}

/** The feeds an article belongs to: the site-wide one and each of its categories. */
function feedsOf(categories: readonly string[]): string[] {
  return [SITE_FEED, ...categories]
}

/** What a feed membership item holds of its article: the entry's fields. */
export function entryOf(article: Article) {
  return pickFields(article, ENTRY_FIELDS)
}

/** A feed entry from a stored article or membership item (its body as uploaded: rendered where shown). */
export function entryFromItem(item: Record<string, unknown>): FeedEntry {
  return readFields(item, ENTRY_FIELDS)
}

/** An article from its stored item and the count of its separate counter item (read from `item` when not given). */
export function articleFromItem(item: Record<string, unknown>, clicks?: number): Article {
  return readFields(clicks === undefined ? item : extend(item, { clicks }), ALL_FIELDS)
}

/** A deleted article's tombstone from its stored item. */
export function tombstoneFromItem(item: Record<string, unknown>): Tombstone {
  return { infoCode: String(item.infoCode), shortCode: String(item.shortCode), deletedAt: String(item.deletedAt) }
}

/** A category from its stored item, titled by the domain's rule. */
export function toCategory(item: Record<string, unknown>): Category {
  const slug = String(item.sk)
  const titleSet = item.titleSet === true
  const title = categoryTitle({
    slug,
    title: titleSet ? String(item.title) : undefined,
    derivedTitle: typeof item.derivedTitle === 'string' ? item.derivedTitle : undefined,
    name: typeof item.name === 'string' ? item.name : undefined,
  })
  return { slug, title, description: typeof item.description === 'string' ? item.description : '', titleSet }
}

/** The membership items a published article puts in its feeds (none for an unpublished one). */
export function membershipPutsOf(tableName: string, article: Article): TransactItem[] {
  // An unpublished article is in no feed, page or listing.
  if (!article.published) return []
  return feedsOf(article.categories).map((feed) => ({
    Put: {
      TableName: tableName,
      Item: { ...keys.membership(feed, article.publishedAt, article.infoCode), ...entryOf(article) },
    },
  }))
}

/**
 * The puts of the old site paths an article's `redirect_from` names (normalised, each once), each an item that
 * points at the article. A put of a path another article holds moves it: the last write of a path wins.
 */
export function legacyPathPutsOf(tableName: string, article: Article): TransactItem[] {
  return recordedPaths(article.extra[REDIRECT_FROM_KEY]).map((path) => ({
    Put: { TableName: tableName, Item: { ...keys.legacyPath(path), infoCode: article.infoCode } },
  }))
}

/** Deletes of the membership items of a stored article, but those keyed `pk|sk` in `keep`. */
export function membershipDeletesOf(
  tableName: string,
  stored: Record<string, unknown>,
  keep: Set<string> = new Set(),
): TransactItem[] {
  const infoCode = String(stored.infoCode)
  const publishedAt = Number(stored.publishedAt)
  return feedsOf((stored.categories as string[] | undefined) ?? [])
    .map((feed) => keys.membership(feed, publishedAt, infoCode))
    .filter((key) => !keep.has(`${key.pk}|${key.sk}`))
    .map((key) => ({ Delete: { TableName: tableName, Key: key } }))
}

/** The update that records a category of an article: created, named, titled by the article if it lends one. */
export function categoryUpdateOf(tableName: string, article: Article, slug: string): TransactItem {
  const derived = derivedCategoryTitle(article, slug)
  return {
    Update: {
      TableName: tableName,
      Key: keys.category(slug),
      // The first name written for the slug is its label until a tag or an editor gives it a title.
      UpdateExpression: `SET createdAt = if_not_exists(createdAt, :now), #name = if_not_exists(#name, :name)${
        derived ? ', derivedTitle = if_not_exists(derivedTitle, :derived)' : ''
      }`,
      ExpressionAttributeNames: { '#name': 'name' },
      ExpressionAttributeValues: {
        ':now': article.createdAt,
        ':name': categoryNameIn(article, slug),
        ...(derived ? { ':derived': derived } : {}),
      },
    },
  }
}

/**
 * An update expression that sets every field given and removes those undefined (DynamoDB stores no
 * undefined), beside the `names` and `values` the caller's condition uses.
 */
export function updateOf(
  fields: Readonly<Record<string, unknown>>,
  names: Record<string, string>,
  values: Record<string, unknown>,
) {
  const sets: string[] = []
  const removes: string[] = []
  for (const [key, value] of Object.entries(fields)) {
    names[`#${key}`] = key
    if (value === undefined) removes.push(`#${key}`)
    else {
      values[`:${key}`] = value
      sets.push(`#${key} = :${key}`)
    }
  }
  return {
    UpdateExpression: `SET ${sets.join(', ')}${removes.length > 0 ? ` REMOVE ${removes.join(', ')}` : ''}`,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  }
}
