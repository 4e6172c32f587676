import { readFileSync, renameSync, writeFileSync } from 'node:fs'
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb'
import {
  type _Record,
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  type GetRecordsCommandOutput,
  GetShardIteratorCommand,
  type AttributeValue as SdkAttributeValue,
  type Shard,
  type ShardIteratorType,
} from '@aws-sdk/client-dynamodb-streams'
import type { AttributeValue, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda'
import { log as defaultLog } from '#shared/observability'

/** What the poller calls with each batch: the feeds Lambda's handler. */
export type StreamHandler = (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse | undefined>

/** Settings of the local event source mapping. */
export interface StreamPollerOptions {
  /** DynamoDB Local's endpoint. */
  readonly endpoint: string
  readonly region?: string
  readonly tableName: string
  readonly handler: StreamHandler
  /** Records per invocation at most. @default 100 */
  readonly batchSize?: number
  /** How long to gather records after the first one arrives, as the mapping's batching window. @default 500 */
  readonly batchWindowMs?: number
  /** Pause between reads of an idle stream. @default 100 */
  readonly idlePollMs?: number
  /** Deliveries of a failing record before it is set aside (logged), as bounded retries would. @default 10 */
  readonly maxAttempts?: number
  /** Where to keep each shard's last handled sequence number across restarts; none: start from the oldest record. */
  readonly checkpointPath?: string
  readonly log?: (entry: Record<string, unknown>) => void
}

/** A running poller. */
export interface StreamPoller {
  /** Resolves once every record written before the call has been handled (or set aside). */
  drained(): Promise<void>
  /** Stops reading; resolves after the batch in flight, if any, is handled. */
  stop(): Promise<void>
}

interface ShardState {
  readonly id: string
  readonly parentId: string | undefined
  iterator: string | undefined
  /** The shard is closed and every record of it has been read. */
  exhausted: boolean
  /** Last sequence number read (for a new iterator) and last one handled (for the checkpoint). */
  readSequence: string | undefined
  handledSequence: string | undefined
  pending: DynamoDBRecord[]
  firstPendingAt: number | undefined
  attempts: number
  retryAt: number
}

// Local servers accept any key; these are not secrets.
const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' }
const SHARD_REFRESH_MS = 2000

/**
 * Reads DynamoDB Local's stream the way Lambda's event source mapping reads DynamoDB Streams: shard by
 * shard (a child after its parent), batches of up to `batchSize` gathered for up to `batchWindowMs`,
 * handed to the handler as a real `DynamoDBStreamEvent`. On `batchItemFailures` the records before the
 * reported one are done and delivery starts again from it, with backoff.
 * @example const poller = await startStreamPoller({ endpoint, tableName: 'finews', handler })
 */
export async function startStreamPoller(options: StreamPollerOptions): Promise<StreamPoller> {
  const region = options.region ?? 'us-east-1'
  const batchSize = options.batchSize ?? 100
  const windowMs = options.batchWindowMs ?? 500
  const idlePollMs = options.idlePollMs ?? 100
  const maxAttempts = options.maxAttempts ?? 10
  const log = options.log ?? defaultLog
  const clientSettings = {
    endpoint: options.endpoint,
    region,
    credentials: LOCAL_CREDENTIALS,
    maxAttempts: 2,
    // A hung read must end so the poll loop can reopen its iterators and go on.
    requestHandler: { requestTimeout: 10_000, connectionTimeout: 2_000, throwOnRequestTimeout: true },
  }
  const dynamo = new DynamoDBClient(clientSettings)
  const streams = new DynamoDBStreamsClient(clientSettings)

  async function latestStreamArn(): Promise<string> {
    const described = await dynamo.send(new DescribeTableCommand({ TableName: options.tableName }))
    const arn = described.Table?.LatestStreamArn
    if (!arn) throw new Error(`table ${options.tableName} has no stream: enable NEW_AND_OLD_IMAGES`)
    return arn
  }
  let streamArn = await latestStreamArn()

  const checkpoints = loadCheckpoints(options.checkpointPath)
  const shards = new Map<string, ShardState>()
  let lastRefresh = 0
  let stopped = false
  let quietRounds = 0
  let waiters: { quietNeeded: number; resolve: () => void }[] = []

  async function refreshShards(): Promise<void> {
    let start: string | undefined
    do {
      const out = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn, ExclusiveStartShardId: start }))
      for (const shard of out.StreamDescription?.Shards ?? []) addShard(shard)
      start = out.StreamDescription?.LastEvaluatedShardId
    } while (start)
    lastRefresh = Date.now()
  }

  function addShard(shard: Shard): void {
    if (!shard.ShardId || shards.has(shard.ShardId)) return
    const handled = checkpoints[shard.ShardId]
    shards.set(shard.ShardId, {
      id: shard.ShardId,
      parentId: shard.ParentShardId,
      iterator: undefined,
      exhausted: false,
      readSequence: handled,
      handledSequence: handled,
      pending: [],
      firstPendingAt: undefined,
      attempts: 0,
      retryAt: 0,
    })
  }

  // Records of a child shard come after its parent's: read it only once the parent is done (or gone).
  function isReady(shard: ShardState): boolean {
    const parent = shard.parentId ? shards.get(shard.parentId) : undefined
    return !parent || (parent.exhausted && parent.pending.length === 0)
  }

  async function openIterator(shard: ShardState): Promise<void> {
    const after = shard.readSequence
    const request = (type: ShardIteratorType, sequence?: string) =>
      streams.send(
        new GetShardIteratorCommand({
          StreamArn: streamArn,
          ShardId: shard.id,
          ShardIteratorType: type,
          SequenceNumber: sequence,
        }),
      )
    try {
      const out = after ? await request('AFTER_SEQUENCE_NUMBER', after) : await request('TRIM_HORIZON')
      shard.iterator = out.ShardIterator
    } catch (error) {
      // A checkpoint the stream no longer holds (trimmed, or refused as a client error): start from the
      // oldest record; handling a record twice is harmless, skipping one is not.
      const refused = (error as { $fault?: string }).$fault === 'client'
      if (!after || !(error instanceof Error) || (error.name !== 'TrimmedDataAccessException' && !refused)) throw error
      shard.iterator = (await request('TRIM_HORIZON')).ShardIterator
    }
    if (!shard.iterator) shard.exhausted = true
  }

  async function read(shard: ShardState): Promise<number> {
    if (shard.exhausted || shard.pending.length >= batchSize) return 0
    if (!shard.iterator) await openIterator(shard)
    if (!shard.iterator) return 0
    let out: GetRecordsCommandOutput
    try {
      out = await streams.send(
        new GetRecordsCommand({ ShardIterator: shard.iterator, Limit: batchSize - shard.pending.length }),
      )
    } catch (error) {
      // An expired iterator, or one a restarted DynamoDB Local no longer knows: open a new one after the
      // last record read.
      shard.iterator = undefined
      if (error instanceof Error && error.name === 'ExpiredIteratorException') return 0
      throw error
    }
    const records = (out.Records ?? []).map((record) => toLambdaRecord(record, streamArn, region))
    shard.iterator = out.NextShardIterator
    if (!shard.iterator) shard.exhausted = true
    if (records.length > 0) {
      shard.pending.push(...records)
      shard.readSequence = records[records.length - 1]?.dynamodb?.SequenceNumber ?? shard.readSequence
      shard.firstPendingAt ??= Date.now()
    }
    return records.length
  }

  async function deliver(shard: ShardState): Promise<boolean> {
    const now = Date.now()
    if (shard.pending.length === 0 || now < shard.retryAt) return false
    const full = shard.pending.length >= batchSize
    const windowOver = now - (shard.firstPendingAt ?? now) >= windowMs
    if (!full && !windowOver && !shard.exhausted && shard.attempts === 0) return false
    const batch = shard.pending.slice(0, batchSize)
    let failedAt = -1
    try {
      const response = await options.handler({ Records: batch })
      const reported = response?.batchItemFailures ?? []
      if (reported.length > 0) {
        const indexes = reported.map((f) => batch.findIndex((r) => r.dynamodb?.SequenceNumber === f.itemIdentifier))
        // An identifier that is not in the batch (or empty) fails the whole batch, as Lambda treats it.
        failedAt = indexes.includes(-1) ? 0 : Math.min(...indexes)
      }
    } catch (error) {
      log({ level: 'error', msg: 'stream handler threw; retrying the batch', error: String(error) })
      failedAt = 0
    }
    const handled = failedAt === -1 ? batch.length : failedAt
    if (handled > 0) {
      shard.pending.splice(0, handled)
      shard.handledSequence = batch[handled - 1]?.dynamodb?.SequenceNumber ?? shard.handledSequence
      shard.attempts = 0
      saveCheckpoint()
    }
    if (failedAt !== -1) {
      shard.attempts++
      if (shard.attempts >= maxAttempts) {
        const [dropped] = shard.pending.splice(0, 1)
        shard.handledSequence = dropped?.dynamodb?.SequenceNumber ?? shard.handledSequence
        log({
          level: 'error',
          msg: 'stream record set aside after repeated failures',
          sequenceNumber: dropped?.dynamodb?.SequenceNumber,
          keys: dropped?.dynamodb?.Keys,
          attempts: shard.attempts,
        })
        shard.attempts = 0
        saveCheckpoint()
      } else {
        shard.retryAt = Date.now() + Math.min(5000, 100 * 2 ** (shard.attempts - 1))
      }
    }
    shard.firstPendingAt = shard.pending.length > 0 ? (shard.firstPendingAt ?? Date.now()) : undefined
    return true
  }

  function saveCheckpoint(): void {
    if (!options.checkpointPath) return
    const state: Record<string, string> = {}
    for (const shard of shards.values()) if (shard.handledSequence) state[shard.id] = shard.handledSequence
    const temporary = `${options.checkpointPath}.tmp`
    writeFileSync(temporary, JSON.stringify({ streamArn, shards: state }))
    renameSync(temporary, options.checkpointPath)
  }

  function loadCheckpoints(path: string | undefined): Record<string, string> {
    if (!path) return {}
    try {
      const saved = JSON.parse(readFileSync(path, 'utf8')) as { streamArn?: string; shards?: Record<string, string> }
      return saved.streamArn === streamArn && saved.shards ? saved.shards : {}
    } catch {
      return {}
    }
  }

  async function round(): Promise<boolean> {
    if (Date.now() - lastRefresh > SHARD_REFRESH_MS) await refreshShards()
    let busy = false
    for (const shard of shards.values()) {
      if (!isReady(shard)) continue
      if ((await read(shard)) > 0) busy = true
      if (await deliver(shard)) busy = true
      if (shard.pending.length > 0) busy = true
    }
    return busy
  }

  // A table dropped and made again has a new stream: start over on it.
  async function recover(error: unknown): Promise<void> {
    if (!(error instanceof Error) || error.name !== 'ResourceNotFoundException') return
    const arn = await latestStreamArn().catch(() => streamArn)
    if (arn === streamArn) return
    streamArn = arn
    shards.clear()
    lastRefresh = 0
  }

  let failing = false
  const loop = (async () => {
    while (!stopped) {
      let busy = true
      try {
        busy = await round()
        if (failing) log({ level: 'info', msg: 'stream poll recovered' })
        failing = false
      } catch (error) {
        // One line when reads start failing (DynamoDB Local restarting, say), not one per try.
        if (!failing) log({ level: 'warn', msg: 'stream poll failed; retrying', error: String(error) })
        failing = true
        await recover(error)
        await sleep(500)
      }
      quietRounds = busy ? 0 : quietRounds + 1
      const ready = waiters.filter((w) => quietRounds >= w.quietNeeded)
      waiters = waiters.filter((w) => quietRounds < w.quietNeeded)
      for (const waiter of ready) waiter.resolve()
      // While a batch gathers (or waits for a retry) keep reading often; an idle stream is read less often.
      await sleep(busy ? Math.min(idlePollMs, 50) : idlePollMs)
    }
  })()

  return {
    drained() {
      // Two quiet rounds after the call: one read that found nothing, after one that may predate the write.
      return new Promise((resolve) => waiters.push({ quietNeeded: quietRounds + 2, resolve }))
    },
    async stop() {
      stopped = true
      await loop
      for (const waiter of waiters) waiter.resolve()
      waiters = []
      dynamo.destroy()
      streams.destroy()
    },
  }
}

