import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Pipeline } from '../../local/pipeline.ts'
import { type ImportSummary, importPosts } from '../../scripts/import/importer.ts'
import { TEST_KEY, testPipeline, testStack } from './stack.ts'

/** The real site's files (tests/fixtures/real-site, from github zning1994/finews; its README names each). */
export const REAL_SITE = fileURLToPath(new URL('../fixtures/real-site/', import.meta.url))

/** The real site, imported: a fresh stack and `npm start`'s pipeline on it, and what the importer reported. */
export interface ImportedRealSite {
  readonly stack: Awaited<ReturnType<typeof testStack>>
  readonly pipeline: Pipeline
  readonly imported: ImportSummary
}

/**
 * Imports the real site's posts (`_posts` and `old_post`) with the importer into a fresh stack's pipeline and
 * waits for the stream to drain; on failure stops what it started.
 * @example const { stack, pipeline, imported } = await importRealSite(join(dir, 'state.jsonl'))
 */
export async function importRealSite(statePath: string): Promise<ImportedRealSite> {
  const stack = await testStack()
  let pipeline: Pipeline | undefined
  try {
    pipeline = await testPipeline(stack)
    const imported = await importPosts({
      paths: [join(REAL_SITE, '_posts'), join(REAL_SITE, 'old_post')],
      api: pipeline.url,
      key: TEST_KEY,
      statePath,
    })
    await pipeline.stream.drained()
    return { stack, pipeline, imported }
  } catch (error) {
    await pipeline?.stop()
    await stack.dispose()
    throw error
  }
}
