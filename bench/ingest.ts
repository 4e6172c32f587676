import { PutCommand } from '@aws-sdk/lib-dynamodb'
import { keys } from '#shared/table'
import { generateArticle, toJson } from './articles.ts'
import type { BenchContext } from './context.ts'
import type { Row } from './report.ts'
import { startAppServer } from './servers.ts'
import { pool } from './stats.ts'
import { createBenchTable } from './tables.ts'

const IN_FLIGHT = 16
// Generator indexes of this group's articles: apart from every other group's.
const FIRST_INDEX = 200_000

/**
 * ingest_rps: `POST /api/articles` (JSON, new article each) with 16 in flight through the api app as the api
 * Lambda wires it, in its own process; ingest_vs_raw_put: over raw PutItem calls of the same articles (one item
 * each, same size) with 16 in flight on the same DynamoDB Local.
 */
export async function benchIngest(ctx: BenchContext): Promise<Row[]> {
  const count = ctx.scale.ingestRequests
  const warmup = 50
  const articles = Array.from({ length: count + warmup }, (_, i) =>
    generateArticle(FIRST_INDEX + i, { publishedAt: Date.UTC(2024, 0, 1) + i * 60_000 }),
  )
  const bodies = articles.map(toJson)
  const raw = ctx.documentClient
  await createBenchTable(raw, 'bench-raw')

  // Raw PutItem: the article's fields as one item, keyed as the store keys articles.
  const put = (i: number) => {
    const a = articles[i]!
    return raw.send(new PutCommand({ TableName: 'bench-raw', Item: { ...keys.article(a.infoCode), ...a } }))
  }
  await pool(warmup, IN_FLIGHT, async (i) => void (await put(i)))
  const rawMs = await pool(count, IN_FLIGHT, async (i) => void (await put(warmup + i)))
  const rawRps = (count / rawMs) * 1000
  ctx.log(`ingest: raw PutItem ${rawRps.toFixed(0)}/s`)

  await createBenchTable(raw, 'bench-ingest')
  const server = await startAppServer('api', { servers: ctx.servers, tableName: 'bench-ingest' })
  try {
    let failures = 0
    const post = async (i: number) => {
      const response = await fetch(`${server.url}/api/articles`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${server.apiKey}`, 'Content-Type': 'application/json' },
        body: bodies[i],
      })
      await response.arrayBuffer()
      if (response.status !== 201) {
        failures++
        if (failures <= 3) ctx.log(`ingest: POST answered ${response.status}`)
      }
    }
    await pool(warmup, IN_FLIGHT, post)
    const ms = await pool(count, IN_FLIGHT, (i) => post(warmup + i))
    if (failures > 0) throw new Error(`ingest: ${failures} uploads failed`)
    const rps = (count / ms) * 1000
    return [
      {
        label: 'uploads/s, POST /api/articles (JSON, ~3 KB body), 16 in flight',
        key: 'ingest_rps',
        value: rps,
        unit: 'req/s',
        baseline: { label: 'raw PutItem of the same articles, 16 in flight', value: rawRps, unit: 'req/s' },
        ratioKey: 'ingest_vs_raw_put',
        // No goal: the 0.5 goal is retired (issue 15) for the capacity figures (bench/capacity.ts), which match
        // what a deployment pays for.
        note: `${count} uploads; each is a transaction writing article, short code, 2+ feed memberships and category`,
      },
    ]
  } finally {
    await server.stop()
  }
}
