import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'

// Exposes the collector without restarting the worker with --expose-gc, so heap figures compare live data only.
setFlagsFromString('--expose-gc')
const collect = runInNewContext('gc') as () => void

/** Heap and RSS in MiB after a full collection. */
export interface MemoryFigures {
  readonly heapMiB: number
  readonly rssMiB: number
}

/** Collects garbage twice, then reads heap used and resident set size. */
export function measureMemory(): MemoryFigures {
  collect()
  collect()
  const usage = process.memoryUsage()
  return { heapMiB: usage.heapUsed / 2 ** 20, rssMiB: usage.rss / 2 ** 20 }
}

/** Reliability figures a test prints, so the soak's numbers reach its log and README. */
export function report(name: string, figures: Record<string, unknown>): void {
  console.info(`[reliability] ${name} ${JSON.stringify(figures)}`)
}

/**
 * Reports `figures` with the heap and RSS before and after (MiB, one decimal), and returns how much each grew,
 * for the test's bounds.
 * @example const growth = reportMemory('hostile-memory', { requests }, before, measureMemory())
 */
export function reportMemory(
  name: string,
  figures: Record<string, unknown>,
  before: MemoryFigures,
  after: MemoryFigures,
): MemoryFigures {
  report(name, {
    ...figures,
    heapBeforeMiB: before.heapMiB.toFixed(1),
    heapAfterMiB: after.heapMiB.toFixed(1),
    rssBeforeMiB: before.rssMiB.toFixed(1),
    rssAfterMiB: after.rssMiB.toFixed(1),
  })
  return { heapMiB: after.heapMiB - before.heapMiB, rssMiB: after.rssMiB - before.rssMiB }
}

/** Scales a count by SOAK (a longer run behind `npm run soak`); SOAK_SCALE multiplies further. */
export function scaled(fast: number, soak: number): number {
  if (!process.env.SOAK) return fast
  return Math.round(soak * Number(process.env.SOAK_SCALE ?? 1))
}
