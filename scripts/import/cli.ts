import { parseArgs } from 'node:util'
import { parseOffset } from '#shared/domain/dates'
import { ImportApiError, ImportUsageError } from './errors.ts'
import { DEFAULT_API, DEFAULT_CONCURRENCY, DEFAULT_TIMEOUT_MS, type ImportOptions, importPosts } from './importer.ts'
import { type ProgressStream, progressView } from './progress.ts'
import { exitCodeOf, formatSummary, writeReport } from './summary.ts'

/** The `--help` text. */
export const USAGE = `Usage: npm run import -- PATH… [options]      (or: npx finews-import PATH… [options])

Uploads Jekyll posts (files, or folders walked for .md .markdown .html .txt with front matter) to the
finews API. The files of one infoCode (front matter, the footer's NewsShare.html?infoCode= link, the file
name's 18 digits) become one article (categories united); it is PUT under that infoCode. Posts without
one are POSTed once and the infoCode the server gives them is kept in the state file, so running the
same command again uploads nothing new and reports every post unchanged.

Options:
  --api URL          the site's base URL                       (default ${DEFAULT_API})
  --key KEY          the API key (prefer the API_KEY variable: arguments show in ps)
                     (default: $API_KEY, else the development key of npm start)
  --concurrency N    uploads in flight                         (default ${DEFAULT_CONCURRENCY})
  --dry-run          check every post with the API's rules; upload nothing
  --report FILE      also write the summary, with every file's outcome, as JSON
  --state FILE       where generated infoCodes are kept (default: one file per API under
                     $XDG_STATE_HOME/finews/, else ~/.local/state/finews/; never in the folders read)
  --timeout SECONDS  limit for one request                     (default ${DEFAULT_TIMEOUT_MS / 1000})
  -h, --help         this text

Exit status: 0 all went through, 1 something failed, 2 unusable options or API, 130 stopped by Ctrl-C.
Ctrl-C once stops taking new files, finishes the uploads in flight and prints the summary; twice quits.`

/** The command line, read. */
export interface CliArgs {
  readonly help: boolean
  readonly paths: readonly string[]
  readonly api: string
  readonly key: string | undefined
  readonly concurrency: number
  readonly dryRun: boolean
  readonly report: string | undefined
  readonly state: string | undefined
  readonly timeoutMs: number
  readonly siteOffsetMinutes: number
}

/**
 * Reads the command line (and `API_KEY`, `SITE_TIMEZONE`); throws `ImportUsageError` on anything unusable.
 * @example parseCliArgs(['_posts', '--concurrency', '16'], process.env).concurrency // 16
 */
export function parseCliArgs(argv: readonly string[], env: NodeJS.ProcessEnv): CliArgs {
  let parsed: ReturnType<typeof parse>
  try {
    parsed = parse(argv)
  } catch (error) {
    throw new ImportUsageError((error as Error).message)
  }
  const { values, positionals } = parsed
  const api = values.api ?? DEFAULT_API
  if (!/^https?:\/\/[^/\s]+/i.test(api) || !URL.canParse(api)) {
    throw new ImportUsageError(`--api must be an http(s) URL like ${DEFAULT_API}, got ${api}`)
  }
  const concurrency = wholeNumber('--concurrency', values.concurrency, DEFAULT_CONCURRENCY, 1, 256)
  const timeoutSeconds = wholeNumber('--timeout', values.timeout, DEFAULT_TIMEOUT_MS / 1000, 1, 3600)
  const zone = env.SITE_TIMEZONE?.trim() || '+08:00'
  const siteOffsetMinutes = parseOffset(zone)
  if (siteOffsetMinutes === undefined) throw new ImportUsageError(`SITE_TIMEZONE must look like +08:00, got ${zone}`)
  const help = values.help ?? false
  if (!help && positionals.length === 0) throw new ImportUsageError('name at least one post file or folder')
  return {
    help,
    paths: positionals,
    api,
    key: values.key?.trim() || env.API_KEY?.trim() || undefined,
    concurrency,
    dryRun: values['dry-run'] ?? false,
    report: values.report,
    state: values.state,
    timeoutMs: timeoutSeconds * 1000,
    siteOffsetMinutes,
  }
}

/** What the CLI talks to; the process's streams in real use. */
export interface CliIo {
  readonly stdout: ProgressStream
  readonly stderr: ProgressStream
  readonly env: NodeJS.ProcessEnv
  /** Aborted by the first Ctrl-C. */
  readonly signal?: AbortSignal
}

/**
 * Runs the importer for a command line and returns the exit status (see {@link USAGE}).
 * @example process.exitCode = await runCli(process.argv.slice(2), { stdout, stderr, env: process.env })
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let args: CliArgs
  try {
    args = parseCliArgs(argv, io.env)
  } catch (error) {
    if (!(error instanceof ImportUsageError)) throw error
    io.stderr.write(`finews-import: ${error.message}\nTry --help.\n`)
    return 2
  }
  if (args.help) {
    io.stdout.write(`${USAGE}\n`)
    return 0
  }
  const view = progressView(io.stderr)
  const options: ImportOptions = {
    paths: args.paths,
    api: args.api,
    ...(args.key ? { key: args.key } : {}),
    concurrency: args.concurrency,
    dryRun: args.dryRun,
    ...(args.state ? { statePath: args.state } : {}),
    env: io.env,
    ...(io.signal ? { signal: io.signal } : {}),
    timeoutMs: args.timeoutMs,
    siteOffsetMinutes: args.siteOffsetMinutes,
    onProgress: (progress) => view.update(progress),
  }
  try {
    const summary = await importPosts(options)
    view.finish()
    io.stdout.write(`${formatSummary(summary)}\n`)
    if (args.report) {
      await writeReport(args.report, summary)
      io.stdout.write(`Report: ${args.report}\n`)
    }
    return exitCodeOf(summary)
  } catch (error) {
    if (!(error instanceof ImportUsageError || error instanceof ImportApiError)) throw error
    io.stderr.write(`finews-import: ${error.message}\n`)
    return 2
  }
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      api: { type: 'string' },
      key: { type: 'string' },
      concurrency: { type: 'string' },
      'dry-run': { type: 'boolean' },
      report: { type: 'string' },
      state: { type: 'string' },
      timeout: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  })
}

function wholeNumber(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback
  const value = Number(raw)
  if (!/^\d+$/.test(raw.trim()) || value < min || value > max) {
    throw new ImportUsageError(`${name} must be a whole number from ${min} to ${max}, got ${raw}`)
  }
  return value
}
