#!/usr/bin/env tsx
// `npm run feeds:rebuild [-- --aws] [-- --page-size N]`: regenerates every feed, page and the OPML list.
// First, as in npm start: no AWS SDK notice about Node.js 22 (the lock pins an SDK that runs on 20).
import '../local/environment.ts'
import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { readConfig } from '#shared/config'
import { quietLog } from '#shared/observability'
import type { FeedPublisher, RebuildProgress } from '../functions/feeds/regenerate.ts'
import { feedPublisherFor } from '../functions/feeds/wiring.ts'
import { localConfig } from '../local/config.ts'
import { startDynamoLocal } from '../local/dynamodb-local.ts'
import { startS3Local } from '../local/s3-local.ts'

const HELP = `Regenerates every feed (RSS, Atom, JSON Feed), every category page, the home page and the OPML
list from the table, a page of categories at a time; writes only the objects whose bytes change.

  npm run feeds:rebuild                   the local stack in DATA_DIR (default .data): the servers of a
                                          running \`npm start\` on that folder, else its own on the same data
  npm run feeds:rebuild -- --aws          AWS: TABLE_NAME, BUCKET_NAME, PUBLIC_BASE_URL, AWS_REGION (and
                                          FEED_SIZE, SITE_TIMEZONE, WEBSUB_HUB_URL as the function has them)
                                          from the environment, credentials from the default AWS chain
  --page-size N                           feeds regenerated per page (default 20)`

interface RunningStack {
  /** The `npm start` process; it may have stopped since. */
  readonly pid: number
  readonly dynamoEndpoint: string
  readonly s3Endpoint: string
  readonly publicBaseUrl: string
  readonly tableName: string
  readonly bucketName: string
}

const { values } = parseArgs({
  options: { aws: { type: 'boolean' }, 'page-size': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
})
if (values.help) {
  console.log(HELP)
  process.exit(0)
}
const pageSize = Number(values['page-size'] ?? 20)
if (!Number.isInteger(pageSize) || pageSize < 1) {
  console.error('--page-size must be a whole number from 1')
  process.exit(2)
}

const started = Date.now()
const report = (progress: RebuildProgress) =>
  console.log(
    `  ${String(progress.done).padStart(String(progress.total).length)}/${progress.total} feeds` +
      `  (up to ${progress.target === '_site' ? 'the site-wide feed' : progress.target})` +
      (progress.failed > 0 ? `  ${progress.failed} failed` : ''),
  )

async function rebuild(publisher: FeedPublisher, where: string): Promise<number> {
  console.log(`rebuilding every feed in ${where}`)
  const result = await publisher.rebuildAll({ pageSize, onProgress: report })
  for (const [target, error] of result.failed) console.error(`  failed: ${target}: ${String(error)}`)
  console.log(
    `done in ${((Date.now() - started) / 1000).toFixed(1)} s: ${result.written.length} objects written` +
      ` (unchanged ones are left as they are), ${result.failed.size} feeds failed`,
  )
  return result.failed.size > 0 ? 1 : 0
}

if (values.aws) {
  // The deployment's names are required (no local guess for an AWS table); the site's shape (FEED_SIZE,
  // SITE_TIMEZONE, SITE_NAME) defaults to what the stack sets.
  readConfig(process.env, ['tableName', 'bucketName', 'publicBaseUrl', 'region'])
  process.exitCode = await rebuild(feedPublisherFor(localConfig(), { log: quietLog }), 'AWS')
} else {
  const dataDir = resolve(process.env.DATA_DIR ?? '.data')
  const last = lastStack(dataDir)
  const running = last && (await isRunning(last)) ? last : undefined
  // A running `npm start` owns DATA_DIR's DynamoDB Local: use its servers; otherwise start our own on it.
  const servers = running
    ? { dynamoEndpoint: running.dynamoEndpoint, s3Endpoint: running.s3Endpoint, stop: async () => undefined }
    : await startServers(dataDir)
  try {
    const config = localConfig({
      ...process.env,
      PUBLIC_BASE_URL:
        process.env.PUBLIC_BASE_URL ||
        last?.publicBaseUrl ||
        `http://${process.env.HOST ?? '127.0.0.1'}:${process.env.PORT ?? 3000}`,
      TABLE_NAME: process.env.TABLE_NAME || last?.tableName,
      BUCKET_NAME: process.env.BUCKET_NAME || last?.bucketName,
      DYNAMODB_ENDPOINT: servers.dynamoEndpoint,
      S3_ENDPOINT: servers.s3Endpoint,
    })
    const where = `${dataDir} (${running ? `the running npm start, pid ${running.pid}` : 'its own servers'})`
    process.exitCode = await rebuild(feedPublisherFor(config, { log: quietLog }), where)
  } finally {
    await servers.stop()
  }
}

/** What the last `npm start` on this folder wrote: its servers, base URL and names. */
function lastStack(dataDir: string): RunningStack | undefined {
  const file = join(dataDir, 'servers.json')
  if (!existsSync(file)) return undefined
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as RunningStack
  } catch {
    return undefined
  }
}

async function isRunning(stack: RunningStack): Promise<boolean> {
  try {
    process.kill(stack.pid, 0) // signal 0 only asks whether the process is alive
    // Any answer from its DynamoDB Local will do: the pid may have been reused.
    await fetch(stack.dynamoEndpoint, { method: 'POST', signal: AbortSignal.timeout(1000) })
    return true
  } catch {
    return false
  }
}

async function startServers(dataDir: string) {
  if (!existsSync(join(dataDir, 'dynamodb'))) {
    console.error(`no local data in ${dataDir}: run \`npm start\` (and upload something) first, or set DATA_DIR`)
    process.exit(1)
  }
  const [dynamo, s3] = await Promise.all([
    startDynamoLocal({ dbPath: join(dataDir, 'dynamodb') }),
    startS3Local({ directory: join(dataDir, 's3') }),
  ])
  return {
    dynamoEndpoint: dynamo.endpoint,
    s3Endpoint: s3.endpoint,
    stop: async () => {
      await Promise.all([dynamo.stop(), s3.stop()])
    },
  }
}
