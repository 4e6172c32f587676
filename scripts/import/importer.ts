import { readFile, stat } from 'node:fs/promises'
import { isAbsolute, relative } from 'node:path'
import type { FieldError } from '#shared/domain/errors'
import { type ApiTarget, checkApi, type UploadAnswer, uploadPost, type WriteOutcome } from './api-client.ts'
import { checkPost } from './check-post.ts'
import { ImportUsageError } from './errors.ts'
import { DEFAULT_RETRY, RateGate, type RetryPolicy } from './retry.ts'
import { defaultStatePath, type ImportState, openState } from './state.ts'
import { findPosts, type PostFile } from './walk.ts'

/** The API `npm start` serves. */
export const DEFAULT_API = 'http://127.0.0.1:3000'
/** Uploads in flight at once. */
export const DEFAULT_CONCURRENCY = 8
/** Limit for one request. */
export const DEFAULT_TIMEOUT_MS = 30_000

/** What to import, where, and how. */
export interface ImportOptions {
  /** Post files and folders of posts (walked for `.md`, `.markdown`, `.html`, `.txt`). */
  readonly paths: readonly string[]
  /** @default DEFAULT_API */
  readonly api?: string
  /** @default env API_KEY, else the development key of `npm start` */
  readonly key?: string
  /** @default DEFAULT_CONCURRENCY */
  readonly concurrency?: number
  /** Check every post with the API's rules and upload nothing. */
  readonly dryRun?: boolean
  /** @default the nearest `.finews-import.jsonl` in the inputs' common folder or its parents, else a new one there */
  readonly statePath?: string
  /** Aborting stops taking new files; uploads already sent finish; the summary comes back as usual. */
  readonly signal?: AbortSignal
  /** @default DEFAULT_TIMEOUT_MS */
  readonly timeoutMs?: number
  readonly retry?: Partial<RetryPolicy>
  /** Offset for dates without one, as the API's SITE_TIMEZONE. @default 480 (+08:00) */
  readonly siteOffsetMinutes?: number
  /** Called once the files are listed and after each file. */
  readonly onProgress?: (progress: ImportProgress) => void
  /** Injected for tests. */
  readonly fetch?: typeof fetch
  readonly random?: () => number
}

/** Where a run stands. */
export interface ImportProgress {
  readonly total: number
  readonly done: number
  readonly failed: number
  readonly elapsedMs: number
  /** The file just finished; absent on the first call. */
  readonly last?: FileResult
}

/** What happened to one file. `valid` is a dry run's "would upload"; `skipped` a file without front matter. */
export type FileOutcome = WriteOutcome | 'valid' | 'failed' | 'skipped'

/** One file's line in the summary and the report. */
export interface FileResult {
  /** As given or found, relative to the working folder. */
  readonly file: string
  /** The stable key of the file in the state (path relative to the state file's folder). */
  readonly key: string
  readonly outcome: FileOutcome
  /** PUT when the infoCode was known (front matter, body link, or state); POST when the server picks one. */
  readonly method?: 'PUT' | 'POST'
  readonly infoCode?: string
  /** HTTP status: the server's, or what the API would answer for a local rejection; null without an answer. */
  readonly status?: number | null
  readonly detail?: string
  readonly type?: string
  readonly errors?: readonly FieldError[]
  readonly attempts?: number
}

/** Counts of a run. */
export interface ImportCounts {
  readonly total: number
  readonly created: number
  readonly replaced: number
  readonly unchanged: number
  readonly valid: number
  readonly failed: number
  readonly skipped: number
  /** Not done: never started, or stopped while waiting to retry. */
  readonly pending: number
}

/** The outcome of a run, as printed and as written by `--report`. */
export interface ImportSummary {
  readonly api: string
  readonly dryRun: boolean
  readonly statePath: string
  readonly startedAt: string
  readonly durationMs: number
  /** Posts handled per second (uploaded, unchanged or rejected; not skipped files). */
  readonly postsPerSecond: number
  /** Stopped by the signal (Ctrl-C) before every file was done. */
  readonly interrupted: boolean
  /** Why the run stopped on its own before the end (the key was refused, the API stopped answering). */
  readonly stopReason: string | undefined
  readonly counts: ImportCounts
  /** Every finished file, in path order. */
  readonly results: readonly FileResult[]
  readonly failures: readonly FileResult[]
  /** Files not done. */
  readonly pending: readonly string[]
}

/**
 * Imports Jekyll posts into a running API: N uploads in flight, PUT by infoCode when the post has one (or
 * an earlier run recorded one), POST otherwise and the generated infoCode recorded in the state file, so
 * a rerun writes nothing new. The benchmarks read `postsPerSecond`.
 * @example const summary = await importPosts({ paths: ['site/_posts'], api: pipeline.url, key: pipeline.apiKey })
 */
