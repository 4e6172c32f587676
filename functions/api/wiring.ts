import { createDocumentClient } from '#shared/adapters/aws-clients'
import { type DynamoArticleStoreOptions, dynamoArticleStore } from '#shared/adapters/dynamodb-article-store'
import { secretsKeyProvider } from '#shared/adapters/secrets-key-provider'
import { ConfigError, type ConfigOf } from '#shared/config'
import type { KeyProvider } from '#shared/http/auth'
import type { ArticleStore } from '#shared/ports/article-store'
import { createApiApp } from './app.ts'

/** The settings the api function reads; the Lambda fails at start naming the first one unset. */
export const API_SETTINGS = [
  'publicBaseUrl',
  'tableName',
  'siteOffsetMinutes',
  'rateLimitPerMinute',
  'region',
  'apiKeySecretArn',
  'originSecretArn',
] as const

/** The api's configuration; locally without the secrets (keys given, no origin check). */
export type ApiConfig = Omit<ConfigOf<(typeof API_SETTINGS)[number]>, 'apiKeySecretArn' | 'originSecretArn'> & {
  readonly apiKeySecretArn?: string
  readonly originSecretArn?: string
}

/** Parts to reuse instead of making them from the config (the local pipeline's). */
export interface ApiParts {
  readonly documentClient?: DynamoArticleStoreOptions['client']
  readonly articles?: ArticleStore
  /** The accepted keys; from the Secrets Manager secret of `apiKeySecretArn` otherwise. */
  readonly keys?: KeyProvider
}

/**
 * The upload API wired to DynamoDB and the key secret, as the Lambda and `npm start` use it.
 * @example const app = apiAppFor(readConfig(process.env, API_SETTINGS))
 */
export function apiAppFor(config: ApiConfig, parts: ApiParts = {}) {
  const articles =
    parts.articles ??
    dynamoArticleStore({
      client: parts.documentClient ?? createDocumentClient(config),
      tableName: config.tableName,
      siteOffsetMinutes: config.siteOffsetMinutes,
    })
  return createApiApp({
    articles,
    keys: parts.keys ?? secretKeys(config),
    // Only requests through CloudFront carry the origin header; without the secret (locally) nothing is checked.
    originSecrets: config.originSecretArn ? secretsKeyProvider(config.originSecretArn, config.region) : undefined,
    publicBaseUrl: config.publicBaseUrl,
    siteOffsetMinutes: config.siteOffsetMinutes,
    rateLimitPerMinute: config.rateLimitPerMinute,
  })
}

function secretKeys(config: ApiConfig): KeyProvider {
  if (!config.apiKeySecretArn) throw new ConfigError('API_KEY_SECRET_ARN is not set')
  return secretsKeyProvider(config.apiKeySecretArn, config.region)
}
