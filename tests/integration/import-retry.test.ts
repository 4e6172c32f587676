import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { uploadPost } from '../../scripts/import/api-client.ts'
import { type ImportOptions, importPosts } from '../../scripts/import/importer.ts'
import { DEFAULT_RETRY, RateGate } from '../../scripts/import/retry.ts'
import { openState } from '../../scripts/import/state.ts'
import { post } from '../support/fixture.ts'
import { listenOnLoopback } from '../support/loopback.ts'

// A stand-in for the API on 127.0.0.1 that answers what each test scripts: no AWS involved, only HTTP.
type Handler = (req: IncomingMessage, res: ServerResponse, n: number) => void
interface Arrival {
  readonly method: string
  readonly path: string
  readonly at: number
  readonly idempotencyKey: string | undefined
}

let dir: string
let server: ReturnType<typeof createServer> | undefined
let arrivals: Arrival[]
const sockets = new Set<import('node:net').Socket>()

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'finews-import-retry-'))
  arrivals = []
})
afterEach(async () => {
  for (const socket of sockets) socket.destroy()
  sockets.clear()
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)))
  server = undefined
  await rm(dir, { recursive: true, force: true })
})

/** Starts the fake API; `GET /api/articles` (the importer's pre-flight check) always answers 200. */
async function fakeApi(handler: Handler): Promise<string> {
  const counts = new Map<string, number>()
  server = createServer((req, res) => {
    req.resume()
    req.on('end', () => {
      if (req.method === 'GET') {
        res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"items":[],"cursor":null}')
        return
      }
      const key = `${req.method} ${req.url}`
      const n = (counts.get(key) ?? 0) + 1
      counts.set(key, n)
      const idempotencyKey = req.headers['idempotency-key'] as string | undefined
      arrivals.push({ method: req.method ?? '', path: req.url ?? '', at: Date.now(), idempotencyKey })
      handler(req, res, n)
    })
  })
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  return (await listenOnLoopback(server)).url
}

function answer(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const type = status >= 400 ? 'application/problem+json' : 'application/json'
  res.writeHead(status, { 'Content-Type': type, ...headers }).end(JSON.stringify(body))
}

function written(res: ServerResponse, req: IncomingMessage, outcome: string): void {
  const infoCode = /\/api\/articles\/(\w+)/.exec(req.url ?? '')?.[1] ?? 'NW202401021000009999'
  answer(res, outcome === 'created' ? 201 : 200, { infoCode }, { 'X-Finews-Outcome': outcome })
}

async function postFile(name: string, infoCode?: string): Promise<string> {
  const path = join(dir, name)
  await writeFile(path, post(infoCode ? { infoCode } : {}))
  return path
}

const options = (api: string, paths: string[]): ImportOptions => ({
  paths,
  api,
  key: 'k',
  statePath: join(dir, 'state.jsonl'),
  retry: { baseMs: 10, capMs: 5_000 },
})

