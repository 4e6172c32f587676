import { handle } from 'hono/aws-lambda'
import { createDocumentClient } from '#shared/adapters/aws-clients'
import { dynamoArticleStore } from '#shared/adapters/dynamodb-article-store'
import { readSsmParameter } from '#shared/adapters/ssm-parameter'
import { loadConfig } from '#shared/config'
import { renderHtml } from '#shared/content/render-body'
import { createShareApp } from './app.ts'

// Top-level await: without a custom domain the base URL comes from SSM, once per cold start.
const config = await loadConfig(process.env, readSsmParameter)

/** The share Lambda: share pages and short links behind CloudFront (Function URL / API Gateway v2 events). */
export const handler = handle(
  createShareApp({
    articles: dynamoArticleStore({
      client: createDocumentClient(config),
      tableName: config.tableName,
      siteOffsetMinutes: config.siteOffsetMinutes,
      renderHtml: (body) => renderHtml(body, config.publicBaseUrl),
    }),
    publicBaseUrl: config.publicBaseUrl,
    siteOffsetMinutes: config.siteOffsetMinutes,
    siteName: config.siteName,
  }),
)
