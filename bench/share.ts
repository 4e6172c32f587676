// @ts-expect-error autocannon ships no types
import autocannonModule from 'autocannon'
import { BARE_PATH } from './bare-route.ts'
import type { BenchContext } from './context.ts'
import type { Row } from './report.ts'
import { seedArticles } from './seed.ts'
import { startAppServer } from './servers.ts'
import { createBenchTable } from './tables.ts'

/** The part of autocannon's result the bench reads. */
interface LoadResult {
  readonly requests: { readonly average: number; readonly total: number }
  readonly latency: { readonly p99: number; readonly p50: number }
  readonly non2xx: number
  readonly errors: number
  readonly timeouts: number
}

type Autocannon = (options: {
  url: string
  connections: number
  duration: number
  requests?: { path: string }[]
}) => Promise<LoadResult>

const autocannon = autocannonModule as Autocannon
const CONNECTIONS = 64
const HOT_ARTICLES = 20

async function load(url: string, seconds: number, paths: string[]): Promise<LoadResult> {
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: seconds,
    requests: paths.map((path) => ({ path })),
  })
  if (result.non2xx > 0 || result.errors > 0 || result.timeouts > 0) {
    throw new Error(`share load: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts`)
  }
  return result
}

/**
 * share_rps and share_p99_ms: share pages of 20 hot articles with 64 connections (autocannon, in the bench
 * process) against the share app as the share Lambda wires it, in its own process; share_vs_bare_hono: over
 * a bare Hono route in the same server answering the same page's bytes as a constant.
 */
export async function benchShare(ctx: BenchContext): Promise<Row[]> {
  await createBenchTable(ctx.documentClient, 'bench-share')
  const seeded = await seedArticles({
    client: ctx.documentClient,
    tableName: 'bench-share',
    from: 0,
    count: HOT_ARTICLES * 10,
  })
  const hot = seeded.written.slice(-HOT_ARTICLES).map((a) => `/html_News/NewsShare.html?infoCode=${a.infoCode}`)
  const sample = seeded.written.at(-1)?.infoCode ?? ''
  const server = await startAppServer('share', {
    servers: ctx.servers,
    tableName: 'bench-share',
    extra: { BENCH_SAMPLE_INFOCODE: sample },
  })
  try {
    const first = await fetch(`${server.url}${hot[0]}`)
    const bytes = (await first.arrayBuffer()).byteLength
    if (first.status !== 200) throw new Error(`share page answered ${first.status}`)
    // A short warm-up of each route (JIT, the cache filled), then the timed runs.
    await load(server.url, 1, hot)
    await load(server.url, 1, [BARE_PATH])
    const share = await load(server.url, ctx.scale.shareSeconds, hot)
    const bare = await load(server.url, ctx.scale.shareSeconds, [BARE_PATH])
    const note = `${ctx.scale.shareSeconds} s each, 64 connections, ${HOT_ARTICLES} hot articles, page ${(bytes / 1024).toFixed(1)} KB`
    return [
      {
        label: 'share page requests/s, 64 in flight',
        key: 'share_rps',
        value: share.requests.average,
        unit: 'req/s',
        baseline: { label: 'bare Hono route, same bytes, same server', value: bare.requests.average, unit: 'req/s' },
        ratioKey: 'share_vs_bare_hono',
        goal: { on: 'ratio', op: '>=', limit: 0.5 },
        note,
      },
      {
        label: 'share page p99 latency, 64 in flight',
        key: 'share_p99_ms',
        value: share.latency.p99,
        unit: 'ms',
        baseline: { label: 'bare Hono route p99', value: bare.latency.p99, unit: 'ms' },
      },
    ]
  } finally {
    await server.stop()
  }
}
