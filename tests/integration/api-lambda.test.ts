import { handle } from 'hono/aws-lambda'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FIXTURE_INFO_CODE, FIXTURE_POST } from '../support/fixture.ts'
import { httpApiEvent, lambdaContext } from '../support/lambda-events.ts'
import { TEST_KEY, testApiApp, testStack } from '../support/stack.ts'

let stack: Awaited<ReturnType<typeof testStack>>
let handler: ReturnType<typeof handle>

beforeAll(async () => {
  stack = await testStack()
  handler = handle(testApiApp(stack.articles))
})
afterAll(() => stack.dispose())

const invoke = (event: ReturnType<typeof httpApiEvent>) =>
  handler(event as unknown as Parameters<typeof handler>[0], lambdaContext) as Promise<{
    statusCode: number
    headers: Record<string, string>
    body: string
    isBase64Encoded: boolean
  }>

describe('the api function behind the Lambda adapter (HTTP API / Function URL payload 2.0)', () => {
  it('takes a base64 Markdown upload, answers 201 with Location, then serves it by GET', async () => {
    const created = await invoke(
      httpApiEvent({
        method: 'POST',
        path: '/api/articles',
        headers: { authorization: `Bearer ${TEST_KEY}`, 'content-type': 'text/markdown; charset=utf-8' },
        body: FIXTURE_POST,
        base64: true,
      }),
    )
    expect(created.statusCode).toBe(201)
    expect(created.headers.location).toBe(`/api/articles/${FIXTURE_INFO_CODE}`)
    expect(JSON.parse(created.body).source).toBe('中国经营网')

    const fetched = await invoke(
      httpApiEvent({
        method: 'GET',
        path: `/api/articles/${FIXTURE_INFO_CODE}`,
        headers: { authorization: `Bearer ${TEST_KEY}` },
      }),
    )
    expect(fetched.statusCode).toBe(200)
    expect(JSON.parse(fetched.body).date).toBe('2022-04-16T03:21:56+08:00')
  })

  it('reads percent-encoded query strings', async () => {
    const listed = await invoke(
      httpApiEvent({
        method: 'GET',
        path: '/api/articles',
        query: 'category=zhongguojingyingwang&limit=5',
        headers: { authorization: `Bearer ${TEST_KEY}` },
      }),
    )
    expect(listed.statusCode).toBe(200)
    expect(JSON.parse(listed.body).items.map((a: { infoCode: string }) => a.infoCode)).toEqual([FIXTURE_INFO_CODE])
  })

  it('answers a missing key with 401 problem+json and WWW-Authenticate', async () => {
    const denied = await invoke(httpApiEvent({ method: 'GET', path: '/api/articles' }))
    expect(denied.statusCode).toBe(401)
    expect(denied.headers['www-authenticate']).toMatch(/^Bearer/)
    expect(denied.headers['content-type']).toMatch(/^application\/problem\+json/)
  })

  it('answers /healthz without a key', async () => {
    const health = await invoke(httpApiEvent({ method: 'GET', path: '/healthz' }))
    expect(health.statusCode).toBe(200)
    expect(JSON.parse(health.body)).toEqual({ status: 'ok' })
  })
})
