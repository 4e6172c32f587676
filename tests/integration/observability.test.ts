import type { DynamoDBStreamEvent } from 'aws-lambda'
import { handle } from 'hono/aws-lambda'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'

// Metrics and info lines are off for the other test files (vitest.config.ts); this one reads them. Set before
// the modules below build their Powertools instances.
vi.hoisted(() => {
  process.env.POWERTOOLS_METRICS_DISABLED = 'false'
  process.env.POWERTOOLS_LOG_LEVEL = 'INFO'
  process.env.POWERTOOLS_SERVICE_NAME = 'finews-test'
})

const { guardedRenderer } = await import('#shared/content/guarded-render')
const { flushMetrics, log } = await import('#shared/observability')
const { createStreamHandler } = await import('../../functions/feeds/stream.ts')
const { createShareApp } = await import('../../functions/share/app.ts')
const { feedPublisherFor } = await import('../../functions/feeds/wiring.ts')
const { localConfig } = await import('../../local/config.ts')
const { FIXTURE_INFO_CODE, FIXTURE_POST, post } = await import('../support/fixture.ts')
const { articleInserted, httpApiEvent, lambdaContext } = await import('../support/lambda-events.ts')
const { output } = await import('../support/output.ts')
const { TEST_KEY, testApiApp, testStack } = await import('../support/stack.ts')

let stack: Awaited<ReturnType<typeof testStack>>
beforeAll(async () => {
  stack = await testStack()
})
afterAll(async () => {
  await stack.dispose()
})

/** The EMF documents among the lines: metric name → value, with the dimensions they are filed under. */
function emf(lines: string[]) {
  return lines
    .filter((line) => line.includes('"_aws"'))
    .map((line) => JSON.parse(line) as Record<string, unknown> & { _aws: { CloudWatchMetrics: unknown[] } })
}

describe('observability (Powertools logger and EMF metrics)', () => {
  it('one upload through the Lambda adapter emits Uploads{outcome=created} and logs no key', async () => {
    const handler = handle(testApiApp(stack.articles))
    const event = httpApiEvent({
      method: 'POST',
      path: '/api/articles',
      headers: { authorization: `Bearer ${TEST_KEY}`, 'content-type': 'text/markdown' },
      body: FIXTURE_POST,
    })

    const lines = await output(async () => {
      const response = (await handler(event as never, lambdaContext as never)) as { statusCode: number }
      expect(response.statusCode).toBe(201)
    })

    const [metrics, ...more] = emf(lines)
    expect(more).toEqual([])
    expect(metrics).toMatchObject({
      _aws: { CloudWatchMetrics: [{ Namespace: 'finews', Dimensions: [['service', 'outcome']] }] },
      service: 'finews-test',
      outcome: 'created',
      Uploads: 1,
    })
    expect(lines.join('\n')).not.toContain(TEST_KEY)
  })

  it('one regeneration emits FeedsRegenerated and RegenerationTime, and logs with the batch’s correlation id', async () => {
    const config = localConfig({
      TABLE_NAME: stack.tableName,
      BUCKET_NAME: stack.bucketName,
      PUBLIC_BASE_URL: 'https://news.example.com',
    })
    const handler = createStreamHandler(
      feedPublisherFor(config, { documentClient: stack.documentClient, s3Client: stack.s3 }),
    )
    const event = {
      Records: [articleInserted(FIXTURE_INFO_CODE, ['banking'])],
    } as unknown as DynamoDBStreamEvent

    const lines = await output(async () => {
      expect(await handler(event, lambdaContext)).toEqual({ batchItemFailures: [] })
    })

    const [metrics, ...more] = emf(lines)
    expect(more).toEqual([])
    expect(metrics).toMatchObject({
      _aws: { CloudWatchMetrics: [{ Namespace: 'finews', Dimensions: [['service']] }] },
      service: 'finews-test',
      FeedsRegenerated: 2,
    })
    expect(metrics?.RegenerationTime).toBeGreaterThan(0)
    const published = lines.map((line) => JSON.parse(line)).find((entry) => entry.message === 'feeds published')
    expect(published).toMatchObject({
      level: 'INFO',
      service: 'finews-test',
      correlation_id: lambdaContext.awsRequestId,
      targets: ['_site', 'banking'],
    })
  })

  it('a share page’s RenderTime covers the rendering of its body', async () => {
    const infoCode = 'NW202401020000000601'
    const uploaded = await testApiApp(stack.articles).request(`/api/articles/${infoCode}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${TEST_KEY}`, 'content-type': 'text/markdown' },
      body: post({}, '**粗体**正文'),
    })
    expect(uploaded.status).toBe(201)
    // The clock RenderTime is read from moves only while a body is rendered: 250 ms per render, nothing else.
    let clock = 10_000
    const guarded = guardedRenderer({ baseUrl: 'https://news.example.com', log })
    const handler = handle(
      createShareApp({
        articles: stack.articles,
        publicBaseUrl: 'https://news.example.com',
        siteOffsetMinutes: 480,
        clock: () => clock,
        renderBody: (body, subject) => {
          clock += 250
          return guarded(body, subject)
        },
      }),
    )
    const event = httpApiEvent({ method: 'GET', path: '/html_News/NewsShare.html', query: `infoCode=${infoCode}` })

    const lines = await output(async () => {
      const response = (await handler(event as never, lambdaContext as never)) as { statusCode: number; body: string }
      expect(response.statusCode).toBe(200)
      expect(response.body).toContain('<strong>粗体</strong>')
    })

    const [metrics, ...more] = emf(lines)
    expect(more).toEqual([])
    expect(metrics).toMatchObject({ service: 'finews-test', RenderTime: 250 })
  })

  it('a body shown by its summary counts RenderFallback through the metric helper, under the service', async () => {
    const render = guardedRenderer({
      baseUrl: 'https://news.example.com',
      log,
      render: () => {
        throw new Error('boom')
      },
    })
    const subject = { infoCode: FIXTURE_INFO_CODE, summary: '摘要', updatedAt: '2024-03-01T02:00:00.000Z' }

    const lines = await output(async () => {
      expect(render('body', subject)).toBe('<p>摘要</p>')
      flushMetrics()
    })

    const [metrics, ...more] = emf(lines)
    expect(more).toEqual([])
    expect(metrics).toMatchObject({
      _aws: {
        CloudWatchMetrics: [
          { Namespace: 'finews', Dimensions: [['service']], Metrics: [{ Name: 'RenderFallback', Unit: 'Count' }] },
        ],
      },
      service: 'finews-test',
      RenderFallback: 1,
    })
  })
})
