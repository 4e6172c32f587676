import { randomUUID } from 'node:crypto'
import { DeleteTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { inject } from 'vitest'
import { createDocumentClient, createS3Client } from '#shared/adapters/aws-clients'
import { dynamoArticleStore } from '#shared/adapters/dynamodb-article-store'
import type { ArticleStore } from '#shared/ports/article-store'
import { createApiApp } from '../../functions/api/app.ts'
import type { Pipeline } from '../../local/pipeline.ts'
import { ensureBucket, ensureTable } from '../../local/resources.ts'
import { scanAll } from './table.ts'

/** Clients on the run's shared local servers, and a fresh table and bucket for one test file. */
export async function testStack(options: { siteOffsetMinutes?: number } = {}) {
  const settings = { region: 'us-east-1', dynamoEndpoint: inject('dynamoEndpoint'), s3Endpoint: inject('s3Endpoint') }
  const documentClient = createDocumentClient(settings)
  const s3 = createS3Client(settings)
  const id = randomUUID().slice(0, 8)
  const tableName = `test-${id}`
  const bucketName = `test-${id}`
  await ensureTable(documentClient as unknown as DynamoDBClient, tableName)
  await ensureBucket(s3, bucketName)
  const siteOffsetMinutes = options.siteOffsetMinutes ?? 480
  const articles = dynamoArticleStore({ client: documentClient, tableName, siteOffsetMinutes })
  return {
    settings,
    documentClient,
    s3,
    tableName,
    bucketName,
    articles,
    /** Every item in the table: for asserting what was (not) written. Tests only; never in product code. */
    allItems(): Promise<Record<string, unknown>[]> {
      return scanAll(documentClient, tableName)
    },
    async dispose() {
      await documentClient.send(new DeleteTableCommand({ TableName: tableName })).catch(() => undefined)
      documentClient.destroy()
      s3.destroy()
    },
  }
}

/** The API key tests use. */
export const TEST_KEY = 'test-key-0123456789abcdef'

/** The api app as tests wire it: the given store, the test key, site time +08:00, no rate limit. */
export function testApiApp(articles: ArticleStore, options: { publicBaseUrl?: string; keys?: readonly string[] } = {}) {
  return createApiApp({
    articles,
    keys: async () => [...(options.keys ?? [TEST_KEY])],
    publicBaseUrl: options.publicBaseUrl ?? 'https://news.example.com',
    siteOffsetMinutes: 480,
    rateLimitPerMinute: 0,
  })
}

/** `npm start`'s pipeline on a test stack's table and bucket and the run's servers: test key, no rate limit. */
export async function testPipeline(
  stack: { readonly tableName: string; readonly bucketName: string },
  env: NodeJS.ProcessEnv = {},
): Promise<Pipeline> {
  // Loaded when first asked for: most files that make a stack never start the pipeline, whose modules are the
  // whole application and the local servers (about a third of a second of every such file's start).
  const { startPipeline } = await import('../../local/pipeline.ts')
  return startPipeline({
    servers: { dynamoEndpoint: inject('dynamoEndpoint'), s3Endpoint: inject('s3Endpoint') },
    env: {
      TABLE_NAME: stack.tableName,
      BUCKET_NAME: stack.bucketName,
      RATE_LIMIT_PER_MINUTE: '0',
      API_KEY: TEST_KEY,
      ...env,
    },
  })
}
