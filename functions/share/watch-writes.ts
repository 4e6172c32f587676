import type { ArticleStore } from '#shared/ports/article-store'

/** Tells who listens which article changed; `undefined` means any page may have (a category was renamed). */
export interface ArticleChanges {
  subscribe(listener: (infoCode: string | undefined) => void): void
}

/**
 * Wraps a store so that each write it completes is announced. Where the api and the share app run in one
 * process (`npm start`), the share app's cache listens and drops a page the moment it changes, so a
 * delete answers 410 at once; separate Lambdas have no such channel and rely on the cache's short TTL.
 * @example const { store, changes } = watchWrites(dynamoArticleStore(options))
 */
export function watchWrites(store: ArticleStore): { store: ArticleStore; changes: ArticleChanges } {
  const listeners = new Set<(infoCode: string | undefined) => void>()
  const announce = (infoCode: string | undefined) => {
    for (const listener of listeners) listener(infoCode)
  }
  // Every other method is the store's own, reached through the prototype.
  const watched: ArticleStore = Object.assign(Object.create(store) as ArticleStore, {
    async create(...args: Parameters<ArticleStore['create']>) {
      const result = await store.create(...args)
      announce(result.article.infoCode)
      return result
    },
    async put(...args: Parameters<ArticleStore['put']>) {
      const result = await store.put(...args)
      announce(result.article.infoCode)
      return result
    },
    async delete(infoCode: string) {
      const deleted = await store.delete(infoCode)
      announce(infoCode)
      return deleted
    },
    async putCategory(...args: Parameters<ArticleStore['putCategory']>) {
      const category = await store.putCategory(...args)
      announce(undefined)
      return category
    },
  })
  return { store: watched, changes: { subscribe: (listener) => listeners.add(listener) } }
}