describe('retries', () => {
  it('waits out a 429 for as long as Retry-After says, retries a 503, then succeeds', async () => {
    // Prepare
    const api = await fakeApi((req, res, n) => {
      if (n === 1) answer(res, 429, { detail: 'slow down' }, { 'Retry-After': '1' })
      else if (n === 2) answer(res, 503, { detail: 'busy' }, { 'Retry-After': '0' })
      else written(res, req, 'replaced')
    })
    const file = await postFile('a.md', 'NW202401021000000001')

    // Act
    const summary = await importPosts(options(api, [file]))

    // Assess
    expect(summary.results).toMatchObject([{ outcome: 'replaced', attempts: 3, infoCode: 'NW202401021000000001' }])
    expect(arrivals.map((a) => a.method)).toEqual(['PUT', 'PUT', 'PUT'])
    expect((arrivals[1]?.at ?? 0) - (arrivals[0]?.at ?? 0)).toBeGreaterThanOrEqual(1000)
  })

  it('never retries a 4xx that another try would not change, and keeps its problem detail', async () => {
    // Prepare
    const api = await fakeApi((_req, res) =>
      answer(res, 400, {
        type: 'urn:finews:problem:validation',
        title: 'Invalid article',
        status: 400,
        detail: 'title: title must not be empty',
        errors: [{ path: 'title', message: 'title must not be empty' }],
      }),
    )
    const file = await postFile('a.md', 'NW202401021000000001')

    // Act
    const summary = await importPosts(options(api, [file]))

    // Assess
    expect(arrivals).toHaveLength(1)
    expect(summary.failures).toMatchObject([
      {
        status: 400,
        detail: 'title: title must not be empty',
        errors: [{ path: 'title', message: 'title must not be empty' }],
        attempts: 1,
      },
    ])
  })

  it('gives up after the attempts of the policy, reporting the last answer', async () => {
    // Prepare
    const api = await fakeApi((_req, res) => answer(res, 500, { detail: 'Something went wrong on our side' }))
    const file = await postFile('a.md', 'NW202401021000000001')

    // Act
    const summary = await importPosts({ ...options(api, [file]), retry: { attempts: 3, baseMs: 5 } })

    // Assess
    expect(arrivals).toHaveLength(3)
    expect(summary.failures).toMatchObject([{ status: 500, detail: 'Something went wrong on our side', attempts: 3 }])
  })

  it('retries a PUT whose connection dropped or timed out', async () => {
    // Prepare
    const api = await fakeApi((req, res, n) => {
      if (req.url?.endsWith('01') && n === 1) req.socket.destroy()
      else if (req.url?.endsWith('02') && n === 1)
        return // never answers: the client's timeout fires
      else written(res, req, 'created')
    })
    const files = [await postFile('a.md', 'NW202401021000000001'), await postFile('b.md', 'NW202401021000000002')]

    // Act
    const summary = await importPosts({ ...options(api, files), timeoutMs: 500 })

    // Assess
    expect(summary.counts).toMatchObject({ created: 2, failed: 0 })
    expect(summary.results.map((r) => r.attempts)).toEqual([2, 2])
  })

  it('does not repeat a POST without an idempotency key that may have reached the server', async () => {
    // Prepare
    const api = await fakeApi((req) => req.socket.destroy())
    const body = new TextEncoder().encode(post({}))
    const target = { api, key: 'k', timeoutMs: 5_000 }
    const context = { target, policy: DEFAULT_RETRY, gate: new RateGate(), runStartedAt: Date.now() }

    // Act
    const answer = await uploadPost({ method: 'POST', body }, context)

    // Assess
    expect(arrivals.map((a) => a.method)).toEqual(['POST'])
    expect(answer).toMatchObject({ ok: false, reason: 'unknown-outcome', status: null, attempts: 1 })
    expect(answer.ok ? '' : answer.detail).toMatch(/may have created the article/)
  })

  it('repeats a POST that may have reached the server under the same Idempotency-Key, and records its infoCode', async () => {
    // Prepare: the first POST's connection drops after it arrived; the repeat is answered.
    const api = await fakeApi((req, res, n) => (n === 1 ? req.socket.destroy() : written(res, req, 'unchanged')))
    const file = await postFile('no-code.md')

    // Act
    const summary = await importPosts(options(api, [file]))

    // Assess
    expect(arrivals.map((a) => a.method)).toEqual(['POST', 'POST'])
    const [first, repeat] = arrivals.map((a) => a.idempotencyKey)
    expect(first).toMatch(/^"import-[0-9a-f]{40}"$/)
    expect(repeat).toBe(first)
    expect(summary.results).toMatchObject([{ method: 'POST', outcome: 'unchanged', attempts: 2 }])
    const state = await openState(join(dir, 'state.jsonl'), { readOnly: true })
    expect(state.size).toBe(1)
  })

  it('records the infoCode the server gives a POST, and PUTs under it on the next run', async () => {
    // Prepare
    const api = await fakeApi((req, res) => written(res, req, req.method === 'POST' ? 'created' : 'unchanged'))
    const file = await postFile('no-code.md')

    // Act
    const firstRun = await importPosts(options(api, [file]))
    const secondRun = await importPosts(options(api, [file]))

    // Assess
    expect(firstRun.results).toMatchObject([{ method: 'POST', outcome: 'created', infoCode: 'NW202401021000009999' }])
    expect(secondRun.results).toMatchObject([{ method: 'PUT', outcome: 'unchanged', infoCode: 'NW202401021000009999' }])
    expect(arrivals.map((a) => `${a.method} ${a.path}`)).toEqual([
      'POST /api/articles',
      'PUT /api/articles/NW202401021000009999',
    ])
  })

  it('tells unchanged from replaced by updatedAt when a server sends no outcome header', async () => {
    // Prepare
    const api = await fakeApi((req, res) =>
      answer(res, 200, {
        infoCode: /(\w+)$/.exec(req.url ?? '')?.[1],
        updatedAt: req.url?.endsWith('01') ? '2001-01-01T00:00:00Z' : new Date(Date.now() + 1000).toISOString(),
      }),
    )
    const files = [await postFile('a.md', 'NW202401021000000001'), await postFile('b.md', 'NW202401021000000002')]

    // Act
    const summary = await importPosts(options(api, files))

    // Assess
    expect(summary.results.map((r) => r.outcome)).toEqual(['unchanged', 'replaced'])
  })

  it('stops taking files when the key is refused', async () => {
    // Prepare
    const api = await fakeApi((_req, res) => answer(res, 401, { detail: 'Missing or invalid API key' }))
    const files = await Promise.all(['a', 'b', 'c'].map((n, i) => postFile(`${n}.md`, `NW20240102100000000${i}`)))

    // Act
    const summary = await importPosts({ ...options(api, files), concurrency: 1 })

    // Assess
    expect(arrivals).toHaveLength(1)
    expect(summary.stopReason).toMatch(/refused the key \(401\)/)
    expect(summary.counts).toMatchObject({ failed: 1, pending: 2 })
  })
})

