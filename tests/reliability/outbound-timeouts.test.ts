import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb'
import { GetObjectCommand } from '@aws-sdk/client-s3'
import { GetCommand } from '@aws-sdk/lib-dynamodb'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDocumentClient, createS3Client, plainClientOf } from '#shared/adapters/aws-clients'
import { clientOptions, SECRETS_LIMITS, SSM_LIMITS } from '#shared/adapters/client-limits'
import { secretsKeyProvider } from '#shared/adapters/secrets-key-provider'
import { readSsmParameter } from '#shared/adapters/ssm-parameter'
import { websubHub } from '#shared/adapters/websub-hub'
import { type Blackhole, startBlackhole } from './support/blackhole.ts'
import { report } from './support/memory.ts'

// Every outbound call of the product against a server that accepts the connection and never answers:
// each must give up on its own (vitest's timeout is only the backstop that turns a hang into a failure).

let hole: Blackhole
let saved: Record<string, string | undefined> = {}
beforeAll(async () => {
  hole = await startBlackhole()
  // Clients built inside the adapters (Secrets Manager, SSM) find their endpoint in the environment
  const settings = {
    AWS_ENDPOINT_URL_SECRETS_MANAGER: hole.url,
    AWS_ENDPOINT_URL_SSM: hole.url,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
  }
  saved = Object.fromEntries(Object.keys(settings).map((name) => [name, process.env[name]]))
  Object.assign(process.env, settings)
})
afterAll(async () => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name]
    else process.env[name] = value
  }
  await hole?.close()
})

interface Handler {
  handle(request: unknown): Promise<unknown>
}

/** One attempt through a client's own HTTP handler (its timeouts, none of its retries). */
function oneAttempt(handler: unknown): Promise<unknown> {
  return (handler as Handler).handle({
    protocol: 'http:',
    hostname: '127.0.0.1',
    port: hole.port,
    method: 'POST',
    path: '/',
    query: {},
    headers: { host: `127.0.0.1:${hole.port}`, 'content-type': 'application/x-amz-json-1.0' },
    body: '{}',
  })
}

async function timed<T>(work: () => Promise<T>): Promise<{ outcome: T | Error; seconds: number }> {
  const start = performance.now()
  const outcome = await work().catch((error: Error) => error)
  return { outcome, seconds: Math.round((performance.now() - start) / 100) / 10 }
}

