import { spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { type DynamoLocal, startDynamoLocal } from '../local/dynamodb-local.ts'

/** The bench's own DynamoDB Local and s3rver. */
export interface BenchServers {
  readonly dynamoEndpoint: string
  readonly s3Endpoint: string
  /** DynamoDB Local's process id. */
  readonly dynamoPid: number | undefined
  stop(): Promise<void>
}

/** Runs a TypeScript file of bench/ in a fresh `node` with tsx; the first stdout line is its JSON answer. */
export function spawnTs(file: string, args: readonly string[] = [], env: NodeJS.ProcessEnv = process.env) {
  const path = fileURLToPath(new URL(file, import.meta.url))
  return spawn(process.execPath, ['--openssl-legacy-provider', '--import', 'tsx', path, ...args], {
    env,
    stdio: ['pipe', 'pipe', 'inherit'],
  })
}

/** The first line a child prints, parsed as JSON; rejects when the child exits first. */
export function firstLine<T>(child: ReturnType<typeof spawnTs>): Promise<T> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! })
    lines.once('line', (line) => {
      try {
        resolve(JSON.parse(line) as T)
      } catch (error) {
        reject(new Error(`child said ${line.slice(0, 200)}: ${String(error)}`))
      }
    })
    child.once('exit', (code) => reject(new Error(`child exited (${code}) before answering`)))
  })
}

/**
 * Starts DynamoDB Local (in memory) in its Java process and s3rver in a node process of its own, each on a
 * free loopback port.
 */
export async function startBenchServers(): Promise<BenchServers> {
  const s3Child = spawnTs('./s3-server.ts', [], { ...process.env, NODE_NO_WARNINGS: '1' })
  // 2 GB of heap: with 512 MB, DynamoDB Local answers a Scan of 50,000 seeded articles with InternalFailure.
  const [dynamo, s3] = await Promise.all([
    startDynamoLocal({ heapMb: 2048 }),
    firstLine<{ endpoint: string }>(s3Child),
  ] as const)
  return {
    dynamoEndpoint: (dynamo as DynamoLocal).endpoint,
    s3Endpoint: s3.endpoint,
    dynamoPid: (dynamo as DynamoLocal).pid,
    async stop() {
      s3Child.stdin?.end()
      await Promise.all([
        dynamo.stop(),
        new Promise((r) => (s3Child.exitCode !== null ? r(null) : s3Child.once('exit', r))),
      ])
    },
  }
}

/** An app server child (`bench/app-server.ts`). */
export interface AppServer {
  readonly url: string
  readonly apiKey: string
  /** The child's process id. */
  readonly pid: number | undefined
  stop(): Promise<void>
}

/** Where a bench app or pipeline keeps its data, and how it is configured. */
export interface AppEnv {
  readonly servers: Pick<BenchServers, 'dynamoEndpoint' | 's3Endpoint'>
  readonly tableName: string
  readonly bucketName?: string
  readonly extra?: Readonly<Record<string, string>>
}

/** The environment a bench child reads its configuration from. */
export function appEnvironment(env: AppEnv): NodeJS.ProcessEnv {
  return {
    ...process.env,
    // The AWS SDK's notice about Node 20 would otherwise interleave with the bench output.
    NODE_NO_WARNINGS: '1',
    DYNAMODB_ENDPOINT: env.servers.dynamoEndpoint,
    S3_ENDPOINT: env.servers.s3Endpoint,
    TABLE_NAME: env.tableName,
    BUCKET_NAME: env.bucketName ?? env.tableName,
    API_KEY: 'bench-key',
    RATE_LIMIT_PER_MINUTE: '0',
    AWS_REGION: 'us-east-1',
    ...env.extra,
  }
}

/** Starts `bench/app-server.ts` as `api`, `share` or `pipeline` and waits until it listens. */
export async function startAppServer(kind: 'api' | 'share' | 'pipeline', env: AppEnv): Promise<AppServer> {
  const child = spawnTs('./app-server.ts', [kind], appEnvironment(env))
  const { url, apiKey } = await firstLine<{ url: string; apiKey: string }>(child)
  return {
    url,
    apiKey,
    pid: child.pid,
    async stop() {
      child.stdin?.end()
      await new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)))
    },
  }
}
