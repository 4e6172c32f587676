import { BaseSequencer, type TestSpecification } from 'vitest/node'

/**
 * The files that take longest, longest first (`npm test -- --reporter=json`, docs/performance.md, "The test suite's
 * duration"). Two workers finish together only when the long files start first: vitest orders by the last run's
 * durations when it has them, and by file size on a fresh clone (CI), which left a two-minute file for the end.
 */
export const SLOW_FILES = [
  'tests/integration/import.test.ts',
  'tests/reliability/faults.test.ts',
  'tests/reliability/concurrency.test.ts',
  'tests/integration/feeds-archive.test.ts',
  'tests/reliability/outbound-timeouts.test.ts',
  'tests/reliability/hostile-input.test.ts',
  'tests/infra/bundles.test.ts',
  'tests/integration/real-site-display.test.ts',
  'tests/integration/share-browser.test.ts',
  'tests/integration/feeds-floods.test.ts',
] as const

/** `items` with the SLOW_FILES among them first, in that list's order; the others after them in their own order. */
export function slowFilesFirst<T>(items: readonly T[], pathOf: (item: T) => string): T[] {
  const rank = (item: T) => {
    const index = SLOW_FILES.findIndex((slow) => pathOf(item).endsWith(`/${slow}`))
    return index === -1 ? SLOW_FILES.length : index
  }
  // Array.prototype.sort is stable: items of equal rank keep their order.
  return [...items].sort((a, b) => rank(a) - rank(b))
}

/** Runs SLOW_FILES first, in that order; every other file in vitest's own order after them. */
export class SlowFilesFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    return slowFilesFirst(await super.sort(files), (file) => file.moduleId)
  }
}