export async function importPosts(options: ImportOptions): Promise<ImportSummary> {
  const started = Date.now()
  const api = options.api ?? DEFAULT_API
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 256) {
    throw new ImportUsageError(`concurrency must be a whole number from 1 to 256, got ${concurrency}`)
  }
  if (options.paths.length === 0) throw new ImportUsageError('name at least one post file or folder')
  const dryRun = options.dryRun ?? false
  const siteOffsetMinutes = options.siteOffsetMinutes ?? 480
  const files = await findPosts(options.paths)
  const statePath =
    options.statePath ?? (await defaultStatePath(options.paths, async (p) => (await stat(p)).isDirectory()))
  const state = await openState(statePath, { readOnly: dryRun })
  const target: ApiTarget = {
    api,
    key: options.key ?? (dryRun ? '' : await defaultKey()),
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  }
  if (!dryRun && files.length > 0) await checkApi(target)

  const context = {
    target,
    policy: { ...DEFAULT_RETRY, ...options.retry },
    gate: new RateGate(),
    signal: options.signal,
    runStartedAt: started,
    ...(options.random ? { random: options.random } : {}),
  }
  const results: (FileResult | undefined)[] = new Array(files.length)
  let done = 0
  let failed = 0
  let stopReason: string | undefined
  // A run of files that all failed on connection errors means the API is gone: stop rather than fail the rest.
  let networkStreak = 0
  const networkStreakLimit = Math.max(20, concurrency * 3)
  const progress = (last?: FileResult) =>
    options.onProgress?.({
      total: files.length,
      done,
      failed,
      elapsedMs: Date.now() - started,
      ...(last ? { last } : {}),
    })
  const running = () => !options.signal?.aborted && stopReason === undefined

  // Phase 1: every file checked before any upload, so two files claiming one infoCode are found whatever
  // the order, and neither overwrites the other.
  const inspections: (Inspection | undefined)[] = new Array(files.length)
  progress()
  await pool(files.length, Math.max(concurrency, 16), running, async (i) => {
    inspections[i] = await inspect(files[i] as PostFile, state, siteOffsetMinutes)
  })
  refuseDuplicateClaims(inspections)

  async function upload(item: Inspection & { final?: undefined }): Promise<FileResult | undefined> {
    const base = { file: item.shown, key: item.key }
    const infoCode = item.infoCode
    const method = infoCode ? 'PUT' : 'POST'
    if (dryRun) return { ...base, outcome: 'valid', method, ...(infoCode ? { infoCode } : {}) }
    let bytes: Uint8Array<ArrayBuffer>
    try {
      bytes = await readFile(item.file.path)
    } catch (error) {
      return { ...base, outcome: 'failed', status: null, detail: `cannot read: ${(error as Error).message}` }
    }
    const answer: UploadAnswer = await uploadPost({ method, infoCode, body: bytes }, context)
    if (answer.ok) {
      networkStreak = 0
      if (method === 'POST') await state.record(item.key, answer.infoCode)
      const { outcome, status, attempts } = answer
      return { ...base, outcome, method, infoCode: answer.infoCode, status, attempts }
    }
    if (answer.reason === 'interrupted') return undefined
    if (answer.reason === 'unauthorized') stopReason ??= `the API refused the key (${answer.status}): ${answer.detail}`
    networkStreak = answer.network ? networkStreak + 1 : 0
    if (networkStreak >= networkStreakLimit) {
      stopReason ??= `${networkStreak} files in a row got no answer from ${api} (last: ${answer.detail})`
    }
    return {
      ...base,
      outcome: 'failed',
      method,
      ...(infoCode ? { infoCode } : {}),
      status: answer.status,
      detail: answer.detail,
      ...(answer.type ? { type: answer.type } : {}),
      ...(answer.errors ? { errors: answer.errors } : {}),
      attempts: answer.attempts,
    }
  }

  // Phase 2: in path order, N in flight; rejected files are reported as their turn comes, for an even pace.
  await pool(files.length, concurrency, running, async (i) => {
    const item = inspections[i]
    if (!item) return
    const result = item.final ?? (await upload(item).catch((error: unknown) => unexpected(item, error)))
    if (!result) return
    results[i] = result
    done++
    if (result.outcome === 'failed') failed++
    progress(result)
  })
  return summarise({ api, dryRun, state, started, files, results, stopReason, aborted: options.signal?.aborted })
}

/** A file after the local check: its final result (invalid, skipped, a duplicate), or the infoCode to PUT under. */
type Inspection = { readonly file: PostFile; readonly shown: string; readonly key: string } & (
  | { readonly final: FileResult }
  | {
      readonly final?: undefined
      readonly infoCode: string | undefined
      /** Where the infoCode came from; decides which file keeps a code two files claim. */
      readonly source: 'front-matter' | 'state' | 'body-link' | undefined
    }
)

