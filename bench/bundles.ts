import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { type BuildOptions, build } from 'esbuild'
import type { BenchContext } from './context.ts'
import type { Row } from './report.ts'
import { median } from './stats.ts'

const ROOT = fileURLToPath(new URL('../', import.meta.url))
// Outside the project: a bundle finds no node_modules there, as in Lambda (it must carry all it imports).
const OUT = join(tmpdir(), 'finews-bench-bundles')
const INFRA_FUNCTION = join(ROOT, 'infra', 'constructs', 'finews-function.ts')

/**
 * esbuild options equal to the `bundling` of `infra/constructs/finews-function.ts` (NodejsFunction runs
 * esbuild with these): ESM, `module,main` fields, the createRequire banner, minified, an external source map
 * without sources, nothing external (the AWS SDK bundled), the runtime's target. `infraDrift()` checks they still agree.
 */
export const LAMBDA_BUNDLING = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  mainFields: ['module', 'main'],
  banner: {
    js: "import{createRequire as __finewsCreateRequire}from'node:module';const require=__finewsCreateRequire(import.meta.url);",
  },
  minify: true,
  sourcemap: true,
  sourcesContent: false,
  external: [],
  target: 'node24',
  logLevel: 'warning',
} as const satisfies BuildOptions

/** What of LAMBDA_BUNDLING the infra file no longer says, if anything (read from its source text). */
export function infraDrift(): string[] {
  if (!existsSync(INFRA_FUNCTION)) return ['infra/constructs/finews-function.ts not found']
  const source = readFileSync(INFRA_FUNCTION, 'utf8')
  const expected: [string, RegExp][] = [
    ['format ESM', /format:\s*OutputFormat\.ESM/],
    ["mainFields ['module', 'main']", /mainFields:\s*\[\s*'module',\s*'main'\s*\]/],
    ['minify', /minify:\s*true/],
    ['sourceMap', /sourceMap:\s*true/],
    ['sourcesContent false', /sourcesContent:\s*false/],
    ['externalModules [] (the SDK bundled)', /externalModules:\s*\[\s*\]/],
    [`target ${LAMBDA_BUNDLING.target}`, new RegExp(`target:\\s*'${LAMBDA_BUNDLING.target}'`)],
    ['the createRequire banner', /__finewsCreateRequire/],
  ]
  return expected.filter(([, pattern]) => !pattern.test(source)).map(([name]) => name)
}

/** Bundles one entry with the Lambda options; the size of the code file (the map is not deployed code). */
export async function bundle(name: string, entry: string): Promise<{ file: string; bytes: number }> {
  const dir = join(OUT, name)
  mkdirSync(dir, { recursive: true })
  const file = join(dir, 'index.mjs')
  await build({ ...LAMBDA_BUNDLING, entryPoints: [join(ROOT, entry)], outfile: file })
  return { file, bytes: statSync(file).size }
}

/** The environment a handler reads at import: what the stack sets, pointing nowhere it would call at import. */
export const HANDLER_ENV: Readonly<Record<string, string>> = {
  TABLE_NAME: 'finews-bench',
  BUCKET_NAME: 'finews-bench-site',
  API_KEY_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:finews-api-key-AbCdEf',
  ORIGIN_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:finews-origin',
  PUBLIC_BASE_URL: 'https://news.example.com',
  FEED_SIZE: '50',
  SITE_TIMEZONE: '+08:00',
  SITE_NAME: '财经新闻',
  RATE_LIMIT_PER_MINUTE: '600',
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'AKIDBENCHONLY',
  AWS_SECRET_ACCESS_KEY: 'bench-only',
  NODE_NO_WARNINGS: '1',
}

// The process's CPU time so far (user + system), printed last: less disturbed than wall time on a busy machine.
const PRINT_CPU = 'const u = process.cpuUsage(); console.log((u.user + u.system) / 1000)'
// Imports the bundle (which constructs its handler at module scope) and checks a handler came out.
const IMPORT_HANDLER = `const m = await import(process.argv[1]); if (typeof m.handler !== 'function') { console.error('no handler'); process.exit(3) }; ${PRINT_CPU}`

