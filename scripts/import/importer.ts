import { createHash } from 'node:crypto'
import { readFile, stat } from 'node:fs/promises'
import { basename, isAbsolute, relative } from 'node:path'
import type { FieldError } from '#shared/domain/errors'
import { splitFooter } from '#shared/domain/footer'
import { fileNameInfoCode, jekyllPostPath, REDIRECT_FROM_KEY } from '#shared/domain/legacy-urls'
import { pool } from '#shared/pool'
import { type ApiTarget, checkApi, type UploadAnswer, uploadPost, type WriteOutcome } from './api-client.ts'
import { checkPost, type PostCheck } from './check-post.ts'
import { ImportUsageError } from './errors.ts'
import { DEFAULT_RETRY, RateGate, type RetryPolicy } from './retry.ts'
import { defaultStatePath, findLegacyState, type ImportState, openState } from './state.ts'
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
  /** @default `defaultStatePath(api, env)`: outside the folders read, one file per API */
  readonly statePath?: string
  /** Where `XDG_STATE_HOME` and `HOME` are read for the default state path. @default process.env */
  readonly env?: NodeJS.ProcessEnv
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

/**
 * What happened to one file. `valid` is a dry run's "would upload"; `skipped` a file without front matter;
 * `merged` a file whose article was uploaded from another file of the same infoCode (`mergedInto`).
 */
export type FileOutcome = WriteOutcome | 'valid' | 'failed' | 'skipped' | 'merged'

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
  /** The file the article was uploaded from, for the other files of one article. */
  readonly mergedInto?: string
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
  /** Files taken into another file's article (one article, several files). */
  readonly merged: number
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
  /** Every article made of several files. */
  readonly merges: readonly MergeReport[]
  /** Every file whose front matter was repaired before the upload. */
  readonly repairs: readonly RepairReport[]
}

/**
 * Imports Jekyll posts into a running API. Every file is checked first; the files of one infoCode (front
 * matter, the footer's own share link, the file name's 18 digits, or one an earlier run was given) are
 * gathered into one article ({@link planUploads}); then N uploads in flight, PUT by infoCode, or POST once
 * and the generated infoCode recorded in the state, so a rerun writes nothing. The benchmarks read `postsPerSecond`.
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
  if (!URL.canParse(api)) throw new ImportUsageError(`the API must be an http(s) URL, got ${api}`)
  const dryRun = options.dryRun ?? false
  const siteOffsetMinutes = options.siteOffsetMinutes ?? 480
  const files = await findPosts(options.paths)
  const isDirectory = async (p: string) => (await stat(p)).isDirectory()
  const statePath = options.statePath ?? defaultStatePath(api, options.env ?? process.env)
  const legacy = options.statePath ? undefined : await findLegacyState(options.paths, isDirectory)
  const state = await openState(statePath, { readOnly: dryRun, legacy })
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

  // Phase 1: every file checked before any upload, so all the files of one article are found whatever the order.
  const inspections: (Inspection | undefined)[] = new Array(files.length)
  progress()
  await pool(
    files.length,
    Math.max(concurrency, 16),
    async (i) => {
      inspections[i] = await inspect(i, files[i] as PostFile, state, siteOffsetMinutes)
    },
    running,
  )
  const plan = planUploads(inspections, state, siteOffsetMinutes)

  async function upload(article: PlannedArticle): Promise<FileResult[] | undefined> {
    const primary = article.files[0] as PostInspection
    const base = { file: primary.shown, key: primary.key }
    const infoCode = article.infoCode
    const method: 'PUT' | 'POST' = infoCode ? 'PUT' : 'POST'
    const mergedOk = (code: string | undefined) =>
      article.files.slice(1).map(
        (f): FileResult => ({
          file: f.shown,
          key: f.key,
          outcome: 'merged',
          mergedInto: primary.shown,
          ...(code ? { infoCode: code } : {}),
        }),
      )
    if (dryRun) {
      return [{ ...base, outcome: 'valid', method, ...(infoCode ? { infoCode } : {}) }, ...mergedOk(infoCode)]
    }
    const body = new TextEncoder().encode(JSON.stringify(article.fields))
    // The same file with the same content is one POST across retries and runs (a run stopped before it recorded
    // the infoCode the server gave): the server answers a repeat with the article the first created.
    const idempotencyKey =
      method === 'POST'
        ? `import-${createHash('sha256').update(primary.key).update('\n').update(body).digest('hex').slice(0, 40)}`
        : undefined
    const answer: UploadAnswer = await uploadPost(
      {
        method,
        infoCode,
        body,
        contentType: 'application/json; charset=utf-8',
        ...(idempotencyKey ? { idempotencyKey } : {}),
      },
      context,
    )
    if (answer.ok) {
      networkStreak = 0
      if (method === 'POST') for (const f of article.files) await state.record(f.key, answer.infoCode)
      const { outcome, status, attempts } = answer
      return [{ ...base, outcome, method, infoCode: answer.infoCode, status, attempts }, ...mergedOk(answer.infoCode)]
    }
    if (answer.reason === 'interrupted') return undefined
    if (answer.reason === 'unauthorized') stopReason ??= `the API refused the key (${answer.status}): ${answer.detail}`
    networkStreak = answer.network ? networkStreak + 1 : 0
    if (networkStreak >= networkStreakLimit) {
      stopReason ??= `${networkStreak} files in a row got no answer from ${api} (last: ${answer.detail})`
    }
    const failure = {
      outcome: 'failed' as const,
      method,
      ...(infoCode ? { infoCode } : {}),
      status: answer.status,
      detail: answer.detail,
      ...(answer.type ? { type: answer.type } : {}),
      ...(answer.errors ? { errors: answer.errors } : {}),
      attempts: answer.attempts,
    }
    return article.files.map((f, i) => ({
      file: f.shown,
      key: f.key,
      ...failure,
      ...(i > 0 ? { mergedInto: primary.shown } : {}),
    }))
  }

  // Phase 2: in path order (of each article's first file), N in flight; files refused locally are reported as
  // their turn comes, for an even pace.
  await pool(
    plan.steps.length,
    concurrency,
    async (n) => {
      const step = plan.steps[n] as PlanStep
      let finished: [number, FileResult][] | undefined
      if ('final' in step) finished = [[step.index, step.final]]
      else {
        const files = step.article.files
        const answers = await upload(step.article).catch((error: unknown) => files.map((f) => unexpected(f, error)))
        finished = answers?.map((result, i) => [(files[i] as PostInspection).index, result])
      }
      if (!finished) return
      for (const [index, result] of finished) {
        results[index] = result
        done++
        if (result.outcome === 'failed') failed++
        progress(result)
      }
    },
    running,
  )
  return summarise({
    api,
    dryRun,
    state,
    started,
    files,
    results,
    stopReason,
    aborted: options.signal?.aborted,
    merges: plan.merges,
    repairs: plan.repairs,
  })
}

/** A file after the local check: its final result (invalid, skipped), or what the article needs from it. */
type Inspection = PostInspection | FinalInspection
interface FinalInspection {
  /** The file's place in the sorted list. */
  readonly index: number
  readonly file: PostFile
  readonly shown: string
  readonly key: string
  readonly final: FileResult
}
interface PostInspection {
  readonly index: number
  readonly file: PostFile
  readonly shown: string
  readonly key: string
  readonly final?: undefined
  readonly check: Extract<PostCheck, { kind: 'post' }>
  /** Its own infoCode, else one an earlier run was given for its key. */
  readonly infoCode: string | undefined
}

