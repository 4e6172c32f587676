import { handle } from 'hono/aws-lambda'
import { createDocumentClient } from '#shared/adapters/aws-clients'
import { dynamoArticleStore } from '#shared/adapters/dynamodb-article-store'
import { secretsKeyProvider } from '#shared/adapters/secrets-key-provider'
import { readSsmParameter } from '#shared/adapters/ssm-parameter'
import { loadConfig } from '#shared/config'
import { createApiApp } from './app.ts'

// Top-level await: without a custom domain the base URL comes from SSM, once per cold start.
const config = await loadConfig(process.env, readSsmParameter)
const secretId = process.env.API_KEY_SECRET_ARN
if (!secretId) throw new Error('API_KEY_SECRET_ARN is not set: the api function reads its keys from Secrets Manager')
const originSecretId = process.env.ORIGIN_SECRET_ARN
if (!originSecretId) throw new Error('ORIGIN_SECRET_ARN is not set: the api accepts only requests from CloudFront')

/** The api Lambda: the Hono app behind API Gateway / Function URL events. */
export const handler = handle(
  createApiApp({
    articles: dynamoArticleStore({
      client: createDocumentClient(config),
      tableName: config.tableName,
      siteOffsetMinutes: config.siteOffsetMinutes,
    }),
    keys: secretsKeyProvider(secretId, config.region),
    originSecrets: secretsKeyProvider(originSecretId, config.region),
    publicBaseUrl: config.publicBaseUrl,
    siteOffsetMinutes: config.siteOffsetMinutes,
    rateLimitPerMinute: config.rateLimitPerMinute,
  }),
)
