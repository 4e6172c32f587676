import { readFileSync } from 'node:fs'
import { Agent, request as httpRequest } from 'node:http'
import { GetCommand } from '@aws-sdk/lib-dynamodb'
import { createDocumentClient, plainClientOf } from '#shared/adapters/aws-clients'
import { dynamoArticleStore } from '#shared/adapters/dynamodb-article-store'
import { hashFor, prepareWrite } from '#shared/content/prepare'
import { draftFromFields } from '#shared/domain/article'
import { keys } from '#shared/table'
import { feedPublisherFor } from '../functions/feeds/wiring.ts'
import { createShareApp } from '../functions/share/app.ts'
import { ensureBucket } from '../local/resources.ts'
import { BENCH_OFFSET_MINUTES, CATEGORY_SLUGS, type GeneratedArticle, generateArticle, toJson } from './articles.ts'
import { READ_FLOOR_PATH } from './bare-route.ts'
import type { BenchContext } from './context.ts'
import type { Row } from './report.ts'
import { startAppServer } from './servers.ts'
import { pool } from './stats.ts'
import { createBenchTable } from './tables.ts'

const IN_FLIGHT = 16
// Generator indexes of this group's articles: apart from every other group's.
const FIRST_INDEX = 400_000
const BURST = 500
const BURST_NEW = 10
// Untimed passes over the articles before the re-upload sides are timed.
const WARM_PASSES = 3
const PUBLIC_BASE_URL = 'https://news.example.com'
// A person's browser: crawlers' visits are not counted as clicks.
const BROWSER = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148'

/**
 * A generated article published in the past (the feeds leave out future ones), one minute apart by index, in
 * one of three categories: with 150 or more articles each category's feed is full (50), as a real one is.
 */
function article(index: number): GeneratedArticle {
  return generateArticle(index, {
    publishedAt: Date.UTC(2023, 0, 1) + (index - FIRST_INDEX) * 60_000,
    categories: [CATEGORY_SLUGS[index % 3] as string],
  })
}

/** Capacity units consumed so far through one client, split by reads and writes. */
interface Meter {
  read: number
  write: number
  /** Calls whose answer carried no ConsumedCapacity (failed calls among them). */
  unreported: number
}

type Instrumentable = {
  middlewareStack: {
    add(
      middleware: (
        next: (args: { input: Record<string, unknown> }) => Promise<{ output: Record<string, unknown> }>,
        context: { commandName?: string },
      ) => (args: { input: Record<string, unknown> }) => Promise<{ output: Record<string, unknown> }>,
      options: { step: 'initialize'; name: string },
    ): void
  }
}

/**
 * A document client on the bench's DynamoDB Local that asks every call for its consumed capacity (also the
 * calls of adapters other than the article store, e.g. the archive index) and adds it to `meter`.
 */
function meteredClient(ctx: BenchContext, meter: Meter) {
  const client = createDocumentClient({ region: 'us-east-1', dynamoEndpoint: ctx.servers.dynamoEndpoint })
  // The store's article reads go through the plain client paired with it (plainClientOf): both are metered.
  for (const sdk of [client, plainClientOf(client)]) {
    ;(sdk as unknown as Instrumentable).middlewareStack.add(
      (next, context) => async (args) => {
        const name = context.commandName ?? ''
        if (!/Table|Stream/.test(name)) args.input.ReturnConsumedCapacity ??= 'TOTAL'
        const out = await next(args)
        const consumed = [out.output.ConsumedCapacity ?? []].flat() as { CapacityUnits?: number }[]
        if (consumed.length === 0) meter.unreported++
        const units = consumed.reduce((sum, c) => sum + (c.CapacityUnits ?? 0), 0)
        if (/Get|Query|Scan/.test(name)) meter.read += units
        else meter.write += units
        return out
      },
      { step: 'initialize', name: 'benchCapacityMeter' },
    )
  }
  return client
}

