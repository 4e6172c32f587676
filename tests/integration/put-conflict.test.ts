import { createServer, request, type Server } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDocumentClient } from '#shared/adapters/aws-clients'
import { dynamoArticleStore } from '#shared/adapters/dynamodb-article-store'
import { FIXTURE_INFO_CODE, FIXTURE_POST } from '../support/fixture.ts'
import { TEST_KEY, testApiApp, testStack } from '../support/stack.ts'

// A conditional PUT (If-Match) whose replace transaction is cancelled by a conflict on another of its items (a
// concurrent write to a membership or category item, not the article) must not answer 412: the article's version
// did not move. DynamoDB Local does not produce such conflicts on demand, so a proxy in front of it answers the
// first armed TransactWriteItems as DynamoDB answers a conflict (TransactionCanceledException, reason
// TransactionConflict on the last item), and passes everything else through to the real DynamoDB Local.

let stack: Awaited<ReturnType<typeof testStack>>
let proxy: Server
let proxyUrl: string
let armed = false
let injected = 0

beforeAll(async () => {
  stack = await testStack()
  const target = new URL(stack.settings.dynamoEndpoint)
  proxy = createServer((incoming, answer) => {
    const chunks: Buffer[] = []
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk))
    incoming.on('end', () => {
      const body = Buffer.concat(chunks)
      if (armed && String(incoming.headers['x-amz-target']).endsWith('.TransactWriteItems')) {
        armed = false
        injected++
        const items = (JSON.parse(body.toString('utf8')) as { TransactItems: unknown[] }).TransactItems
        const reasons = items.map((_, i) => ({ Code: i === items.length - 1 ? 'TransactionConflict' : 'None' }))
        answer.writeHead(400, { 'Content-Type': 'application/x-amz-json-1.0' })
        answer.end(
          JSON.stringify({
            __type: 'com.amazonaws.dynamodb.v20120810#TransactionCanceledException',
            message: 'Transaction cancelled, please refer cancellation reasons for specific reasons',
            CancellationReasons: reasons,
          }),
        )
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
    armed = true
    const replaced = await app.request(`/api/articles/${FIXTURE_INFO_CODE}`, {
      method: 'PUT',
      headers: { ...headers, 'If-Match': version },
      body: FIXTURE_POST.replace(/^title: .*$/m, 'title: 冲突之后的新标题'),
    })

    // Assess
    expect(created.status).toBe(201)
    expect(injected).toBe(1)
    expect(replaced.status).toBe(200)
    expect(await replaced.json()).toMatchObject({ title: '冲突之后的新标题', version: 2 })
    client.destroy()
  })
})
