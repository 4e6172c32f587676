import { createDocumentClient, createS3Client } from '#shared/adapters/aws-clients'
import { dynamoArchiveIndex } from '#shared/adapters/dynamodb-archive-index'
import { type DynamoArticleStoreOptions, dynamoArticleStore } from '#shared/adapters/dynamodb-article-store'
import { type S3ObjectStoreOptions, s3ObjectStore } from '#shared/adapters/s3-object-store'
import { websubHub } from '#shared/adapters/websub-hub'
import type { ConfigOf } from '#shared/config'
import { guardedRenderer } from '#shared/content/guarded-render'
import { log as defaultLog } from '#shared/observability'
import type { ObjectStore } from '#shared/ports/object-store'
import { createFeedPublisher, type FeedPublisher, type Log } from './regenerate.ts'

/** The settings the feeds function reads; the Lambda fails at start naming the first one unset. */
export const FEEDS_SETTINGS = [
  'publicBaseUrl',
  'tableName',
  'bucketName',
  'feedSize',
  'siteOffsetMinutes',
  'siteName',
  'region',
] as const

/** The feeds function's configuration (WEBSUB_HUB_URL optional). */
export type FeedsConfig = ConfigOf<(typeof FEEDS_SETTINGS)[number]>

/** Clients to reuse (the local pipeline's); new ones are made from the config otherwise. */
export interface FeedClients {
  readonly documentClient?: DynamoArticleStoreOptions['client']
  readonly s3Client?: S3ObjectStoreOptions['client']
  /** The object store to write to; shared with the local static site so reads never race writes on s3rver. */
  readonly objects?: ObjectStore
  readonly log?: Log
}

/**
 * The feed publisher wired to DynamoDB, S3 and (when configured) the WebSub hub, as the Lambda, the local
 * pipeline, `npm run feeds:rebuild` and the benchmarks all use it.
 * @example const publisher = feedPublisherFor(readConfig(process.env, FEEDS_SETTINGS))
 */
export function feedPublisherFor(config: FeedsConfig, clients: FeedClients = {}): FeedPublisher {
  const documentClient = clients.documentClient ?? createDocumentClient(config)
  const s3Client = clients.s3Client ?? createS3Client(config)
  const log = clients.log ?? defaultLog
  // One body that fails or runs over budget shows its summary instead of failing every feed that holds it.
  const renderBody = guardedRenderer({ baseUrl: config.publicBaseUrl, log })
  return createFeedPublisher({
    articles: dynamoArticleStore({
      client: documentClient,
      tableName: config.tableName,
      siteOffsetMinutes: config.siteOffsetMinutes,
    }),
    archive: dynamoArchiveIndex({ client: documentClient, tableName: config.tableName }),
    objects: clients.objects ?? s3ObjectStore({ client: s3Client, bucket: config.bucketName }),
    hub: config.websubHubUrl ? websubHub({ hubUrl: config.websubHubUrl, log: clients.log }) : undefined,
    hubUrl: config.websubHubUrl,
    publicBaseUrl: config.publicBaseUrl,
    siteName: config.siteName,
    feedSize: config.feedSize,
    siteOffsetMinutes: config.siteOffsetMinutes,
    log: clients.log,
    renderBody,
  })
}
