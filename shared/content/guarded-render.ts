import { escapeText } from '../html/entities.ts'
import { count, METRIC } from '../observability.ts'
import { renderHtml } from './render-body.ts'

/** What the store knows of the article whose body is rendered. */
export interface RenderSubject {
  readonly infoCode: string
  /** The plain-text summary stored at upload: what is shown when the body cannot be. */
  readonly summary: string
  readonly updatedAt: string
}

/** Renders a stored body to sanitised HTML; told which article it is, so a guard can fall back to its summary. */
export type BodyRenderer = (body: string, subject: RenderSubject) => string

/** A structured log line. */
export type RenderLog = (entry: Record<string, unknown>) => void

/** Settings of a guarded renderer. */
export interface GuardedRenderOptions {
  readonly baseUrl: string
  readonly log: RenderLog
  /** A render slower than this shows the summary, now and on later reads of the same version. @default 1000 */
  readonly budgetMs?: number
  /** The renderer guarded (tests inject a failing or slow one). @default renderHtml */
  readonly render?: (body: string, baseUrl: string) => string
  /** Injected clock in ms, for tests. */
  readonly now?: () => number
}

/** Shown for a body that cannot be rendered and has no summary (nothing but markup). */
export const BODY_UNAVAILABLE = '（正文暂时无法显示）'

// Versions over budget are remembered so each costs one slow render per warm process, not one per read.
const REMEMBERED = 1000

/**
 * Renders a body, or, when the render throws or runs over budget, the article's summary (else a notice) as one paragraph:
 * one hostile body never fails a feed or a page. Each fallback is logged as a warning and counted as
 * `RenderFallback` in the function's metrics (flushed with its request or stream batch, under its service).
 * @example const render = guardedRenderer({ baseUrl, log }); render(body, { infoCode, summary, updatedAt })
 */
export function guardedRenderer(options: GuardedRenderOptions): BodyRenderer {
  const budgetMs = options.budgetMs ?? 1000
  const render = options.render ?? renderHtml
  const now = options.now ?? (() => performance.now())
  const overBudget = new Set<string>()

  function fallback(subject: RenderSubject, reason: string, ms: number | undefined): string {
    options.log({
      level: 'warn',
      msg: 'body shown by its summary',
      infoCode: subject.infoCode,
      reason,
      ms,
    })
    count(METRIC.renderFallback)
    // Never empty: an empty result would send a page or feed back to the unguarded renderer.
    return `<p>${escapeText(subject.summary || BODY_UNAVAILABLE)}</p>`
  }

  return (body, subject) => {
    const version = `${subject.infoCode}@${subject.updatedAt}`
    if (overBudget.has(version)) return fallback(subject, 'over budget before', undefined)
    const start = now()
    let html: string
    try {
      html = render(body, options.baseUrl)
    } catch (error) {
      return fallback(subject, `render failed: ${error instanceof Error ? error.message : String(error)}`, undefined)
    }
    const ms = now() - start
    if (ms <= budgetMs) return html
    if (overBudget.size >= REMEMBERED) overBudget.clear()
    overBudget.add(version)
    return fallback(subject, 'over budget', Math.round(ms))
  }
}