/** The upload the API would store for a generated article (as `bench/seed.ts` prepares it). */
function upload(article: GeneratedArticle, change = '') {
  const { publishedAt: _derived, ...fields } = article
  const draft = draftFromFields(
    { ...fields, title: `${fields.title}${change}` },
    { siteOffsetMinutes: BENCH_OFFSET_MINUTES },
  )
  return { write: prepareWrite(draft), hash: hashFor(draft) }
}

/** Mean read and write units of `run` over `items`, one at a time. */
async function unitsPer<T>(
  meter: Meter,
  items: readonly T[],
  run: (item: T) => Promise<unknown>,
): Promise<{ read: number; write: number }> {
  const before = { ...meter }
  for (const item of items) await run(item)
  return { read: (meter.read - before.read) / items.length, write: (meter.write - before.write) / items.length }
}

/** A row of capacity units per operation: write units as the value, read units beside them. */
function unitRow(label: string, name: string, units: { read: number; write: number }, note: string): Row {
  return {
    label,
    key: `capacity_${name}_wcu`,
    value: units.write,
    unit: 'WCU',
    baseline: { label: 'read units of the same calls', value: units.read, unit: 'RCU' },
    ratio: Number.NaN,
    more: { [`capacity_${name}_rcu`]: units.read },
    note,
  }
}

function fmt(n: number): string {
  return String(Math.round(n * 100) / 100)
}

/**
 * Capacity units per outcome (created, unchanged, replaced, deleted), per click, per share-page read and per
 * feed regeneration, as DynamoDB Local reports them (ReturnConsumedCapacity on every call); the unchanged
 * upload against one GetItem of the article; unchanged uploads per second through the api app against raw
 * GetItem calls (16 in flight); and the real site's burst of 500 posts, 490 of them unchanged.
 */
