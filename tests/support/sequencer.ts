import { BaseSequencer, type TestSpecification } from 'vitest/node'

/**
 * The files that take longest, longest first (measured with `npx vitest run --reporter=json`; docs/performance.md,
 * "Test suite"). Two workers finish together only when the long files start first: vitest orders by the last run's
 * durations when it has them, and by file size on a fresh clone (CI), which put a two-minute file last.
 */
export const SLOW_FILES = [
  'tests/reliability/concurrency.test.ts',
  'tests/integration/feeds-archive.test.ts',
  'tests/reliability/faults.test.ts',
  'tests/integration/import.test.ts',
  'tests/integration/stream-poller.test.ts',
  'tests/reliability/hostile-input.test.ts',
  'tests/infra/bundles.test.ts',
  'tests/integration/feeds-e2e.test.ts',
  'tests/reliability/outbound-timeouts.test.ts',
  'tests/integration/feeds-floods.test.ts',
  'tests/integration/article-store-capacity.test.ts',
] as const

/** Runs SLOW_FILES first, in that order; every other file in vitest's own order after them. */
export class SlowFilesFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files)
    const rank = (file: TestSpecification) => {
      const index = SLOW_FILES.findIndex((slow) => file.moduleId.endsWith(`/${slow}`))
      return index === -1 ? SLOW_FILES.length : index
    }
    // Array.prototype.sort is stable: files of equal rank keep vitest's order.
    return sorted.sort((a, b) => rank(a) - rank(b))
  }
}
