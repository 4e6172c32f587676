import { Template } from 'aws-cdk-lib/assertions'
import type { DynamoDBStreamEvent } from 'aws-lambda'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDocumentClient, createS3Client } from '#shared/adapters/aws-clients'
import { dynamoArticleStore } from '#shared/adapters/dynamodb-article-store'
import { renderHtml } from '#shared/content/render-body'
import { createApiApp } from '../../functions/api/app.ts'
import { createStreamHandler } from '../../functions/feeds/stream.ts'
import { feedPublisherFor } from '../../functions/feeds/wiring.ts'
import { createShareApp } from '../../functions/share/app.ts'
import { localConfig } from '../../local/config.ts'
import { FIXTURE_INFO_CODE, FIXTURE_POST } from '../support/fixture.ts'
import { TEST_KEY, testStack } from '../support/stack.ts'
import { actionsOfRole, buildStack, logicalId } from './synth.ts'

// The IAM action each SDK command needs; a transaction needs the action of each of its items.
const DYNAMO_ACTIONS: Record<string, string> = {
  GetItemCommand: 'dynamodb:GetItem',
  QueryCommand: 'dynamodb:Query',
  BatchGetItemCommand: 'dynamodb:BatchGetItem',
  PutItemCommand: 'dynamodb:PutItem',
  UpdateItemCommand: 'dynamodb:UpdateItem',
  DeleteItemCommand: 'dynamodb:DeleteItem',
  ScanCommand: 'dynamodb:Scan',
}
const TRANSACT_ACTIONS: Record<string, string> = {
  Put: 'dynamodb:PutItem',
  Update: 'dynamodb:UpdateItem',
  Delete: 'dynamodb:DeleteItem',
  ConditionCheck: 'dynamodb:ConditionCheckItem',
}
const S3_ACTIONS: Record<string, string> = {
  HeadObjectCommand: 's3:GetObject',
  GetObjectCommand: 's3:GetObject',
  PutObjectCommand: 's3:PutObject',
  ListObjectsV2Command: 's3:ListBucket',
  DeleteObjectCommand: 's3:DeleteObject',
}

type Recorder = { readonly used: Set<string> }
type Instrumentable = {
  middlewareStack: {
    add(
      middleware: (
        next: (args: unknown) => Promise<unknown>,
        context: { commandName?: string },
      ) => (args: unknown) => Promise<unknown>,
      options: { step: 'initialize'; name: string },
    ): void
  }
}

/** Records, on a real client, the IAM action of every command it sends (the servers are the real local ones). */
function record(client: Instrumentable, actions: Record<string, string>): Recorder {
  const used = new Set<string>()
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const name = context.commandName ?? 'unknown'
      if (name === 'TransactWriteItemsCommand') {
        const items = (args as { input: { TransactItems: Record<string, unknown>[] } }).input.TransactItems
        for (const item of items) for (const kind of Object.keys(item)) used.add(TRANSACT_ACTIONS[kind] ?? kind)
      } else {
        used.add(actions[name] ?? name)
      }
      return next(args)
    },
    { step: 'initialize', name: 'recordIamActions' },
  )
  return { used }
}

const stack = buildStack()
const template = Template.fromStack(stack)
const granted = (role: 'api' | 'share' | 'feeds', prefix: string) =>
  actionsOfRole(template, logicalId(stack, stack[role].role)).filter((action) => action.startsWith(prefix))

let local: Awaited<ReturnType<typeof testStack>>
beforeAll(async () => {
  local = await testStack()
})
afterAll(async () => {
  await local.dispose()
})