/** Wall time and CPU time of one fresh `node` running `args`, in ms; throws when it fails. */
function runNode(args: readonly string[]): { wall: number; cpu: number } {
  const start = process.hrtime.bigint()
  const out = spawnSync(process.execPath, args, { env: { PATH: process.env.PATH, ...HANDLER_ENV }, encoding: 'utf8' })
  const wall = Number(process.hrtime.bigint() - start) / 1e6
  if (out.status !== 0) throw new Error(`node ${args.join(' ').slice(0, 120)} failed (${out.status}): ${out.stderr}`)
  return { wall, cpu: Number(out.stdout.trim().split('\n').at(-1)) }
}

/** The fresh-process command that imports a bundle as Lambda does (no NODE_OPTIONS, as the stack sets none). */
function importArgs(file: string): string[] {
  return ['--input-type=module', '-e', IMPORT_HANDLER, pathToFileURL(file).href]
}

/**
 * bundle_kb_{api,feeds,share} against a bare Hono app bundled the same way, and cold_init_ms_{…}: a fresh
 * `node` importing the bundle and constructing its handler, minus a bare `node -e ''`, medians of interleaved runs.
 */
export async function benchBundles(ctx: BenchContext): Promise<Row[]> {
  const drift = infraDrift()
  if (drift.length > 0) ctx.log(`bundles: infra bundling differs from the bench's in: ${drift.join(', ')}`)
  const functions = ['api', 'feeds', 'share'] as const
  const bare = await bundle('bare-hono', 'bench/bare-hono-handler.ts')
  const built = await Promise.all(functions.map((name) => bundle(name, `functions/${name}/handler.ts`)))

  const samples = new Map<string, number[]>()
  const cpu = new Map<string, number[]>()
  const add = (key: string, ms: { wall: number; cpu: number }) => {
    samples.set(key, [...(samples.get(key) ?? []), ms.wall])
    cpu.set(key, [...(cpu.get(key) ?? []), ms.cpu])
  }
  // One warm-up each (file cache), then rounds that interleave every process, so drift hits all alike.
  runNode(['-e', PRINT_CPU])
  for (const b of [bare, ...built]) runNode(importArgs(b.file))
  for (let round = 0; round < ctx.scale.coldRuns; round++) {
    add('node', runNode(['-e', PRINT_CPU]))
    add('bare-hono', runNode(importArgs(bare.file)))
    built.forEach((b, i) => {
      add(functions[i] as string, runNode(importArgs(b.file)))
    })
  }
  const nodeMs = median(samples.get('node') ?? [])
  const nodeCpu = median(cpu.get('node') ?? [])
  const bareMs = median(samples.get('bare-hono') ?? []) - nodeMs
  const rows: Row[] = []
  built.forEach((b, i) => {
    const name = functions[i] as string
    rows.push({
      label: `${name} bundle, minified, AWS SDK inside`,
      key: `bundle_kb_${name}`,
      value: b.bytes / 1024,
      unit: 'KB',
      baseline: { label: 'bare Hono app, same options', value: bare.bytes / 1024, unit: 'KB' },
    })
  })
  built.forEach((_, i) => {
    const name = functions[i] as string
    rows.push({
      label: `${name}: fresh node imports the bundle, builds the handler`,
      key: `cold_init_ms_${name}`,
      value: median(samples.get(name) ?? []) - nodeMs,
      unit: 'ms',
      baseline: { label: 'bare Hono app, same way', value: bareMs, unit: 'ms' },
      goal: { on: 'value', op: '<=', limit: 100 },
      note: `bare \`node -e ''\` took ${nodeMs.toFixed(1)} ms and is subtracted; median of ${ctx.scale.coldRuns} runs; CPU time ${(median(cpu.get(name) ?? []) - nodeCpu).toFixed(1)} ms (bare Hono ${(median(cpu.get('bare-hono') ?? []) - nodeCpu).toFixed(1)})`,
    })
  })
  return rows
}
