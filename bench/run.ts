import { mkdirSync, writeFileSync } from 'node:fs'
import { cpus, totalmem } from 'node:os'
import { dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createDocumentClient, createS3Client } from '#shared/adapters/aws-clients'
import { JavaMissingError } from '../local/dynamodb-local.ts'
import { benchArchive } from './archive.ts'
import { benchBundles } from './bundles.ts'
import { benchCapacity } from './capacity.ts'
import type { BenchContext } from './context.ts'
import { benchImport } from './import.ts'
import { benchIngest } from './ingest.ts'
import { benchLatency } from './latency.ts'
import { GROUPS, parseOptions, UsageError } from './options.ts'
import { benchRegen } from './regen.ts'
import { benchRender } from './render.ts'
import { figures, formatMarkdown, formatTable, meetsGoal, REQUIRED_FIGURES, type Row } from './report.ts'
import { startBenchServers } from './servers.ts'
import { benchShare } from './share.ts'

// The AWS SDK's notice that its 2027 releases need Node 22 says nothing about this run.
process.removeAllListeners('warning')
process.on('warning', (warning) => {
  const text = `${warning.name}: ${warning.message}`
  if (!text.includes('NodeVersionSupportWarning')) console.error(text)
})

const RUNNERS: Record<(typeof GROUPS)[number], (ctx: BenchContext) => Promise<Row[]>> = {
  bundles: benchBundles,
  render: benchRender,
  share: benchShare,
  ingest: benchIngest,
  capacity: benchCapacity,
  import: benchImport,
  latency: benchLatency,
  regen: benchRegen,
  archive: benchArchive,
}

let options: ReturnType<typeof parseOptions>
try {
  options = parseOptions(process.argv.slice(2))
} catch (error) {
  if (error instanceof UsageError) {
    console.error(error.message)
    process.exit(2)
  }
  throw error
}
const { scale } = options
const started = performance.now()
const log = (message: string) => console.log(`· ${message}`)

console.log(
  `finews benchmarks${scale.quick ? ' (--quick: smaller counts, see the notes)' : ''}: node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
)
if (scale.quick) {
  log(
    `quick scale: regeneration at ${scale.articlesLarge} vs ${scale.articlesSmall} articles (full run: 50000 vs 1000), ${scale.uploads} uploads timed (full: 200)`,
  )
}

let servers: Awaited<ReturnType<typeof startBenchServers>>
try {
  servers = await startBenchServers()
} catch (error) {
  if (error instanceof JavaMissingError) {
    console.error(error.message)
    process.exit(1)
  }
  throw error
}
const settings = { region: 'us-east-1', dynamoEndpoint: servers.dynamoEndpoint, s3Endpoint: servers.s3Endpoint }
const ctx: BenchContext = {
  scale,
  servers,
  documentClient: createDocumentClient(settings),
  s3Client: createS3Client(settings),
  log,
}

// Ctrl-C or a kill must not leave DynamoDB Local (a Java process) running.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: stopping the local servers`)
    void servers.stop().finally(() => process.exit(130))
  })
}

const rows: Row[] = []
const failures: string[] = []
try {
  for (const group of GROUPS) {
    if (options.only && !options.only.has(group)) continue
    const groupStarted = performance.now()
    log(`${group}…`)
    try {
      const result = await RUNNERS[group](ctx)
      rows.push(...result)
      log(`${group} done in ${((performance.now() - groupStarted) / 1000).toFixed(1)} s`)
    } catch (error) {
      failures.push(group)
      console.log(`! ${group} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`)
    }
  }
} finally {
  ctx.documentClient.destroy()
  ctx.s3Client.destroy()
  await servers.stop()
}

console.log('')
console.log(formatTable(rows))
console.log('')
// The same table in Markdown, for the README's Performance section (bench/out is not committed).
const markdownFile = fileURLToPath(new URL(`out/table-${scale.quick ? 'quick' : 'full'}.md`, import.meta.url))
mkdirSync(dirname(markdownFile), { recursive: true })
writeFileSync(markdownFile, `${formatMarkdown(rows)}\n`)
const missed = rows.filter((row) => meetsGoal(row) === false)
const json = figures(rows)
const absent = options.only ? [] : REQUIRED_FIGURES.filter((name) => !(name in json))
console.log(
  `${rows.length} rows in ${((performance.now() - started) / 1000).toFixed(0)} s; goals missed: ${missed.length === 0 ? 'none' : missed.map((r) => r.ratioKey ?? r.key).join(', ')}${absent.length > 0 ? `; figures missing: ${absent.join(', ')}` : ''}`,
)
console.log(JSON.stringify(json))
process.exitCode = failures.length > 0 || absent.length > 0 ? 1 : 0
