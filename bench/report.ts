import { round } from './stats.ts'

/** A goal a figure is held to. */
export interface Goal {
  /** Which number the goal is about: the measured value or its ratio to the baseline. */
  readonly on: 'value' | 'ratio'
  readonly op: '<=' | '>='
  readonly limit: number
}

/** One measured row: a value, the baseline measured in the same run, and their ratio. */
export interface Row {
  /** What was measured, for people. */
  readonly label: string
  readonly value: number
  readonly unit: string
  /** The JSON name of `value`, when it is one of the issue's figures. */
  readonly key?: string
  readonly baseline: { readonly label: string; readonly value: number; readonly unit: string }
  /** `value / baseline.value`, unless the row says otherwise. */
  readonly ratio?: number
  /** The JSON name of the ratio, when it is one of the issue's figures. */
  readonly ratioKey?: string
  readonly goal?: Goal
  /** Counts or conditions worth printing beside the row (sizes, scale). */
  readonly note?: string
  /** Further named figures for the JSON line (e.g. the read units beside a row of write units). */
  readonly more?: Readonly<Record<string, number>>
}

/** The ratio of a row: given, or value over baseline. */
export function ratioOf(row: Row): number {
  return row.ratio ?? row.value / row.baseline.value
}

/** True, false, or undefined when the row has no goal. */
export function meetsGoal(row: Row): boolean | undefined {
  if (!row.goal) return undefined
  const subject = row.goal.on === 'value' ? row.value : ratioOf(row)
  return row.goal.op === '<=' ? subject <= row.goal.limit : subject >= row.goal.limit
}

function goalText(row: Row): string {
  if (!row.goal) return ''
  const subject = row.goal.on === 'value' ? (row.key ?? 'value') : (row.ratioKey ?? 'ratio')
  const mark = meetsGoal(row) ? 'met' : 'MISSED'
  return `${subject} ${row.goal.op} ${row.goal.limit}: ${mark}`
}

function formatNumber(value: number): string {
  if (Number.isNaN(value)) return '–'
  return Number.isFinite(value) ? String(round(value)) : String(value)
}

/** The rows as a fixed-width table (figure, value, baseline, ratio, goal), one line each plus notes. */
export function formatTable(rows: readonly Row[]): string {
  const cells = rows.map((row) => [
    row.key ?? row.ratioKey ?? '',
    row.label,
    `${formatNumber(row.value)} ${row.unit}`,
    `${formatNumber(row.baseline.value)} ${row.baseline.unit} (${row.baseline.label})`,
    `${formatNumber(ratioOf(row))}${row.ratioKey && row.key ? ` = ${row.ratioKey}` : ''}`,
    goalText(row),
  ])
  const header = ['figure', 'measured', 'value', 'baseline', 'ratio', 'goal']
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] as string).length)))
  const line = (c: readonly string[]) =>
    c
      .map((text, i) => text.padEnd(widths[i] as number))
      .join('  ')
      .trimEnd()
  const out = [line(header), line(widths.map((w) => '-'.repeat(w)))]
  rows.forEach((row, i) => {
    out.push(line(cells[i] as string[]))
    if (row.note) out.push(`${' '.repeat((widths[0] as number) + 2)}↳ ${row.note}`)
  })
  return out.join('\n')
}

/** The rows as a Markdown table, for the README. */
export function formatMarkdown(rows: readonly Row[]): string {
  const out = ['| figure | value | baseline (same run) | ratio | goal |', '|---|---|---|---|---|']
  for (const row of rows) {
    const names = [row.key, row.ratioKey].filter(Boolean).map((n) => `\`${n}\``)
    out.push(
      `| ${names.join(', ') || row.label} | ${formatNumber(row.value)} ${row.unit} | ${formatNumber(row.baseline.value)} ${row.baseline.unit} (${row.baseline.label}) | ${formatNumber(ratioOf(row))} | ${goalText(row)} |`,
    )
  }
  return out.join('\n')
}

/** Every named figure of the rows (values and ratios), for the one JSON line. */
export function figures(rows: readonly Row[]): Record<string, number> {
  const out: Record<string, number> = {}
  for (const row of rows) {
    if (row.key) out[row.key] = round(row.value, 4)
    if (row.ratioKey) out[row.ratioKey] = round(ratioOf(row), 4)
    for (const [name, value] of Object.entries(row.more ?? {})) out[name] = round(value, 4)
  }
  return out
}

/** The JSON names the issue asks for; a run that lacks one says so. */
export const REQUIRED_FIGURES = [
  'regen_flatness',
  'regen_vs_full_rebuild',
  'upload_to_feed_p50_ms',
  'upload_to_feed_p95_ms',
  'ingest_rps',
  'ingest_vs_raw_put',
  'share_rps',
  'share_p99_ms',
  'share_vs_bare_hono',
  'render_items_per_s',
  'render_vs_feed_package',
  'render_worst_ms_per_100kb',
  'bundle_kb_api',
  'bundle_kb_feeds',
  'bundle_kb_share',
  'cold_init_ms_api',
  'cold_init_ms_feeds',
  'cold_init_ms_share',
  'peak_rss_mb_feeds',
  'import_posts_per_s',
  'import_articles_stored',
  'archive_objects_per_upload',
  'archive_regen_ms',
  'archive_regen_old_vs_new',
  'unchanged_upload_wcu',
  'unchanged_upload_rcu_vs_get',
  'created_upload_wcu',
  'reupload_vs_raw_get',
  'burst_500_mixed_ms',
  'capacity_created_wcu',
  'capacity_unchanged_wcu',
  'capacity_replaced_wcu',
  'capacity_deleted_wcu',
  'capacity_click_wcu',
  'capacity_share_page_rcu',
  'capacity_feed_regen_rcu',
] as const
