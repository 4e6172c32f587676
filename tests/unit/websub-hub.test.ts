import { createServer, type IncomingMessage, type Server } from 'node:http'
import { afterEach, describe, expect, it } from 'vitest'
import { websubHub } from '#shared/adapters/websub-hub'
import { freePort } from '../../local/ports.ts'
import { listenOnLoopback } from '../support/loopback.ts'

let server: Server | undefined

afterEach(async () => {
  const running = server
  server = undefined
  if (!running) return
  running.closeAllConnections()
  await new Promise((resolve) => running.close(resolve))
})

/** A hub on loopback answering each request with the next status of `statuses` (0: never answer). */
async function hub(statuses: number[]) {
  const requests: { contentType: string | undefined; body: string }[] = []
  server = createServer((request: IncomingMessage, response) => {
    let body = ''
    request.on('data', (chunk) => {
      body += chunk
    })
    request.on('end', () => {
      requests.push({ contentType: request.headers['content-type'], body })
      const status = statuses.shift() ?? 204
      if (status !== 0) response.writeHead(status).end()
    })
  })
  const { url } = await listenOnLoopback(server)
  return { url: `${url}/`, requests }
}

describe('the WebSub publisher', () => {
  it('posts hub.mode=publish once per distinct feed URL, form-encoded', async () => {
    const { url, requests } = await hub([])
    const logged: unknown[] = []

    await websubHub({ hubUrl: url, log: (e) => logged.push(e) }).publish([
      'https://a.example/feeds/rss.xml',
      'https://a.example/feeds/rss.xml',
      'https://a.example/feeds/atom.xml?x=1&y=2',
    ])

    expect(requests.map((r) => r.body).sort()).toEqual([
      'hub.mode=publish&hub.url=https%3A%2F%2Fa.example%2Ffeeds%2Fatom.xml%3Fx%3D1%26y%3D2',
      'hub.mode=publish&hub.url=https%3A%2F%2Fa.example%2Ffeeds%2Frss.xml',
    ])
    expect(requests[0]?.contentType).toBe('application/x-www-form-urlencoded')
    expect(logged).toEqual([])
  })

  it('retries a 5xx and a hanging hub, and gives up quietly with a log line', async () => {
    const { url, requests } = await hub([503, 0, 500])
    const logged: Record<string, unknown>[] = []

    await websubHub({ hubUrl: url, attempts: 3, timeoutMs: 200, backoffMs: 5, log: (e) => logged.push(e) }).publish([
      'https://a.example/feeds/rss.xml',
    ])

    expect(requests).toHaveLength(3)
    expect(logged).toHaveLength(1)
    expect(logged[0]).toMatchObject({ level: 'warn', url: 'https://a.example/feeds/rss.xml', failure: 'HTTP 500' })
  })

  it('does not retry a 4xx answer, which another try would not change', async () => {
    const { url, requests } = await hub([400])
    const logged: unknown[] = []

    await websubHub({ hubUrl: url, attempts: 3, backoffMs: 5, log: (e) => logged.push(e) }).publish([
      'https://a.example/x',
    ])

    expect(requests).toHaveLength(1)
    expect(logged).toHaveLength(1)
  })

  it('never throws, even when nothing listens', async () => {
    const port = await freePort()

    await expect(
      websubHub({ hubUrl: `http://127.0.0.1:${port}/`, attempts: 2, backoffMs: 5, log: () => undefined }).publish([
        'https://a.example/x',
      ]),
    ).resolves.toBeUndefined()
  })
})
