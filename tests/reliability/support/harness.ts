import { randomUUID } from 'node:crypto'
import type { Server } from 'node:http'
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { serve } from '@hono/node-server'
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda'
import { createDocumentClient, createS3Client } from '#shared/adapters/aws-clients'
import { dynamoArticleStore } from '#shared/adapters/dynamodb-article-store'
import { createApiApp } from '../../../functions/api/app.ts'
import { createStreamHandler } from '../../../functions/feeds/stream.ts'
import { feedPublisherFor } from '../../../functions/feeds/wiring.ts'
import { localConfig } from '../../../local/config.ts'
import { ensureBucket, ensureTable } from '../../../local/resources.ts'
import { startStreamPoller } from '../../../local/stream-poller.ts'
import { TEST_KEY } from '../../support/stack.ts'

/** One invocation of the feeds handler by the poller, with what it answered. */
export interface Delivery {
  readonly event: DynamoDBStreamEvent
  readonly response: DynamoDBBatchResponse | undefined
  readonly error: unknown
  /** `capture`: recorded and acknowledged without publishing, for a test to deliver by hand later. */
  readonly mode: 'deliver' | 'capture'
}

/**
 * The pipeline's parts wired as `startPipeline` wires them (api app over HTTP, the local stream poller, the
 * feeds handler), with the handler's every answer recorded and the servers' endpoints chosen by the test,
 * so a test can stop and restart those servers and see what the event source mapping was told.
 */
export async function startHarness(options: {
  dynamoEndpoint: string
  s3Endpoint: string
  env?: Record<string, string>
}) {
  const id = randomUUID().slice(0, 8)
  const config = localConfig({
    TABLE_NAME: `rel-fault-${id}`,
    BUCKET_NAME: `rel-fault-${id}`,
    PUBLIC_BASE_URL: 'https://news.example.com',
    FEED_SIZE: '20',
    RATE_LIMIT_PER_MINUTE: '0',
    DYNAMODB_ENDPOINT: options.dynamoEndpoint,
    S3_ENDPOINT: options.s3Endpoint,
    ...options.env,
  })
  const documentClient = createDocumentClient(config)
  const s3 = createS3Client(config)
  await ensureTable(documentClient as unknown as DynamoDBClient, config.tableName)
  await ensureBucket(s3, config.bucketName)
  const articles = dynamoArticleStore({
    client: documentClient,
    tableName: config.tableName,
    siteOffsetMinutes: config.siteOffsetMinutes,
  })
  const api = createApiApp({
    articles,
    keys: async () => [TEST_KEY],
    publicBaseUrl: config.publicBaseUrl,
    siteOffsetMinutes: config.siteOffsetMinutes,
    rateLimitPerMinute: 0,
  })
  const server = await new Promise<Server>((resolve) => {
    const s = serve({ fetch: api.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s as Server)) as Server
  })
  const address = server.address()
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`

  const logs: Record<string, unknown>[] = []
  const log = (entry: Record<string, unknown>) => {
    logs.push(entry)
  }
  const publisher = feedPublisherFor(config, { documentClient, s3Client: s3, log })
  const handler = createStreamHandler(publisher, log)
  const deliveries: Delivery[] = []
  let mode: Delivery['mode'] = 'deliver'
  let waiters: { predicate: () => boolean; resolve: () => void }[] = []
  const onDelivery = () => {
    const ready = waiters.filter((w) => w.predicate())
    waiters = waiters.filter((w) => !ready.includes(w))
    for (const waiter of ready) waiter.resolve()
  }
  const poller = await startStreamPoller({
    endpoint: options.dynamoEndpoint,
    tableName: config.tableName,
    batchWindowMs: 200,
    log,
    handler: async (event) => {
      const current = mode
      // A copy: the poller keeps its own array, and tests replay these events later.
      const copy = structuredClone(event)
      if (current === 'capture') {
        deliveries.push({ event: copy, response: { batchItemFailures: [] }, error: undefined, mode: current })
        onDelivery()
        return { batchItemFailures: [] }
      }
      try {
        const response = await handler(event)
        deliveries.push({ event: copy, response, error: undefined, mode: current })
        return response
      } catch (error) {
        deliveries.push({ event: copy, response: undefined, error, mode: current })
        throw error
      } finally {
        onDelivery()
      }
    },
  })

  const describeState = () =>
    JSON.stringify({
      deliveries: deliveries.length,
      failed: deliveries.filter((d) => d.error || (d.response?.batchItemFailures.length ?? 0) > 0).length,
      lastLogs: logs.slice(-5),
    })
  const auth = { Authorization: `Bearer ${TEST_KEY}` }
  return {
    config,
    url,
    documentClient,
    s3,
    handler,
    logs,
    deliveries,
    poller,
    /** `capture` records the batches and acknowledges them without publishing; `deliver` publishes. */
    setMode(next: Delivery['mode']) {
      mode = next
    },
    /** Resolves once `predicate` holds after a delivery; fails with what was delivered if it does not within a minute. */
    until(predicate: () => boolean, what: string): Promise<void> {
      if (predicate()) return Promise.resolve()
      return withDeadline(new Promise((resolve) => waiters.push({ predicate, resolve })), what, describeState)
    },
    /** The poller's `drained()`, failing with what was delivered if it does not come within a minute. */
    drained(): Promise<void> {
      return withDeadline(poller.drained(), 'the stream to drain', describeState)
    },
    /** POSTs or PUTs an article as JSON; returns the status. */
    async put(fields: Record<string, unknown> & { infoCode: string }): Promise<number> {
      const response = await fetch(new URL(`/api/articles/${fields.infoCode}`, url), {
        method: 'PUT',
        headers: { ...auth, 'Content-Type': 'application/json' },
        body: JSON.stringify(fields),
      })
      await response.arrayBuffer()
      return response.status
    },
    async remove(infoCode: string): Promise<number> {
      const response = await fetch(new URL(`/api/articles/${infoCode}`, url), { method: 'DELETE', headers: auth })
      await response.arrayBuffer()
      return response.status
    },
    async stop() {
      await poller.stop()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      documentClient.destroy()
      s3.destroy()
    },
  }
}

/** A running harness. */
export type Harness = Awaited<ReturnType<typeof startHarness>>

/**
 * `promise`, or a failure naming what did not happen within `ms` and the state at that moment: a wait that
 * never ends then fails with a reason instead of the test's bare timeout.
 */
export function withDeadline<T>(promise: Promise<T>, what: string, state: () => string, ms = 60_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`waited ${ms / 1000} s for ${what}: ${state()}`)), ms)
  })
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer))
}
