import { createDocumentClient } from '#shared/adapters/aws-clients'
import { type DynamoArticleStoreOptions, dynamoArticleStore } from '#shared/adapters/dynamodb-article-store'
import type { ConfigOf } from '#shared/config'
import type { ArticleStore } from '#shared/ports/article-store'
import { createShareApp } from './app.ts'
import type { ArticleChanges } from './watch-writes.ts'

/** The settings the share function reads; the Lambda fails at start naming the first one unset. */
export const SHARE_SETTINGS = ['publicBaseUrl', 'tableName', 'siteOffsetMinutes', 'siteName', 'region'] as const

/** The share function's configuration. */
export type ShareConfig = ConfigOf<(typeof SHARE_SETTINGS)[number]>

/** Parts to reuse instead of making them from the config (the local pipeline's). */
export interface ShareParts {
  readonly documentClient?: DynamoArticleStoreOptions['client']
  readonly articles?: ArticleStore
  /** Writes made in this process (`npm start`): their pages leave the cache at once. */
  readonly changes?: ArticleChanges
}

/** The article store the share pages read (bodies are rendered by the app, for the pages it shows). */
export function shareStoreFor(
  config: ShareConfig,
  documentClient: DynamoArticleStoreOptions['client'] = createDocumentClient(config),
): ArticleStore {
  return dynamoArticleStore({
    client: documentClient,
    tableName: config.tableName,
    siteOffsetMinutes: config.siteOffsetMinutes,
  })
}

/**
 * Share pages and short links wired to DynamoDB, as the Lambda and `npm start` use them.
 * @example const app = shareAppFor(readConfig(process.env, SHARE_SETTINGS))
 */
export function shareAppFor(config: ShareConfig, parts: ShareParts = {}) {
  return createShareApp({
    articles: parts.articles ?? shareStoreFor(config, parts.documentClient),
    changes: parts.changes,
    publicBaseUrl: config.publicBaseUrl,
    siteOffsetMinutes: config.siteOffsetMinutes,
    siteName: config.siteName,
  })
}
