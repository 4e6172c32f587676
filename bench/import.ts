import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { importPosts } from '../scripts/import/importer.ts'
import { generateArticle, toJekyll } from './articles.ts'
import type { BenchContext } from './context.ts'
import type { Row } from './report.ts'
import { startAppServer } from './servers.ts'
import { pool } from './stats.ts'
import { createBenchTable } from './tables.ts'

const CONCURRENCY = 8
const FIRST_INDEX = 400_000

function writePosts(dir: string, from: number, count: number): string[] {
  mkdirSync(dir, { recursive: true })
  const files: string[] = []
  for (let i = 0; i < count; i++) {
    const article = generateArticle(from + i, { publishedAt: Date.UTC(2023, 0, 1) + (from + i) * 60_000 })
    const file = join(dir, `${article.date.slice(0, 10)}-post-${from + i}.md`)
    writeFileSync(file, toJekyll(article))
    files.push(file)
  }
  return files
}

/**
 * import_posts_per_s: `importPosts()` (the code of `npm run import`, default 8 in flight) over a folder of
 * generated Jekyll posts into the api app; the baseline is a bare loop PUTting other posts of the same kind,
 * read into memory beforehand, with the same concurrency to the same server.
 */
export async function benchImport(ctx: BenchContext): Promise<Row[]> {
  const count = ctx.scale.importPosts
  const dir = mkdtempSync(join(tmpdir(), 'finews-bench-import-'))
  await createBenchTable(ctx.documentClient, 'bench-import')
  const server = await startAppServer('api', { servers: ctx.servers, tableName: 'bench-import' })
  try {
    const posts = writePosts(join(dir, '_posts'), FIRST_INDEX, count)
    const bare = writePosts(join(dir, 'bare'), FIRST_INDEX + count, count).map((file) => ({
      infoCode: /^infoCode: (\S+)$/m.exec(readFileSync(file, 'utf8'))?.[1] ?? '',
      body: readFileSync(file),
    }))
    let bareFailures = 0
    const bareMs = await pool(bare.length, CONCURRENCY, async (i) => {
      const post = bare[i]!
      const response = await fetch(`${server.url}/api/articles/${post.infoCode}`, {
        method: 'PUT',
        headers: { Authorization: `Bearer ${server.apiKey}`, 'Content-Type': 'text/markdown' },
        body: post.body,
      })
      await response.arrayBuffer()
      if (response.status !== 201) bareFailures++
    })
    if (bareFailures > 0) throw new Error(`import baseline: ${bareFailures} PUTs failed`)
    const bareRate = (count / bareMs) * 1000

    const summary = await importPosts({
      paths: [join(dir, '_posts')],
      api: server.url,
      key: server.apiKey,
      concurrency: CONCURRENCY,
      statePath: join(dir, 'state.jsonl'),
    })
    if (summary.counts.created !== posts.length || summary.counts.failed > 0) {
      throw new Error(`import: ${JSON.stringify(summary.counts)}`)
    }
    return [
      {
        label: 'posts/s, importPosts() on a folder of Jekyll posts, 8 in flight',
        key: 'import_posts_per_s',
        value: summary.postsPerSecond,
        unit: 'posts/s',
        baseline: { label: 'bare PUT loop, posts in memory, 8 in flight', value: bareRate, unit: 'posts/s' },
        note: `${count} posts each side, all created`,
      },
    ]
  } finally {
    await server.stop()
    rmSync(dir, { recursive: true, force: true })
  }
}