export async function benchCapacity(ctx: BenchContext): Promise<Row[]> {
  const count = ctx.scale.quick ? 150 : 300
  const articles = Array.from({ length: count }, (_, i) => article(FIRST_INDEX + i))
  const meter: Meter = { read: 0, write: 0, unreported: 0 }
  const client = meteredClient(ctx, meter)
  const tableName = 'bench-capacity'
  await createBenchTable(ctx.documentClient, tableName)
  await ensureBucket(ctx.s3Client, tableName)
  const store = dynamoArticleStore({ client, tableName, siteOffsetMinutes: BENCH_OFFSET_MINUTES })
  const rows: Row[] = []
  try {
    const created = await unitsPer(meter, articles, (a) => {
      const u = upload(a)
      return store.create(u.write, u.hash)
    })
    const unchanged = await unitsPer(meter, articles, (a) => {
      const u = upload(a)
      return store.create(u.write, u.hash)
    })
    const unchangedPut = await unitsPer(meter, articles, (a) => {
      const u = upload(a)
      return store.put({ ...u.write, infoCode: a.infoCode }, u.hash(a.infoCode))
    })
    const getItem = await unitsPer(meter, articles, (a) =>
      client.send(new GetCommand({ TableName: tableName, Key: keys.article(a.infoCode), ConsistentRead: true })),
    )
    const clicks = await unitsPer(meter, articles, (a) => store.countClick(a.infoCode))

    // Share pages and short links through the share app as the share Lambda wires it, each on a cold cache.
    const share = createShareApp({
      articles: store,
      publicBaseUrl: PUBLIC_BASE_URL,
      siteOffsetMinutes: BENCH_OFFSET_MINUTES,
    })
    const sharePage = await unitsPer(meter, articles, async (a) => {
      const response = await share.request(`/html_News/NewsShare.html?infoCode=${a.infoCode}`)
      if (response.status !== 200) throw new Error(`capacity: share page answered ${response.status}`)
    })
    const shortCodes = await Promise.all(
      articles.map(async (a) => (await store.get(a.infoCode)) as { shortCode: string }),
    )
    const shortLink = await unitsPer(meter, shortCodes, async (a) => {
      const response = await share.request(`/s/${a.shortCode}`, { headers: { 'User-Agent': BROWSER } })
      if (response.status !== 302) throw new Error(`capacity: short link answered ${response.status}`)
    })

    // One category's regeneration (three feeds and its page from one bounded query), as the feeds function does it.
    const publisher = feedPublisherFor(
      {
        publicBaseUrl: PUBLIC_BASE_URL,
        tableName,
        bucketName: tableName,
        feedSize: 50,
        siteOffsetMinutes: BENCH_OFFSET_MINUTES,
        siteName: '财经新闻',
        region: 'us-east-1',
        websubHubUrl: undefined,
        dynamoEndpoint: ctx.servers.dynamoEndpoint,
        s3Endpoint: ctx.servers.s3Endpoint,
      },
      { documentClient: client, s3Client: ctx.s3Client },
    )
    const sizes = new Map<string, number>()
    for (const a of articles) for (const c of a.categories) sizes.set(c, (sizes.get(c) ?? 0) + 1)
    // The three categories, each regenerated once after its articles were written (a cold regeneration).
    const largest = [...sizes].sort((x, y) => y[1] - x[1]).slice(0, 3)
    const slug = largest.map(([name]) => name).join(', ')
    const members = largest.map(([, n]) => n).join(', ')

    const regen = await unitsPer(meter, largest, ([name]) => publisher.regenerateCategory(name))

    const replaced = await unitsPer(meter, articles, (a) => {
      const u = upload(a, '（更新）')
      return store.put({ ...u.write, infoCode: a.infoCode }, u.hash(a.infoCode))
    })
    const deleted = await unitsPer(meter, articles, (a) => store.delete(a.infoCode))

    // The real mix in-process: 490 stored articles re-sent and 10 new ones, 16 in flight.
    const mixStored = Array.from({ length: BURST - BURST_NEW }, (_, i) => article(FIRST_INDEX + 10_000 + i))
    const mixNew = Array.from({ length: BURST_NEW }, (_, i) => article(FIRST_INDEX + 20_000 + i))
    await pool(mixStored.length, IN_FLIGHT, async (i) => {
      const u = upload(mixStored[i] as GeneratedArticle)
      await store.create(u.write, u.hash)
    })
    const mix = [...mixStored, ...mixNew]
    const beforeMix = { ...meter }
    const outcomes = new Map<string, number>()
    await pool(mix.length, IN_FLIGHT, async (i) => {
      const u = upload(mix[i] as GeneratedArticle)
      const { outcome } = await store.create(u.write, u.hash)
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1)
    })
    const mixUnits = { read: meter.read - beforeMix.read, write: meter.write - beforeMix.write }

    rows.push(
      {
        label: 'write units of an unchanged upload (POST or PUT of what is stored)',
        key: 'unchanged_upload_wcu',
        value: Math.max(unchanged.write, unchangedPut.write),
        unit: 'WCU',
        baseline: { label: 'write units of a new upload', value: created.write, unit: 'WCU' },
        goal: { on: 'value', op: '<=', limit: 0 },
        note: `mean of ${count} POSTs and ${count} PUTs; ${meter.unreported} calls in this group reported no capacity`,
      },
      {
        label: 'read units of an unchanged upload',
        value: Math.max(unchanged.read, unchangedPut.read),
        unit: 'RCU',
        baseline: { label: 'one consistent GetItem of the article', value: getItem.read, unit: 'RCU' },
        ratioKey: 'unchanged_upload_rcu_vs_get',
        goal: { on: 'ratio', op: '<=', limit: 1 },
        note: 'one Query of the article partition answers article and click count',
      },
      {
        label: 'write units of a new upload (~3 KB article, one category)',
        key: 'created_upload_wcu',
        value: created.write,
        unit: 'WCU',
        baseline: { label: 'read units of it (the read that finds nothing)', value: created.read, unit: 'RCU' },
        note: 'article, short code, site and category memberships (each a copy of the entry), first article of a category also its item; DynamoDB Local counts transactional items at 1×, AWS bills them 2× (README, What it costs)',
      },
      unitRow('units per upload, created', 'created', created, 'transaction as above'),
      unitRow('units per upload, unchanged', 'unchanged', unchanged, 'POST; PUT the same'),
      unitRow(
        'units per upload, replaced (title changed)',
        'replaced',
        replaced,
        'read, then one transaction: article update, memberships rewritten',
      ),
      unitRow('units per delete', 'deleted', deleted, 'read, tombstone, memberships removed, counter marked'),
      unitRow('units per click (counter ADD)', 'click', clicks, 'the counter item is ~60 bytes'),
      unitRow(
        'units per share-page read (cold cache)',
        'share_page',
        sharePage,
        'article and count in one Query, the category title; warm pages cost nothing for 60 s',
      ),
      unitRow(
        'units per short-link click (cold cache)',
        'short_link',
        shortLink,
        'short code GetItem (cached an hour) and the counter ADD',
      ),
      unitRow(
        `units per feed regeneration (categories ${slug}: ${members} articles)`,
        'feed_regen',
        regen,
        "the bounded Query of the feed's 50 memberships (each a copy of its entry; read again after writing, to catch a concurrent writer) plus the archive index",
      ),
      {
        label: `units of the real mix in-process: ${BURST} uploads, ${BURST - BURST_NEW} unchanged, ${IN_FLIGHT} in flight`,
        key: 'burst_500_mixed_units',
        value: mixUnits.read + mixUnits.write,
        unit: 'units',
        baseline: { label: `${BURST_NEW} new uploads' write units`, value: BURST_NEW * created.write, unit: 'WCU' },
        ratio: mixUnits.write / (BURST_NEW * created.write),
        note: `read ${fmt(mixUnits.read)} RCU, write ${fmt(mixUnits.write)} WCU; outcomes ${JSON.stringify(Object.fromEntries(outcomes))}`,
      },
    )
  } finally {
    client.destroy()
  }
  rows.push(...(await benchReupload(ctx)))
  return rows
}

