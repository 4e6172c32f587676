import { createServer, request, type Server } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDocumentClient } from '#shared/adapters/aws-clients'
import { dynamoArticleStore } from '#shared/adapters/dynamodb-article-store'
import { FIXTURE_INFO_CODE, FIXTURE_POST } from '../support/fixture.ts'
import { TEST_KEY, testApiApp, testStack } from '../support/stack.ts'

// Answers DynamoDB gives that DynamoDB Local does not give on demand (a conflict with a concurrent transaction) or
// gives in another form (an item over 400 KB inside a transaction): a proxy in front of the real DynamoDB Local
// answers the next TransactWriteItems as DynamoDB does once a test arms it, and passes everything else through.

let stack: Awaited<ReturnType<typeof testStack>>
let proxy: Server
let proxyUrl: string
/** What the armed proxy answers to the next TransactWriteItems, given its items; undefined: pass it through. */
let armed: ((items: unknown[]) => { status: number; body: unknown }) | undefined
let injected = 0

/** DynamoDB's cancellation of a transaction of `items`, with `reason` on the last item. */
function cancelled(items: unknown[], reason: { Code: string; Message?: string }) {
  const reasons = items.map((_, i) => (i === items.length - 1 ? reason : { Code: 'None' }))
  return {
    status: 400,
    body: {
      __type: 'com.amazonaws.dynamodb.v20120810#TransactionCanceledException',
      message: 'Transaction cancelled, please refer cancellation reasons for specific reasons',
      CancellationReasons: reasons,
    },
  }
}

beforeAll(async () => {
  stack = await testStack()
  const target = new URL(stack.settings.dynamoEndpoint)
  proxy = createServer((incoming, answer) => {
    const chunks: Buffer[] = []
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk))
    incoming.on('end', () => {
      const body = Buffer.concat(chunks)
      if (armed && String(incoming.headers['x-amz-target']).endsWith('.TransactWriteItems')) {
        const items = (JSON.parse(body.toString('utf8')) as { TransactItems: unknown[] }).TransactItems
        const { status, body: answerBody } = armed(items)
        armed = undefined
        injected++
        answer.writeHead(status, { 'Content-Type': 'application/x-amz-json-1.0' })
        answer.end(JSON.stringify(answerBody))
        return
      }
      const forwarded = request(
        {
          host: target.hostname,
          port: target.port,
          path: incoming.url,
          method: incoming.method,
          headers: incoming.headers,
        },
        (reply) => {
          answer.writeHead(reply.statusCode ?? 502, reply.headers)
          reply.pipe(answer)
        },
      )
      forwarded.on('error', () => answer.destroy())
      forwarded.end(body)
    })
  })
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve))
  const address = proxy.address()
  proxyUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`
})
afterAll(async () => {
  await new Promise((resolve) => proxy.close(resolve))
  await stack.dispose()
})

describe('a conditional PUT whose transaction meets a conflict elsewhere', () => {
  it('tries again and replaces the article (200), as the version it was given is still current', async () => {
    // Arrange
    const client = createDocumentClient({ region: 'us-east-1', dynamoEndpoint: proxyUrl })
    const articles = dynamoArticleStore({ client, tableName: stack.tableName, siteOffsetMinutes: 480 })
    const app = testApiApp(articles)
    const headers = { Authorization: `Bearer ${TEST_KEY}`, 'Content-Type': 'text/markdown; charset=utf-8' }
    const created = await app.request(`/api/articles/${FIXTURE_INFO_CODE}`, {
      method: 'PUT',
      headers,
      body: FIXTURE_POST,
    })
    const version = created.headers.get('etag') ?? ''

    // Act
    armed = (items) => cancelled(items, { Code: 'TransactionConflict' })
    const replaced = await app.request(`/api/articles/${FIXTURE_INFO_CODE}`, {
      method: 'PUT',
      headers: { ...headers, 'If-Match': version },
      body: FIXTURE_POST.replace(/^title: .*$/m, 'title: 冲突之后的新标题'),
    })

    // Assess
    expect(created.status).toBe(201)
    expect(injected).toBe(1)
    injected = 0
    expect(replaced.status).toBe(200)
    expect(await replaced.json()).toMatchObject({ title: '冲突之后的新标题', version: 2 })
    client.destroy()
  })
})

describe('an article too large for DynamoDB', () => {
  // DynamoDB cancels a transaction holding an item over 400 KB (reason ValidationError), and refuses one over 4 MB
  // in all with a ValidationException; DynamoDB Local answers the first with a ValidationException too.
  it.each([
    [
      'an item over 400 KB (cancellation reason)',
      (items: unknown[]) =>
        cancelled(items, { Code: 'ValidationError', Message: 'Item size has exceeded the maximum allowed size' }),
    ],
    [
      'a transaction over 4 MB (ValidationException)',
      () => ({
        status: 400,
        body: {
          __type: 'com.amazon.coral.validate#ValidationException',
          message: 'Transaction request cannot be larger than 4 MB',
        },
      }),
    ],
  ])('answers 413 naming the limit, not 500: %s', async (_, answer) => {
    // Arrange
    const client = createDocumentClient({ region: 'us-east-1', dynamoEndpoint: proxyUrl })
    const articles = dynamoArticleStore({ client, tableName: stack.tableName, siteOffsetMinutes: 480 })
    const app = testApiApp(articles)
    const infoCode = 'NW202401010000000413'
    armed = answer

    // Act
    const response = await app.request(`/api/articles/${infoCode}`, {
      method: 'PUT',
      headers: { Authorization: `Bearer ${TEST_KEY}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ title: '很长的文章', date: '2024-01-01', categories: ['gushi'], body: '正文' }),
    })

    // Assess
    expect(injected).toBe(1)
    injected = 0
    expect(response.status).toBe(413)
    expect(await response.json()).toMatchObject({ type: 'urn:finews:problem:payload-too-large' })
    expect(await articles.get(infoCode)).toBeUndefined()
    client.destroy()
  })
})
