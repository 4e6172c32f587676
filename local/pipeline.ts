import { writeFileSync } from 'node:fs'
import type { Server } from 'node:http'
import { join } from 'node:path'
import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import { createDocumentClient, createS3Client } from '#shared/adapters/aws-clients'
import { s3ObjectStore } from '#shared/adapters/s3-object-store'
import { quietLog } from '#shared/observability'
import { apiAppFor } from '../functions/api/wiring.ts'
import type { FeedPublisher } from '../functions/feeds/regenerate.ts'
import { createStreamHandler } from '../functions/feeds/stream.ts'
import { feedPublisherFor } from '../functions/feeds/wiring.ts'
import { watchWrites } from '../functions/share/watch-writes.ts'
import { shareAppFor, shareStoreFor } from '../functions/share/wiring.ts'
import { type LocalConfig, localConfig } from './config.ts'
import { type DynamoLocal, startDynamoLocal } from './dynamodb-local.ts'
import { ensureBucket, ensureTable } from './resources.ts'
import { type S3Local, startS3Local } from './s3-local.ts'
import { createStaticSiteApp } from './static-site.ts'
import { type StreamPoller, startStreamPoller } from './stream-poller.ts'

/** The key `npm start` accepts when API_KEY is unset: for a laptop only, printed at start. */
export const DEVELOPMENT_API_KEY = 'finews-local-development-key'

/** Options of a local pipeline. */
export interface PipelineOptions {
  /** Keep data here across restarts; in memory and a temporary folder when unset. */
  readonly dataDir?: string | undefined
  readonly host?: string
  /** 0 picks a free port. */
  readonly port?: number
  /** Environment overrides (FEED_SIZE, SITE_TIMEZONE, TABLE_NAME, …); `process.env` is not read when given. */
  readonly env?: NodeJS.ProcessEnv
  /** Use servers that already run (the test run's) instead of starting new ones; they are not stopped. */
  readonly servers?: { readonly dynamoEndpoint: string; readonly s3Endpoint: string }
}

/** A running pipeline: servers, clients and the HTTP server. */
export interface Pipeline {
  readonly url: string
  readonly apiKey: string
  readonly config: LocalConfig
  readonly dynamo: Pick<DynamoLocal, 'endpoint'>
  readonly s3: Pick<S3Local, 'endpoint'>
  readonly app: Hono
  /** The feeds function's publisher on this pipeline's table and bucket (regenerate a category, rebuild all). */
  readonly feeds: FeedPublisher
  /** The local event source mapping feeding the feeds handler; `drained()` waits for the stream to be handled. */
  readonly stream: StreamPoller
  stop(): Promise<void>
}

/**
 * Starts the whole pipeline on one machine: DynamoDB Local, s3rver, the table and bucket, and one HTTP
 * server with the same Hono apps the Lambdas run. `npm start`, the end-to-end tests and the benchmarks use it.
 */
export async function startPipeline(options: PipelineOptions = {}): Promise<Pipeline> {
  // What has started so far, stopped when a later step fails: DynamoDB Local is a child process that
  // `process.exit` would leave running (listening on every interface) behind an error message.
  const started: (() => Promise<unknown>)[] = []
  try {
    return await startParts(options, started)
  } catch (error) {
    await Promise.allSettled(started.reverse().map((stop) => stop()))
    throw error
  }
}