describe('stopping (Ctrl-C)', () => {
  it('takes no new file once aborted, finishes the uploads in flight, and returns the summary', async () => {
    // Prepare
    const held: (() => void)[] = []
    let arrived: () => void = () => undefined
    const twoArrived = new Promise<void>((resolve) => {
      arrived = resolve
    })
    const api = await fakeApi((req, res) => {
      held.push(() => written(res, req, 'created'))
      if (held.length === 2) arrived()
    })
    const files = await Promise.all(
      Array.from({ length: 6 }, (_, i) => postFile(`p${i}.md`, `NW2024010210000000${String(i).padStart(2, '0')}`)),
    )
    const controller = new AbortController()

    // Act
    const running = importPosts({ ...options(api, files), concurrency: 2, signal: controller.signal })
    await twoArrived
    controller.abort()
    for (const release of held) release()
    const summary = await running

    // Assess
    expect(arrivals).toHaveLength(2)
    expect(summary.interrupted).toBe(true)
    expect(summary.counts).toMatchObject({ created: 2, failed: 0, pending: 4 })
    expect(summary.pending).toHaveLength(4)
  })

  it('cuts a Retry-After wait short and leaves that file to the next run', async () => {
    // Prepare
    const controller = new AbortController()
    const api = await fakeApi((_req, res) => {
      answer(res, 429, { detail: 'slow down' }, { 'Retry-After': '60' })
      setTimeout(() => controller.abort(), 50)
    })
    const file = await postFile('a.md', 'NW202401021000000001')

    // Act
    const summary = await importPosts({ ...options(api, [file]), retry: { capMs: 60_000 }, signal: controller.signal })

    // Assess
    expect(arrivals).toHaveLength(1)
    expect(summary.counts).toMatchObject({ failed: 0, pending: 1 })
    expect(summary.interrupted).toBe(true)
  })
})