describe.concurrent('timeouts on every outbound call', () => {
  const soak = Boolean(process.env.SOAK)

  it('DynamoDB: the client gives up with a TimeoutError', { timeout: 90_000 }, async () => {
    const client = createDocumentClient({ region: 'us-east-1', dynamoEndpoint: hole.url })
    const { outcome, seconds } = await timed(() =>
      soak
        ? client.send(new GetCommand({ TableName: 't', Key: { pk: 'a', sk: 'b' } }))
        : oneAttempt(client.config.requestHandler),
    )
    client.destroy()
    report('timeout-dynamodb', { attempts: soak ? 'all' : 1, seconds })
    expect(outcome).toBeInstanceOf(Error)
    expect((outcome as Error).name).toBe('TimeoutError')
  })

  it("DynamoDB: the store's article reads go through a client with the same connections and limits", async () => {
    const client = createDocumentClient({ region: 'us-east-1', dynamoEndpoint: hole.url })
    const plain = plainClientOf(client) as DynamoDBClient
    // A client of its own (lib-dynamodb refuses cacheMiddleware), on the very handler whose limits the test above
    // checks, so destroying the document client also closes its sockets.
    expect(plain).not.toBe(client)
    expect(plain.config.cacheMiddleware).toBe(true)
    expect(plain.config.requestHandler).toBe(client.config.requestHandler)
    client.destroy()
  })

  it('S3: the client gives up with a TimeoutError', { timeout: 90_000 }, async () => {
    const client = createS3Client({ region: 'us-east-1', s3Endpoint: hole.url })
    const { outcome, seconds } = await timed(() =>
      soak ? client.send(new GetObjectCommand({ Bucket: 'b', Key: 'k' })) : oneAttempt(client.config.requestHandler),
    )
    client.destroy()
    report('timeout-s3', { attempts: soak ? 'all' : 1, seconds })
    expect(outcome).toBeInstanceOf(Error)
    expect((outcome as Error).name).toBe('TimeoutError')
  })

  it('Secrets Manager (API keys): the read gives up with a TimeoutError, retries included', async () => {
    const keys = secretsKeyProvider('finews/api-keys', 'us-east-1')
    const connectionsBefore = hole.connections()
    const { outcome, seconds } = await timed(() => keys())
    report('timeout-secrets', { attempts: 'all', seconds })
    expect(hole.connections()).toBeGreaterThan(connectionsBefore)
    expect(outcome).toBeInstanceOf(Error)
    expect((outcome as Error).name).toBe('TimeoutError')
  })

  it('SSM (the public base URL at cold start): the read gives up with a TimeoutError, retries included', async () => {
    const connectionsBefore = hole.connections()
    const { outcome, seconds } = await timed(() => readSsmParameter('/finews/public-base-url', 'us-east-1'))
    report('timeout-ssm', { attempts: 'all', seconds })
    expect(hole.connections()).toBeGreaterThan(connectionsBefore)
    expect(outcome).toBeInstanceOf(Error)
    expect((outcome as Error).name).toBe('TimeoutError')
  })

  it('WebSub hub: publish() returns after its bounded tries and logs the failure, never throws', async () => {
    const logged: Record<string, unknown>[] = []
    const hub = websubHub({ hubUrl: `${hole.url}/hub`, log: (entry) => logged.push(entry) })
    const { outcome, seconds } = await timed(() => hub.publish(['https://news.example.com/feeds/rss.xml']))
    report('timeout-hub', { attempts: 'all', seconds })
    expect(outcome).toBeUndefined()
    expect(logged).toEqual([
      expect.objectContaining({ msg: 'websub hub ping failed', failure: expect.stringMatching(/Timeout/) }),
    ])
  })
})

describe('the attempts each client makes are the ones its limits say (the timeout budget counts them)', () => {
  it('a client built from clientOptions tries maxAttempts times, then gives up with a TimeoutError', async () => {
    const own = await startBlackhole()
    const limits = { maxAttempts: 3, connectionTimeoutMs: 500, requestTimeoutMs: 100, backoffMs: () => 10 }
    const client = new DynamoDBClient({
      region: 'us-east-1',
      endpoint: own.url,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      ...clientOptions(limits),
    })
    const outcome = await client
      .send(new GetItemCommand({ TableName: 't', Key: { pk: { S: 'a' } } }))
      .catch((error: Error) => error)
    client.destroy()
    await own.close()
    expect((outcome as Error).name).toBe('TimeoutError')
    expect(own.connections()).toBe(limits.maxAttempts)
  })

  it('Secrets Manager and SSM: as many attempts as SECRETS_LIMITS and SSM_LIMITS allow', async () => {
    // A hole of their own each: the concurrent tests above share theirs.
    const [secretsHole, ssmHole] = await Promise.all([startBlackhole(), startBlackhole()])
    const shared = [process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER, process.env.AWS_ENDPOINT_URL_SSM]
    process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER = secretsHole.url
    process.env.AWS_ENDPOINT_URL_SSM = ssmHole.url
    const keys = secretsKeyProvider('finews/api-keys', 'us-east-1')
    const outcomes = await Promise.all([
      keys().catch((error: Error) => error),
      readSsmParameter('/finews/public-base-url', 'us-east-1').catch((error: Error) => error),
    ])
    ;[process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER, process.env.AWS_ENDPOINT_URL_SSM] = shared
    await Promise.all([secretsHole.close(), ssmHole.close()])
    for (const outcome of outcomes) expect((outcome as Error).name).toBe('TimeoutError')
    expect(secretsHole.connections()).toBe(SECRETS_LIMITS.maxAttempts)
    expect(ssmHole.connections()).toBe(SSM_LIMITS.maxAttempts)
  })
})