/** A record from the Streams API in the shape Lambda delivers it (numbers for dates, base64 for binary). */
export function toLambdaRecord(record: _Record, streamArn: string, region: string): DynamoDBRecord {
  const data = record.dynamodb
  return {
    eventID: record.eventID,
    eventName: record.eventName,
    eventVersion: record.eventVersion ?? '1.1',
    eventSource: record.eventSource ?? 'aws:dynamodb',
    awsRegion: record.awsRegion ?? region,
    eventSourceARN: streamArn,
    dynamodb: {
      ...(data?.ApproximateCreationDateTime
        ? { ApproximateCreationDateTime: Math.floor(data.ApproximateCreationDateTime.getTime() / 1000) }
        : {}),
      ...(data?.Keys ? { Keys: toLambdaImage(data.Keys) } : {}),
      ...(data?.NewImage ? { NewImage: toLambdaImage(data.NewImage) } : {}),
      ...(data?.OldImage ? { OldImage: toLambdaImage(data.OldImage) } : {}),
      SequenceNumber: data?.SequenceNumber,
      SizeBytes: data?.SizeBytes,
      StreamViewType: data?.StreamViewType,
    },
  }
}

function toLambdaImage(image: Record<string, SdkAttributeValue>): Record<string, AttributeValue> {
  return Object.fromEntries(Object.entries(image).map(([key, value]) => [key, toLambdaValue(value)]))
}

function toLambdaValue(value: SdkAttributeValue): AttributeValue {
  if (value.B !== undefined) return { B: Buffer.from(value.B).toString('base64') }
  if (value.BS !== undefined) return { BS: value.BS.map((b) => Buffer.from(b).toString('base64')) }
  if (value.M !== undefined) return { M: toLambdaImage(value.M) }
  if (value.L !== undefined) return { L: value.L.map(toLambdaValue) }
  if (value.S !== undefined) return { S: value.S }
  if (value.N !== undefined) return { N: value.N }
  if (value.SS !== undefined) return { SS: value.SS }
  if (value.NS !== undefined) return { NS: value.NS }
  if (value.BOOL !== undefined) return { BOOL: value.BOOL }
  return { NULL: true }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