/** CPU time in ms this process has used. */
function selfCpuMs(): number {
  const { user, system } = process.cpuUsage()
  return (user + system) / 1000
}

/** CPU time in ms a process has used (Linux /proc, clock ticks of 10 ms); undefined elsewhere. */
function processCpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined
  try {
    // utime and stime: fields 14 and 15, the 12th and 13th after the parenthesised command name.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? []
    return (Number(fields[11]) + Number(fields[12])) * 10
  } catch {
    return undefined
  }
}

/** Sums the CPU time `processes` use during the runs it is given. */
function cpuMeter(processes: Record<string, () => number | undefined>) {
  const used: Record<string, number | undefined> = Object.fromEntries(Object.keys(processes).map((k) => [k, 0]))
  return {
    async during(run: () => Promise<number>): Promise<number> {
      const before = Object.fromEntries(Object.entries(processes).map(([k, read]) => [k, read()]))
      const ms = await run()
      for (const [k, read] of Object.entries(processes)) {
        const [from, to, sum] = [before[k], read(), used[k]]
        used[k] = from === undefined || to === undefined || sum === undefined ? undefined : sum + to - from
      }
      return ms
    },
    /** Each process's time per request, `bench / api / dynamo`, '–' where it is unknown or nothing. */
    per(requests: number): string {
      return Object.values(used)
        .map((ms) => (ms === undefined || ms === 0 ? '–' : (ms / requests).toFixed(2)))
        .join(' / ')
    },
  }
}

/**
 * reupload_vs_raw_get: unchanged POSTs per second through the api app (own process, as the Lambda wires it)
 * over raw consistent GetItem calls of the same articles, 16 in flight each; beside it, the same uploads over
 * GETs of the articles through the same app (reupload_vs_api_get), and the floor route's rate over the raw one
 * (read_floor_vs_raw_get: what a route doing nothing but the upload's one read reaches on this machine);
 * burst_500_mixed_ms: the real site's run of 500 posts, 490 unchanged, through the same app.
 */