async function startParts(options: PipelineOptions, started: (() => Promise<unknown>)[]): Promise<Pipeline> {
  const env = options.env ?? process.env
  const host = options.host ?? '127.0.0.1'
  const requestedPort = options.port ?? 0
  const external = options.servers
  const apps = new Hono()
  // Hono freezes its router on the first request: until every app is mounted, answer 503 instead.
  let ready = false
  // Listening comes first: a port in use fails before any server starts.
  const server = await listen(
    (request) =>
      ready ? apps.fetch(request) : new Response('starting', { status: 503, headers: { 'Retry-After': '1' } }),
    host,
    requestedPort,
  )
  started.push(() => new Promise((resolve) => server.close(resolve)))
  const [dynamo, s3]: [Pick<DynamoLocal, 'endpoint' | 'stop'>, Pick<S3Local, 'endpoint' | 'stop'>] = external
    ? [
        { endpoint: external.dynamoEndpoint, stop: async () => undefined },
        { endpoint: external.s3Endpoint, stop: async () => undefined },
      ]
    : await startBoth(
        startDynamoLocal(options.dataDir ? { dbPath: join(options.dataDir, 'dynamodb') } : {}),
        startS3Local(options.dataDir ? { directory: join(options.dataDir, 's3') } : {}),
        started,
      )
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : requestedPort
  const config = localConfig({
    ...env,
    PUBLIC_BASE_URL: env.PUBLIC_BASE_URL || `http://${host}:${port}`,
    DYNAMODB_ENDPOINT: dynamo.endpoint,
    S3_ENDPOINT: s3.endpoint,
  })
  const documentClient = createDocumentClient(config)
  const s3Client = createS3Client(config)
  started.push(async () => {
    documentClient.destroy()
    s3Client.destroy()
  })
  await Promise.all([ensureTable(documentClient as never, config.tableName), ensureBucket(s3Client, config.bucketName)])
  const apiKey = env.API_KEY || DEVELOPMENT_API_KEY
  // One store for both apps: the api's writes reach the share app's cache at once (a delete answers 410 right away).
  const articles = shareStoreFor(config, documentClient)
  const writes = watchWrites(articles)
  apps.route('/', apiAppFor(config, { articles: writes.store, keys: async () => [apiKey] }))
  // Share pages and short links, before any catch-all static route.
  apps.route('/', shareAppFor(config, { articles, changes: writes.changes }))
  // The bucket's feeds and pages, as CloudFront serves them: only /feeds/*, /category/* and /.
  const s3Objects = s3ObjectStore({ client: s3Client, bucket: config.bucketName })
  apps.route('/', createStaticSiteApp({ objects: s3Objects }))
  // The feeds function, fed by the table's stream as the event source mapping would.
  // Warnings and errors through the Powertools logger; `info` (every feed published) would flood the terminal.
  const feeds = feedPublisherFor(config, { documentClient, s3Client, objects: s3Objects, log: quietLog })
  // The page the static site answers for an unknown path exists from the start, before any upload (in AWS the
  // first regeneration writes it).
  await feeds.writeNotFoundPage()
  const stream = await startStreamPoller({
    endpoint: dynamo.endpoint,
    region: config.region,
    tableName: config.tableName,
    handler: createStreamHandler(feeds, quietLog),
    checkpointPath: options.dataDir ? join(options.dataDir, 'stream-checkpoint.json') : undefined,
    log: quietLog,
  })
  started.push(() => stream.stop())

  // Tells `npm run feeds:rebuild` where this stack's servers run (random ports) and which base URL and
  // names it publishes with; left in place at stop, so a later rebuild keeps the same feed ids.
  const serversFile = options.dataDir ? join(options.dataDir, 'servers.json') : undefined
  if (serversFile) {
    const { publicBaseUrl, tableName, bucketName } = config
    const running = { pid: process.pid, dynamoEndpoint: dynamo.endpoint, s3Endpoint: s3.endpoint }
    writeFileSync(serversFile, JSON.stringify({ ...running, publicBaseUrl, tableName, bucketName }))
  }
  ready = true
  return {
    url: `http://${host}:${port}`,
    apiKey,
    config,
    dynamo,
    s3,
    app: apps,
    feeds,
    stream,
    async stop() {
      await stream.stop()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      documentClient.destroy()
      s3Client.destroy()
      await Promise.all([dynamo.stop(), s3.stop()])
    },
  }
}

/** Both servers, each one's stop recorded once it runs; when either fails, after both have settled. */
async function startBoth<D extends { stop(): Promise<void> }, S extends { stop(): Promise<void> }>(
  dynamo: Promise<D>,
  s3: Promise<S>,
  started: (() => Promise<unknown>)[],
): Promise<[D, S]> {
  const [d, s] = await Promise.allSettled([dynamo, s3])
  for (const result of [d, s]) if (result.status === 'fulfilled') started.push(() => result.value.stop())
  if (d.status === 'rejected') throw d.reason
  if (s.status === 'rejected') throw s.reason
  return [d.value, s.value]
}

function listen(
  fetch: (request: Request) => Response | Promise<Response>,
  hostname: string,
  port: number,
): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch, hostname, port }, () => resolve(server as Server)) as Server
    server.once('error', reject)
  })
}