describe('each function is granted exactly the table and bucket actions its code sends', () => {
  const base = 'https://news.example.com'

  it('api: every route of the contract, through the real store on DynamoDB Local', async () => {
    // GIVEN the api app wired as functions/api/handler.ts wires it, on a recording client
    const client = createDocumentClient(local.settings)
    const dynamo = record(client as unknown as Instrumentable, DYNAMO_ACTIONS)
    const articles = dynamoArticleStore({ client, tableName: local.tableName, siteOffsetMinutes: 480 })
    const app = createApiApp({ articles, keys: async () => [TEST_KEY], publicBaseUrl: base, siteOffsetMinutes: 480 })
    const call = (method: string, path: string, body?: string, type = 'text/markdown') =>
      app.request(`http://localhost${path}`, {
        method,
        headers: { authorization: `Bearer ${TEST_KEY}`, 'content-type': type },
        ...(body ? { body } : {}),
      })

    // WHEN every route runs
    expect((await call('POST', '/api/articles', FIXTURE_POST)).status).toBe(201)
    expect((await call('PUT', `/api/articles/${FIXTURE_INFO_CODE}`, `${FIXTURE_POST}\n更新。`)).status).toBe(200)
    expect((await call('GET', `/api/articles/${FIXTURE_INFO_CODE}`)).status).toBe(200)
    expect((await call('GET', '/api/articles?limit=5')).status).toBe(200)
    expect((await call('GET', '/api/categories')).status).toBe(200)
    const category = JSON.stringify({ title: '银行', description: '银行业新闻' })
    expect((await call('PUT', '/api/categories/banking', category, 'application/json')).status).toBe(200)
    expect((await call('GET', '/api/categories/banking')).status).toBe(200)
    expect((await call('DELETE', `/api/articles/${FIXTURE_INFO_CODE}`)).status).toBe(204)
    // restore the article for the share and feeds flows
    expect((await call('PUT', `/api/articles/${FIXTURE_INFO_CODE}`, FIXTURE_POST)).status).toBe(201)

    // THEN what it sent is what it is granted, no more, no less
    expect([...dynamo.used].sort()).toEqual(granted('api', 'dynamodb:'))
  })

  it('share: the page, a short link click, unknown codes', async () => {
    const client = createDocumentClient(local.settings)
    const dynamo = record(client as unknown as Instrumentable, DYNAMO_ACTIONS)
    const articles = dynamoArticleStore({
      client,
      tableName: local.tableName,
      siteOffsetMinutes: 480,
      renderHtml: (body) => renderHtml(body, base),
    })
    const app = createShareApp({ articles, publicBaseUrl: base, siteOffsetMinutes: 480 })
    const stored = await local.articles.get(FIXTURE_INFO_CODE)
    const shortCode = stored && 'shortCode' in stored ? String(stored.shortCode) : ''
    expect(shortCode).not.toBe('')
    const browser = { 'user-agent': 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Safari/604.1' }

    expect((await app.request(`http://localhost/html_News/NewsShare.html?infoCode=${FIXTURE_INFO_CODE}`)).status).toBe(
      200,
    )
    expect((await app.request(`http://localhost/s/${shortCode}`, { headers: browser })).status).toBe(302)
    expect((await app.request('http://localhost/s/zzzzzz9', { headers: browser })).status).toBe(404)

    expect([...dynamo.used].sort()).toEqual(granted('share', 'dynamodb:'))
  })

  it('feeds: an article and a category record regenerate feeds, pages and OPML in the bucket', async () => {
    const documentClient = createDocumentClient(local.settings)
    const s3Client = createS3Client(local.settings)
    const dynamo = record(documentClient as unknown as Instrumentable, DYNAMO_ACTIONS)
    const s3 = record(s3Client as unknown as Instrumentable, S3_ACTIONS)
    const config = localConfig({ TABLE_NAME: local.tableName, BUCKET_NAME: local.bucketName, PUBLIC_BASE_URL: base })
    const handler = createStreamHandler(
      feedPublisherFor(config, { documentClient, s3Client, log: () => undefined }),
      () => undefined,
    )
    const event = {
      Records: [
        {
          eventID: '1',
          eventName: 'INSERT',
          dynamodb: {
            SequenceNumber: '1',
            Keys: { pk: { S: `ART#${FIXTURE_INFO_CODE}` }, sk: { S: 'ART' } },
            NewImage: { categories: { L: [{ S: 'banking' }] } },
          },
        },
        {
          eventID: '2',
          eventName: 'MODIFY',
          dynamodb: {
            SequenceNumber: '2',
            Keys: { pk: { S: 'CAT' }, sk: { S: 'banking' } },
            OldImage: { title: { S: '旧' } },
            NewImage: { title: { S: '银行' } },
          },
        },
      ],
    } as unknown as DynamoDBStreamEvent

    expect(await handler(event)).toEqual({ batchItemFailures: [] })

    expect([...dynamo.used].sort()).toEqual(granted('feeds', 'dynamodb:').filter((a) => !STREAM_READ.has(a)))
    const objectActions = [...s3.used].sort()
    expect(objectActions).toEqual(['s3:GetObject', 's3:PutObject'])
    // HeadObject of a key not written yet must answer 404, which S3 gives only with ListBucket.
    expect(granted('feeds', 's3:')).toEqual(['s3:GetObject', 's3:ListBucket', 's3:PutObject'])
  })
})

// Granted to the event source mapping (Lambda reads the stream), not sent by the function's code.
const STREAM_READ = new Set([
  'dynamodb:DescribeStream',
  'dynamodb:GetRecords',
  'dynamodb:GetShardIterator',
  'dynamodb:ListStreams',
])