/** One article to upload: its files (the one whose body is taken first), infoCode, and the fields sent. */
export interface PlannedArticle {
  readonly infoCode: string | undefined
  readonly files: readonly PostInspection[]
  readonly fields: Record<string, unknown>
}

/** How several files became one article, as the summary names it. */
export interface MergeReport {
  /** The article's infoCode; absent in a dry run for an article still to be given one. */
  readonly infoCode?: string
  /** The file whose title, date, body and other fields were taken. */
  readonly into: string
  /** Every file of the article, that one first. */
  readonly files: readonly string[]
  /** The categories united, as written. */
  readonly categories: readonly string[]
}

/** A file whose front matter was repaired (the known generator defect), and the title read from it. */
export interface RepairReport {
  readonly file: string
  readonly title: string
}

type PlanStep = { readonly index: number; readonly final: FileResult } | { readonly article: PlannedArticle }

async function inspect(
  index: number,
  file: PostFile,
  state: ImportState,
  siteOffsetMinutes: number,
): Promise<Inspection> {
  const base = { index, file, shown: shown(file.path), key: state.keyOf(file.path) }
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
  const check = checkPost(bytes, { explicit: file.explicit, siteOffsetMinutes, fileName: basename(file.path) })
  if (check.kind === 'not-a-post') return { ...base, final: { ...result, outcome: 'skipped', detail: check.detail } }
  if (check.kind === 'invalid') {
    const { status, type, detail, errors } = check
    return { ...base, final: { ...result, outcome: 'failed', status, type, detail, ...(errors ? { errors } : {}) } }
  }
  return { ...base, check, infoCode: check.infoCode ?? state.get(base.key) }
}

// The rolling-news template (`emnews`, file named by the bare 18 digits) writes a digest copy of an article
// its source-news copy (`NW…`, the source's category) carries in full: that one is preferred.
const ROLLING_CATEGORY = 'emnews'
const ROLLING_FILE = /(?:^|-)\d{18}\.[^./]+$/

/**
 * Gathers the files of one article: those of one infoCode, and those without one that share a key (file
 * name). One file gives the article its title, date, body and other fields: the source-news copy before a
 * rolling-news (`emnews`) one, then the longest body, then path order. Categories and tags are united, that
 * file's first. An old URL that the infoCode does not give (a file name without 18 digits) goes into
 * `redirect_from`, for the server to record. Deterministic: the same files give the same fields.
 */
