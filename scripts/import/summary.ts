import { writeFile } from 'node:fs/promises'
import type { ImportSummary } from './importer.ts'
import { failureLine, formatDuration } from './progress.ts'

/** Exit status of the CLI: 0 when every file went through, 1 when any failed or the run stopped, 130 after Ctrl-C. */
export function exitCodeOf(summary: ImportSummary): number {
  if (summary.interrupted) return 130
  return summary.counts.failed > 0 || summary.counts.pending > 0 || summary.stopReason !== undefined ? 1 : 0
}

/**
 * The summary a person reads at the end: counts, then each failure with its file, status and problem detail.
 * @example console.log(formatSummary(summary))
 */
export function formatSummary(summary: ImportSummary): string {
  const c = summary.counts
  const lines: string[] = []
  const took = `${formatDuration(summary.durationMs)} (${summary.postsPerSecond} posts/s)`
  if (summary.dryRun) {
    lines.push(`Dry run: checked ${c.total - c.pending} of ${c.total} files in ${took}; nothing was uploaded.`)
    const puts = summary.results.filter((r) => r.outcome === 'valid' && r.method === 'PUT').length
    lines.push(row('valid', c.valid, `${puts} by infoCode (PUT), ${c.valid - puts} to get one (POST)`))
  } else {
    lines.push(`Imported ${c.total - c.pending} of ${c.total} files into ${summary.api} in ${took}.`)
    lines.push(row('created', c.created), row('replaced', c.replaced), row('unchanged', c.unchanged))
  }
  if (c.merged > 0) lines.push(row('merged', c.merged, 'files taken into the article of another file'))
  lines.push(row('failed', c.failed))
  // A file whose front matter follows a blank line is a post Jekyll published (without a title), not a
  // non-post: the row says which is which, and such files are listed below.
  const afterBlank = summary.results.filter((r) => r.outcome === 'skipped' && r.detail?.startsWith('blank line'))
  if (c.skipped > 0) lines.push(row('skipped', c.skipped, skippedNote(c.skipped, afterBlank.length)))
  if (c.pending > 0) lines.push(row('not done', c.pending, 'run the same command again to finish'))
  if (summary.stopReason) lines.push('', `Stopped: ${summary.stopReason}`)
  else if (summary.interrupted)
    lines.push('', 'Interrupted: the uploads in flight were finished; no new file was taken.')
  if (summary.merges.length > 0) {
    lines.push('', 'Merged (one article, several files; the first file gives title, date and body):')
    for (const merge of summary.merges) {
      lines.push(`  ${merge.infoCode ?? '(infoCode to be given)'}  categories ${merge.categories.join(', ')}`)
      for (const file of merge.files) lines.push(`      ${file}`)
    }
  }
  if (summary.repairs.length > 0) {
    lines.push('', 'Repaired (title: "…" with an unescaped " inside, read between the first and last quote):')
    for (const repair of summary.repairs) lines.push(`  ${repair.file}: ${repair.title}`)
  }
  if (afterBlank.length > 0) {
    lines.push('', 'Not imported (front matter after a blank line):')
    for (const r of afterBlank) lines.push(`  ${r.file}: ${r.detail}`)
  }
  if (summary.failures.length > 0) {
    lines.push('', 'Failures (refused, with the reason):')
    for (const failure of summary.failures) {
      lines.push(`  ${failureLine(failure)}`)
      for (const error of failure.errors ?? []) {
        if (!failure.detail?.includes(error.message)) lines.push(`      ${error.path}: ${error.message}`)
      }
    }
  }
  if (!summary.dryRun) lines.push('', `State (infoCodes the server generated): ${summary.statePath}`)
  return lines.join('\n')
}

/** Writes the summary as JSON (`--report FILE`). */
export async function writeReport(path: string, summary: ImportSummary): Promise<void> {
  await writeFile(path, `${JSON.stringify(summary, null, 2)}\n`, 'utf8')
}

function skippedNote(skipped: number, afterBlank: number): string {
  const none = skipped - afterBlank
  return [
    none > 0 ? `${afterBlank > 0 ? `${none} ` : ''}no front matter: not Jekyll posts` : '',
    afterBlank > 0 ? `${afterBlank} with front matter after a blank line: see below` : '',
  ]
    .filter((part) => part !== '')
    .join('; ')
}

function row(label: string, count: number, note?: string): string {
  return `  ${label.padEnd(10)}${String(count).padStart(7)}${note ? `  (${note})` : ''}`
}
