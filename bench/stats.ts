import { pool as runPool } from '#shared/pool'
/** The p-th percentile (0–100) of the values, nearest-rank; NaN for none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)))
  return sorted[rank - 1] as number
}

/** The median of the values. */
export function median(values: readonly number[]): number {
  return percentile(values, 50)
}

/** Milliseconds one call takes, with its result. */
export async function timed<T>(run: () => Promise<T> | T): Promise<{ ms: number; result: T }> {
  const start = performance.now()
  const result = await run()
  return { ms: performance.now() - start, result }
}

/** Runs `task` over `count` indexes with `concurrency` in flight (shared/pool.ts); resolves with the wall time in ms. */
export async function pool(
  count: number,
  concurrency: number,
  task: (index: number) => Promise<void>,
): Promise<number> {
  const start = performance.now()
  await runPool(count, concurrency, task)
  return performance.now() - start
}

/** A number rounded to `digits` significant places, for tables and JSON alike. */
export function round(value: number, digits = 3): number {
  if (!Number.isFinite(value) || value === 0) return value
  const magnitude = Math.floor(Math.log10(Math.abs(value)))
  const factor = 10 ** Math.max(0, digits - 1 - magnitude)
  return Math.round(value * factor) / factor
}