function planUploads(
  inspections: readonly (Inspection | undefined)[],
  state: ImportState,
  siteOffsetMinutes: number,
): { steps: PlanStep[]; merges: MergeReport[]; repairs: RepairReport[] } {
  const groups = new Map<string, PostInspection[]>()
  const steps: (PlanStep | string)[] = []
  const repairs: RepairReport[] = []
  for (const item of inspections) {
    if (!item) continue
    if (item.final) {
      steps.push({ index: item.index, final: item.final })
      continue
    }
    if (item.check.repairedTitle !== undefined) repairs.push({ file: item.shown, title: item.check.repairedTitle })
    const group = item.infoCode ?? `key:${item.key}`
    const members = groups.get(group)
    if (members) members.push(item)
    else {
      groups.set(group, [item])
      steps.push(group)
    }
  }
  const merges: MergeReport[] = []
  const articles = new Map<string, PlannedArticle>()
  for (const [group, members] of groups) {
    const files = [...members].sort(
      (a, b) => rolling(a) - rolling(b) || bodyLength(b) - bodyLength(a) || members.indexOf(a) - members.indexOf(b),
    )
    const primary = files[0] as PostInspection
    const infoCode = group.startsWith('key:') ? undefined : group
    const categories = unite(files.map((f) => f.check.categories))
    const tags = unite(files.map((f) => f.check.tags))
    const paths = unite([
      recorded(primary.check.fields[REDIRECT_FROM_KEY]),
      files.flatMap((f) => {
        if (infoCode !== undefined && fileNameInfoCode(basename(f.file.path)) === infoCode) return []
        const path = jekyllPostPath({
          fileName: basename(f.file.path),
          categories: f.check.categories,
          epochMs: f.check.publishedAt,
          siteOffsetMinutes,
        })
        return path ? [path] : []
      }),
    ])
    const fields: Record<string, unknown> = { ...primary.check.fields, categories, tags }
    const body = carryOriginalLink(
      fields.body,
      files.slice(1).map((f) => f.check.fields.body),
    )
    if (body !== undefined) fields.body = body
    if (paths.length > 0) fields[REDIRECT_FROM_KEY] = paths
    if (files.length > 1) {
      const code = infoCode ?? files.map((f) => state.get(f.key)).find((c) => c !== undefined)
      merges.push({
        ...(code ? { infoCode: code } : {}),
        into: primary.shown,
        files: files.map((f) => f.shown),
        categories,
      })
    }
    articles.set(group, { infoCode, files, fields })
  }
  return {
    steps: steps.map((step) => (typeof step === 'string' ? { article: articles.get(step) as PlannedArticle } : step)),
    merges,
    repairs,
  }
}

/**
 * The chosen copy's body with the original-article link (eastmoney) another copy's footer names, when the chosen
 * one names none: the rolling-news copy links the original, the source-news copy that wins links only itself,
 * and the server reads 原文链接 from the footer. Undefined when there is nothing to carry.
 * @example carryOriginalLink('正文\n\n<http://h/html_News/NewsShare.html?infoCode=NW…>', ['摘要\n\n<http://finance.eastmoney.com/news/1354,….html>'])
 */
export function carryOriginalLink(body: unknown, others: readonly unknown[]): string | undefined {
  if (typeof body !== 'string') return undefined
  const { content, originalUrl } = splitFooter(body)
  if (originalUrl !== undefined) return undefined
  const url = others
    .map((other) => (typeof other === 'string' ? splitFooter(other).originalUrl : undefined))
    .find((found) => found !== undefined)
  if (url === undefined) return undefined
  // The footer is the tail of the body after its content: the link goes first in it, as the generator wrote it.
  return `${content}\n\n<${url}>${body.slice(content.length) || '\n'}`
}

function rolling(item: PostInspection): number {
  const name = basename(item.file.path)
  return ROLLING_FILE.test(name) || item.check.categories.some((c) => c.toLowerCase() === ROLLING_CATEGORY) ? 1 : 0
}

function bodyLength(item: PostInspection): number {
  const body = item.check.fields.body
  return typeof body === 'string' ? body.trim().length : 0
}

function unite(lists: readonly (readonly string[])[]): string[] {
  return [...new Set(lists.flat())]
}

function recorded(value: unknown): string[] {
  if (typeof value === 'string') return [value]
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []
}

function unexpected(item: { shown: string; key: string }, error: unknown): FileResult {
  const detail = `unexpected error: ${error instanceof Error ? error.message : String(error)}`
  return { file: item.shown, key: item.key, outcome: 'failed', status: null, detail }
}

/** A path as a person reads it: relative to the working folder when inside it, else absolute. */
function shown(path: string): string {
  const rel = relative(process.cwd(), path)
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path
}

function summarise(run: {
  merges: readonly MergeReport[]
  repairs: readonly RepairReport[]
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
      merged: count('merged'),
      pending: pending.length,
    },
    results: finished,
    failures: finished.filter((r) => r.outcome === 'failed'),
    pending,
    merges: run.merges,
    repairs: run.repairs,
  }
}

async function defaultKey(): Promise<string> {
  const fromEnv = process.env.API_KEY?.trim()
  if (fromEnv) return fromEnv
  // Loaded only when needed: the pipeline module pulls in the AWS SDK, which a remote import does not need.
  return (await import('../../local/pipeline.ts')).DEVELOPMENT_API_KEY
}
