import type { FileResult, ImportProgress } from './importer.ts'

/** Where the CLI writes progress: a terminal or not. */
export interface ProgressStream {
  write(text: string): unknown
  readonly isTTY?: boolean
  readonly columns?: number
}

/** Shows progress while a run goes, and clears up at the end. */
export interface ProgressView {
  update(progress: ImportProgress): void
  finish(): void
}

/**
 * `m:ss` or `h:mm:ss`; `--:--` when unknown.
 * @example formatDuration(65_000) // '1:05'
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '--:--'
  const total = Math.round(ms / 1000)
  const h = Math.floor(total / 3600)
  const m = Math.floor((total % 3600) / 60)
  const s = String(total % 60).padStart(2, '0')
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`
}

/** Files per second so far, and the time left at that pace. */
export function pace(progress: ImportProgress): { rate: number; etaMs: number } {
  const seconds = progress.elapsedMs / 1000
  const rate = seconds > 0 ? progress.done / seconds : 0
  const etaMs = rate > 0 ? ((progress.total - progress.done) / rate) * 1000 : Number.NaN
  return { rate, etaMs }
}

/**
 * The figures of a progress line: count, percentage, rate, ETA, failures.
 * @example progressText({ total: 200, done: 50, failed: 1, elapsedMs: 10_000 }) // '50/200  25%  5.0/s  ETA 0:30  failed 1'
 */
export function progressText(progress: ImportProgress): string {
  const { rate, etaMs } = pace(progress)
  const percent = progress.total > 0 ? Math.floor((progress.done / progress.total) * 100) : 100
  return `${progress.done}/${progress.total}  ${percent}%  ${rate.toFixed(1)}/s  ETA ${formatDuration(etaMs)}  failed ${progress.failed}`
}

/**
 * A bar of `width` cells for a terminal.
 * @example progressBar(1, 4, 8) // '██░░░░░░'
 */
export function progressBar(done: number, total: number, width: number): string {
  const filled = total > 0 ? Math.min(width, Math.round((done / total) * width)) : width
  return `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`
}

/** One line about a failed file: path, status, problem detail. */
export function failureLine(result: FileResult): string {
  const status = result.status === null || result.status === undefined ? 'no answer' : String(result.status)
  return `${result.file}  ${status}  ${result.detail ?? ''}`.trimEnd()
}

/**
 * A redrawn bar on a terminal (at most ten times a second), failures printed above it as they happen;
 * plain lines elsewhere (logs, CI): the figures every `intervalMs` (failures are in the summary).
 */
export function progressView(stream: ProgressStream, options: { intervalMs?: number } = {}): ProgressView {
  return stream.isTTY ? terminalView(stream) : plainView(stream, options.intervalMs ?? 5_000)
}

function terminalView(stream: ProgressStream): ProgressView {
  let lastDraw = 0
  let latest: ImportProgress | undefined
  const draw = () => {
    if (!latest) return
    const text = progressText(latest)
    const width = Math.max(10, Math.min(40, (stream.columns ?? 80) - text.length - 4))
    stream.write(`\r\x1b[K${progressBar(latest.done, latest.total, width)}  ${text}`)
    lastDraw = Date.now()
  }
  return {
    update(progress) {
      latest = progress
      if (progress.last?.outcome === 'failed') {
        stream.write(`\r\x1b[Kfailed  ${failureLine(progress.last)}\n`)
        draw()
      } else if (Date.now() - lastDraw >= 100 || progress.done === progress.total) {
        draw()
      }
    },
    finish() {
      draw()
      stream.write('\n')
    },
  }
}

function plainView(stream: ProgressStream, intervalMs: number): ProgressView {
  let lastLine = 0
  let latest: ImportProgress | undefined
  return {
    update(progress) {
      latest = progress
      if (!progress.last) {
        stream.write(`importing ${progress.total} files\n`)
        lastLine = Date.now()
        return
      }
      if (Date.now() - lastLine >= intervalMs) {
        stream.write(`progress  ${progressText(progress)}\n`)
        lastLine = Date.now()
      }
    },
    finish() {
      if (latest) stream.write(`progress  ${progressText(latest)}\n`)
    },
  }
}