async function benchReupload(ctx: BenchContext): Promise<Row[]> {
  // At least the burst's 490 stored articles.
  const count = ctx.scale.quick ? BURST : 1_500
  const tableName = 'bench-reupload'
  await createBenchTable(ctx.documentClient, tableName)
  const articles = Array.from({ length: count }, (_, i) => article(FIRST_INDEX + 30_000 + i))
  const fresh = Array.from({ length: BURST_NEW }, (_, i) => article(FIRST_INDEX + 40_000 + i))
  const bodies = articles.map(toJson)
  const server = await startAppServer('api', { servers: ctx.servers, tableName })
  // The POSTs go out through node:http with a keep-alive agent, as the raw side's SDK client sends its GetItems
  // (NodeHttpHandler: keep-alive, 50 sockets): with fetch, the load generator's own CPU (undici's streams, ~0.6 ms
  // a POST of 3 KB here) was charged to the uploads on the same two cores, a cost the raw side does not pay.
  const agent = new Agent({ keepAlive: true, maxSockets: 50 })
  const target = new URL('/api/articles', server.url)
  try {
    const statuses = new Map<number, number>()
    const send = (method: 'GET' | 'POST', path: string | URL, body?: string) =>
      new Promise<void>((resolve, reject) => {
        const request = httpRequest(new URL(path, server.url), {
          method,
          agent,
          headers: {
            Authorization: `Bearer ${server.apiKey}`,
            ...(body === undefined
              ? {}
              : { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) }),
          },
        })
        request.on('error', reject)
        request.on('response', (response) => {
          response.on('error', reject)
          response.on('end', () => {
            const status = response.statusCode ?? 0
            statuses.set(status, (statuses.get(status) ?? 0) + 1)
            resolve()
          })
          response.resume()
        })
        request.end(body)
      })
    const post = (body: string) => send('POST', target, body)
    await pool(count, IN_FLIGHT, (i) => post(bodies[i] as string))
    if (statuses.get(201) !== count) throw new Error(`capacity: seeding answered ${JSON.stringify([...statuses])}`)

    const get = (i: number) =>
      ctx.documentClient.send(
        new GetCommand({ TableName: tableName, Key: keys.article(articles[i]?.infoCode ?? ''), ConsistentRead: true }),
      )
    // Two more sides, to say where the upload stands: the same article read through the api app, and the floor
    // route (bench/bare-route.ts), which makes only the upload's one store read behind the same server.
    const apiGet = (i: number) => send('GET', `/api/articles/${articles[i]?.infoCode ?? ''}`)
    const floor = (i: number) => send('POST', READ_FLOOR_PATH, bodies[i] as string)
    // Short blocks of each, alternated many times, so the load of a shared machine (which moves within seconds)
    // hits all alike; each side's rate is its requests over its summed time.
    const blocks = 10
    const size = Math.floor(count / blocks)
    // CPU time per side of the bench process (the raw client, or the requests' client), the api process and
    // DynamoDB Local: it says where each side's requests spend the two cores.
    const processes = {
      bench: () => selfCpuMs(),
      api: () => processCpuMs(server.pid),
      dynamo: () => processCpuMs(ctx.servers.dynamoPid),
    }
    const sides = {
      raw: async (i: number) => void (await get(i)),
      post: (i: number) => post(bodies[i] as string),
      apiGet,
      floor,
    }
    const spent = Object.fromEntries(Object.keys(sides).map((side) => [side, { ms: 0, cpu: cpuMeter(processes) }]))
    // Untimed passes of each first: the bench process's SDK client is warm from the groups before, the api
    // process had only created articles, and DynamoDB Local's JIT was still compiling its Query path after one
    // pass (its CPU per Query fell by half over the next few; a GetItem's hardly moved).
    for (let pass = 0; pass < WARM_PASSES; pass++)
      for (const run of Object.values(sides)) await pool(count, IN_FLIGHT, run)
    statuses.clear()
    for (let block = 0; block < blocks; block++) {
      const from = block * size
      // The order turns every block, so what one side leaves behind (the JVM's collections) falls on all alike.
      const order = Object.keys(sides) as (keyof typeof sides)[]
      for (let turn = 0; turn < block % order.length; turn++) order.push(order.shift() as keyof typeof sides)
      for (const side of order) {
        const run = sides[side]
        const at = spent[side] as { ms: number; cpu: ReturnType<typeof cpuMeter> }
        at.ms += await at.cpu.during(() => pool(size, IN_FLIGHT, (i) => run(from + i)))
      }
    }
    if (statuses.get(200) !== 3 * blocks * size)
      throw new Error(`capacity: re-upload answered ${JSON.stringify([...statuses])}`)
    const rate = (side: keyof typeof sides) => ((blocks * size) / (spent[side]?.ms ?? Number.NaN)) * 1000
    const cpuOf = (side: keyof typeof sides) => spent[side]?.cpu.per(blocks * size)
    const rawRps = rate('raw')
    const reRps = rate('post')
    ctx.log(`capacity: raw GetItem ${rawRps.toFixed(0)}/s, unchanged POST ${reRps.toFixed(0)}/s`)

    // The burst: 490 of the stored articles re-sent and 10 new ones, mixed, 16 in flight.
    const burst = [...bodies.slice(0, BURST - BURST_NEW), ...fresh.map(toJson)]
    for (let i = burst.length - 1; i > 0; i--) {
      const j = (i * 7919) % (i + 1)
      ;[burst[i], burst[j]] = [burst[j] as string, burst[i] as string]
    }
    statuses.clear()
    const burstMs = await pool(burst.length, IN_FLIGHT, (i) => post(burst[i] as string))
    if (statuses.get(200) !== BURST - BURST_NEW || statuses.get(201) !== BURST_NEW) {
      throw new Error(`capacity: burst answered ${JSON.stringify([...statuses])}`)
    }
    return [
      {
        label: 'unchanged uploads/s, POST /api/articles (JSON, ~3 KB), 16 in flight',
        key: 'reupload_rps',
        value: reRps,
        unit: 'req/s',
        baseline: {
          label: 'raw consistent GetItem of the same articles, 16 in flight',
          value: rawRps,
          unit: 'req/s',
        },
        ratioKey: 'reupload_vs_raw_get',
        goal: { on: 'ratio', op: '>=', limit: 0.8 },
        note: `${blocks * size} of each, in ${blocks} alternated blocks of ${size}; CPU ms per request (bench / api / DynamoDB Local): GetItem ${cpuOf('raw')}, POST ${cpuOf('post')}`,
      },
      {
        label: 'unchanged uploads/s against GET /api/articles/{infoCode} of the same articles, 16 in flight',
        key: 'reupload_rps_vs_api',
        value: reRps,
        unit: 'req/s',
        baseline: { label: 'GET of the article through the same api app', value: rate('apiGet'), unit: 'req/s' },
        ratioKey: 'reupload_vs_api_get',
        note: `an unchanged upload against a read of the same article through the API; CPU ms per GET: ${cpuOf('apiGet')}`,
      },
      {
        label: "the floor: a route making only the upload's one store read, same server, 16 in flight",
        key: 'read_floor_rps',
        value: rate('floor'),
        unit: 'req/s',
        baseline: { label: 'raw consistent GetItem, as above', value: rawRps, unit: 'req/s' },
        ratioKey: 'read_floor_vs_raw_get',
        note: `what any route answering an unchanged upload reaches here (bench/bare-route.ts); CPU ms per request: ${cpuOf('floor')}`,
      },
      {
        label: `the real site's run: ${BURST} POSTs (${BURST - BURST_NEW} unchanged, ${BURST_NEW} new), 16 in flight`,
        key: 'burst_500_mixed_ms',
        value: burstMs,
        unit: 'ms',
        baseline: {
          label: 'the same count of raw GetItem calls at the rate above',
          value: (BURST / rawRps) * 1000,
          unit: 'ms',
        },
        note: 'the site sends this every 5 minutes',
      },
    ]
  } finally {
    agent.destroy()
    await server.stop()
  }
}
