import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { dynamoArticleStore } from '#shared/adapters/dynamodb-article-store'
import { importPosts } from '../scripts/import/importer.ts'
import type { BenchContext } from './context.ts'
import { writeRealSiteCorpus } from './real-site-corpus.ts'
import type { Row } from './report.ts'
import { startAppServer } from './servers.ts'
import { pool } from './stats.ts'
import { createBenchTable } from './tables.ts'

const CONCURRENCY = 8
const FIRST_INDEX = 400_000
// The baseline's rate is steady long before 10,000 requests: fewer of them keep the full run shorter.
const BARE_MAX = 2_000

/**
 * import_posts_per_s: `importPosts()` (the code of `npm run import`, default 8 in flight) over a folder in the
 * real site's templates (source-news posts over category names shaped like the real ones, one article in ten
 * also written as an `emnews` copy, which the importer merges) into the api app; the baseline is a bare loop
 * PUTting other source-news posts (as many, at most 2,000), read into memory beforehand, with the same concurrency to the same
 * server. import_articles_stored: the articles the table holds afterwards, against the corpus's distinct infoCodes.
 */
export async function benchImport(ctx: BenchContext): Promise<Row[]> {
  const count = ctx.scale.importPosts
  const dir = mkdtempSync(join(tmpdir(), 'finews-bench-import-'))
  await createBenchTable(ctx.documentClient, 'bench-import')
  const server = await startAppServer('api', { servers: ctx.servers, tableName: 'bench-import' })
  try {
    const options = { posts: count, categories: ctx.scale.importCategories }
    const corpus = writeRealSiteCorpus(join(dir, 'site'), { ...options, first: FIRST_INDEX })
    const bareCount = Math.min(count, BARE_MAX)
    const other = writeRealSiteCorpus(join(dir, 'bare'), {
      ...options,
      posts: bareCount,
      first: FIRST_INDEX + 2 * count,
    })
    const bare = readdirSync(other.root)
      .filter((name) => /-NW\d{18}\.md$/.test(name))
      .map((name) => ({ infoCode: /(NW\d{18})/.exec(name)?.[1] as string, body: readFileSync(join(other.root, name)) }))
    ctx.log(`import: ${corpus.files} files (${corpus.articles} articles, ${corpus.categories.length} categories)`)
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
    const bareRate = (bare.length / bareMs) * 1000

    const summary = await importPosts({
      paths: [corpus.root],
      api: server.url,
      key: server.apiKey,
      concurrency: CONCURRENCY,
      statePath: join(dir, 'state.jsonl'),
    })
    if (summary.counts.created !== corpus.articles || summary.counts.failed > 0) {
      throw new Error(`import: ${JSON.stringify(summary.counts)}`)
    }
    const stored = (await countArticles(ctx)) - bare.length
    if (stored !== corpus.articles) throw new Error(`import: ${stored} articles stored, ${corpus.articles} infoCodes`)
    return [
      {
        label: 'posts/s, importPosts() on a folder in the real templates, 8 in flight',
        key: 'import_posts_per_s',
        value: summary.postsPerSecond,
        unit: 'posts/s',
        baseline: { label: 'bare PUT loop, posts in memory, 8 in flight', value: bareRate, unit: 'posts/s' },
        note: `${corpus.files} files, ${summary.counts.merged} merged into ${summary.merges.length} articles; ${bare.length} bare PUTs`,
      },
      {
        label: 'articles stored by the import',
        key: 'import_articles_stored',
        value: stored,
        unit: 'articles',
        baseline: { label: 'distinct infoCodes in the corpus', value: corpus.articles, unit: 'infoCodes' },
        goal: { on: 'ratio', op: '>=', limit: 1 },
        note: `${corpus.categories.length} category names`,
      },
    ]
  } finally {
    await server.stop()
    rmSync(dir, { recursive: true, force: true })
  }
}

/** Articles in the bench table, counted through the store's listing (the site partition, in pages). */
async function countArticles(ctx: BenchContext): Promise<number> {
  const store = dynamoArticleStore({ client: ctx.documentClient, tableName: 'bench-import', siteOffsetMinutes: 480 })
  let total = 0
  let cursor: string | undefined
  do {
    const page = await store.list({ limit: 100, ...(cursor ? { cursor } : {}) })
    total += page.items.length
    cursor = page.cursor ?? undefined
  } while (cursor)
  return total
}
