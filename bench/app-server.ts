import '../local/environment.ts'
import type { Server } from 'node:http'
import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import { createDocumentClient } from '#shared/adapters/aws-clients'
import { dynamoArticleStore } from '#shared/adapters/dynamodb-article-store'
import { apiAppFor } from '../functions/api/wiring.ts'
import { shareAppFor } from '../functions/share/wiring.ts'
import { localConfig } from '../local/config.ts'
import { startPipeline } from '../local/pipeline.ts'
import { BARE_PATH, READ_FLOOR_PATH } from './bare-route.ts'

// One app in a process of its own, so the load generator (the bench process) does not share its event
// loop: `api` as the api Lambda wires it, `share` as the share Lambda wires it plus the bench's bare route,
// `pipeline` as `npm start` runs (API, share, static site, stream poller and feeds handler).
// Reads the settings from the environment; prints {"url": …} once listening; stops when stdin closes.

const kind = process.argv[2]
const config = localConfig()
const apiKey = process.env.API_KEY ?? 'bench-key'
let stop: () => Promise<void>
let url: string
let key = apiKey

if (kind === 'pipeline') {
  const pipeline = await startPipeline({
    servers: { dynamoEndpoint: config.dynamoEndpoint ?? '', s3Endpoint: config.s3Endpoint ?? '' },
    env: process.env,
  })
  url = pipeline.url
  key = pipeline.apiKey
  stop = () => pipeline.stop()
} else if (kind === 'api' || kind === 'share') {
  const client = createDocumentClient(config)
  const root = new Hono()
  if (kind === 'api') {
    const store = dynamoArticleStore({
      client,
      tableName: config.tableName,
      siteOffsetMinutes: config.siteOffsetMinutes,
    })
    root.post(READ_FLOOR_PATH, async (c) => {
      const { infoCode } = JSON.parse(await c.req.text()) as { infoCode: string }
      return c.json({ found: (await store.get(infoCode)) !== undefined })
    })
    root.route('/', apiAppFor(config, { documentClient: client, keys: async () => [apiKey] }))
  } else {
    const share = shareAppFor(config, { documentClient: client })
    // The bare route answers the bytes of one real share page, with no work per request.
    const sample = process.env.BENCH_SAMPLE_INFOCODE ?? ''
    const page = await (await share.request(`/html_News/NewsShare.html?infoCode=${sample}`)).text()
    root.get(BARE_PATH, (c) => c.html(page))
    root.route('/', share)
  }
  const server = await new Promise<Server>((resolve) => {
    const s = serve({ fetch: root.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s as Server)) as Server
  })
  const address = server.address()
  url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`
  stop = async () => {
    await new Promise((r) => server.close(r))
    client.destroy()
  }
} else {
  throw new Error(`usage: app-server.ts api|share|pipeline (got ${kind})`)
}

process.stdout.write(`${JSON.stringify({ url, apiKey: key })}\n`)
process.stdin.on('end', async () => {
  await stop()
  process.exit(0)
})
process.stdin.resume()