async function inspect(file: PostFile, state: ImportState, siteOffsetMinutes: number): Promise<Inspection> {
  const base = { file, shown: shown(file.path), key: state.keyOf(file.path) }
  const result = { file: base.shown, key: base.key }
  let bytes: Uint8Array<ArrayBuffer>
  try {
    bytes = await readFile(file.path)
  } catch (error) {
    return {
      ...base,
      final: { ...result, outcome: 'failed', status: null, detail: `cannot read: ${(error as Error).message}` },
    }
  }
  const check = checkPost(bytes, { explicit: file.explicit, siteOffsetMinutes })
  if (check.kind === 'not-a-post') return { ...base, final: { ...result, outcome: 'skipped', detail: check.detail } }
  if (check.kind === 'invalid') {
    const { status, type, detail, errors } = check
    return { ...base, final: { ...result, outcome: 'failed', status, type, detail, ...(errors ? { errors } : {}) } }
  }
  const recorded = state.get(base.key)
  if (check.infoCode) return { ...base, infoCode: check.infoCode, source: check.codeSource }
  return { ...base, infoCode: recorded, source: recorded ? 'state' : undefined }
}

const SOURCE_RANK = { 'front-matter': 0, state: 1, 'body-link': 2 } as const

/**
 * Two files with one infoCode would overwrite each other on every run (a post's body may link to another
 * article's share page, whose infoCode it then takes). The file whose claim is strongest keeps the code
 * (front matter, then an infoCode the server gave it, then a body link; then path order); the others fail.
 */
function refuseDuplicateClaims(inspections: (Inspection | undefined)[]): void {
  const claims = new Map<string, number[]>()
  inspections.forEach((item, i) => {
    if (item && !item.final && item.infoCode) claims.set(item.infoCode, [...(claims.get(item.infoCode) ?? []), i])
  })
  const rank = (i: number) => {
    const item = inspections[i]
    return item && !item.final && item.source ? SOURCE_RANK[item.source] : 3
  }
  for (const [infoCode, indices] of claims) {
    if (indices.length < 2) continue
    const [keeper, ...others] = [...indices].sort((a, b) => rank(a) - rank(b) || a - b) as [number, ...number[]]
    const owner = inspections[keeper] as Inspection & { final?: undefined }
    for (const i of others) {
      const item = inspections[i] as Inspection & { final?: undefined }
      const via = item.source === 'body-link' ? ' (from the first NewsShare.html link in its body)' : ''
      inspections[i] = {
        file: item.file,
        shown: item.shown,
        key: item.key,
        final: {
          file: item.shown,
          key: item.key,
          outcome: 'failed',
          infoCode,
          status: 409,
          type: 'urn:finews:problem:import-duplicate',
          detail:
            `infoCode ${infoCode}${via} is also the infoCode of ${owner.shown} (${owner.source}); not uploaded, ` +
            'so neither overwrites the other: give this post its own infoCode in its front matter',
          errors: [{ path: 'infoCode', message: `also the infoCode of ${owner.shown}` }],
        },
      }
    }
  }
}

function unexpected(item: Inspection, error: unknown): FileResult {
  const detail = `unexpected error: ${error instanceof Error ? error.message : String(error)}`
  return { file: item.shown, key: item.key, outcome: 'failed', status: null, detail }
}

/** Runs `task(0…count-1)` with `width` in flight, taking no new index once `go()` says stop. */
async function pool(count: number, width: number, go: () => boolean, task: (i: number) => Promise<void>) {
  let next = 0
  const worker = async () => {
    while (next < count && go()) await task(next++)
  }
  await Promise.all(Array.from({ length: Math.min(width, count) }, worker))
}

/** A path as a person reads it: relative to the working folder when inside it, else absolute. */
function shown(path: string): string {
  const rel = relative(process.cwd(), path)
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path
}

function summarise(run: {
  api: string
  dryRun: boolean
  state: ImportState
  started: number
  files: readonly PostFile[]
  results: readonly (FileResult | undefined)[]
  stopReason: string | undefined
  aborted: boolean | undefined
}): ImportSummary {
  const durationMs = Date.now() - run.started
  const finished: FileResult[] = []
  const pending: string[] = []
  run.files.forEach((file, i) => {
    const result = run.results[i]
    if (result) finished.push(result)
    else pending.push(shown(file.path))
  })
  const count = (outcome: FileOutcome) => finished.filter((r) => r.outcome === outcome).length
  const skipped = count('skipped')
  const handled = finished.length - skipped
  return {
    api: run.api,
    dryRun: run.dryRun,
    statePath: run.state.path,
    startedAt: new Date(run.started).toISOString(),
    durationMs,
    postsPerSecond: durationMs > 0 ? Math.round((handled / durationMs) * 1000 * 10) / 10 : 0,
    interrupted: Boolean(run.aborted) && pending.length > 0,
    stopReason: run.stopReason,
    counts: {
      total: run.files.length,
      created: count('created'),
      replaced: count('replaced'),
      unchanged: count('unchanged'),
      valid: count('valid'),
      failed: count('failed'),
      skipped,
      pending: pending.length,
    },
    results: finished,
    failures: finished.filter((r) => r.outcome === 'failed'),
    pending,
  }
}

async function defaultKey(): Promise<string> {
  const fromEnv = process.env.API_KEY?.trim()
  if (fromEnv) return fromEnv
  // Loaded only when needed: the pipeline module pulls in the AWS SDK, which a remote import does not need.
  return (await import('../../local/pipeline.ts')).DEVELOPMENT_API_KEY
}
