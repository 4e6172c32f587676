import { dynamoArticleStore } from '#shared/adapters/dynamodb-article-store'
import { s3ObjectStore } from '#shared/adapters/s3-object-store'
import { hashFor, prepareWrite } from '#shared/content/prepare'
import { draftFromFields } from '#shared/domain/article'
import type { Article } from '#shared/domain/model'
import type { ObjectStore } from '#shared/ports/object-store'
import { createStreamHandler } from '../functions/feeds/stream.ts'
import { feedPublisherFor } from '../functions/feeds/wiring.ts'
import { localConfig } from '../local/config.ts'
import { ensureBucket } from '../local/resources.ts'
import { BENCH_OFFSET_MINUTES, CATEGORY_SLUGS, generateArticle } from './articles.ts'
import type { BenchContext } from './context.ts'
import { streamRecord } from './regen.ts'
import type { Row } from './report.ts'
import { seedArticles } from './seed.ts'
import { median, timed } from './stats.ts'
import { benchTableEnv, createBenchTable } from './tables.ts'

const HOUR = 3_600_000
const quiet = () => undefined

/**
 * True for the objects of the archive: archive documents and pages, sitemaps and robots.txt (not the heads:
 * the subscription documents, the newest pages and the OPML list).
 * @example isArchiveKey('feeds/gushi/archive/first/atom.xml') // true
 */
function isArchiveKey(key: string): boolean {
  return (
    key.includes('/archive/') ||
    key.startsWith('archive/') ||
    key.startsWith('sitemaps/') ||
    key === 'sitemap.xml' ||
    key === 'robots.txt' ||
    /^category\/[^/]+\/[^/]+\.html$/.test(key)
  )
}

/**
 * archive_objects_per_upload and archive_regen_ms: a table of the large count (5.7 years of articles, one an
 * hour), its whole archive built by `rebuildAll()`, then uploads alternating between a new article (dated a
 * second ago) and a years-old one (dated among the oldest 60 %), each followed by the feeds handler given its
 * stream record, as the event source would deliver it. Objects written are counted on the object store.
 */
export async function benchArchive(ctx: BenchContext): Promise<Row[]> {
  const { scale } = ctx
  const client = ctx.documentClient
  const table = 'bench-archive'
  await createBenchTable(client, table)
  await ensureBucket(ctx.s3Client, table)
  const config = localConfig(benchTableEnv(ctx.servers, table))
  const seeded = await seedArticles({
    client,
    tableName: table,
    from: 0,
    count: scale.articlesLarge,
    categoryCount: scale.categories,
    onProgress: (done) => {
      if (done % 10_000 === 0) ctx.log(`archive: seeded ${done}`)
    },
  })
  ctx.log(`archive: seeded ${seeded.articles} articles in ${(seeded.ms / 1000).toFixed(1)} s`)

  const written: string[] = []
  const inner = s3ObjectStore({ client: ctx.s3Client, bucket: table })
  const objects: ObjectStore = {
    async putIfChanged(object) {
      const wrote = await inner.putIfChanged(object)
      if (wrote) written.push(object.key)
      return wrote
    },
    get: (key) => inner.get(key),
  }
  const publisher = feedPublisherFor(config, { documentClient: client, s3Client: ctx.s3Client, objects, log: quiet })
  const build = await timed(() => publisher.rebuildAll())
  if (build.result.failed.size > 0) throw new Error(`the archive build failed: ${[...build.result.failed.keys()]}`)
  ctx.log(
    `archive: rebuildAll() wrote ${written.length} objects (${written.filter(isArchiveKey).length} of the archive) in ${(build.ms / 1000).toFixed(1)} s`,
  )

  const store = dynamoArticleStore({ client, tableName: table, siteOffsetMinutes: BENCH_OFFSET_MINUTES })
  const handler = createStreamHandler(publisher, quiet)
  const old = seeded.written.slice(0, Math.floor(seeded.written.length * 0.6))
  const newest = seeded.written[seeded.written.length - 1]?.publishedAt ?? Date.now()
  let next = 950_000
  let sequence = 0
  async function uploadAndPublish(kind: 'new' | 'old', round: number) {
    // The same busy categories on both sides: a years-old article lands in a page deep in the archive.
    const slug = CATEGORY_SLUGS[round % 5] as string
    const anchor = old[Math.floor((round * 7919) % old.length)]?.publishedAt ?? 0
    const { publishedAt: _derived, ...fields } = generateArticle(next++, {
      publishedAt: kind === 'new' ? Date.now() - 1000 : anchor + 1000,
      categories: [slug],
    })
    const draft = draftFromFields(fields, { siteOffsetMinutes: BENCH_OFFSET_MINUTES })
    const article: Article = (await store.create(prepareWrite(draft), hashFor(draft))).article
    const record = await streamRecord(client, table, article.infoCode, ++sequence)
    written.length = 0
    const { ms, result } = await timed(() => handler({ Records: [record] }))
    if (result.batchItemFailures.length > 0) throw new Error('the feeds handler reported a failure')
    return { ms, total: written.length, archive: written.filter(isArchiveKey).length, publishedAt: article.publishedAt }
  }

  const fresh: Awaited<ReturnType<typeof uploadAndPublish>>[] = []
  const aged: Awaited<ReturnType<typeof uploadAndPublish>>[] = []
  for (let i = -2; i < scale.regenRepeats; i++) {
    const n = await uploadAndPublish('new', i + 2)
    const o = await uploadAndPublish('old', i + 2)
    if (i >= 0) {
      fresh.push(n)
      aged.push(o)
    }
  }
  const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / Math.max(1, values.length)
  const years = mean(aged.map((o) => (newest - o.publishedAt) / (HOUR * 24 * 365.25)))
  ctx.log(
    `archive: new uploads ${median(fresh.map((r) => r.ms)).toFixed(0)} ms, ${mean(fresh.map((r) => r.archive)).toFixed(1)} archive objects; years-old ${median(aged.map((r) => r.ms)).toFixed(0)} ms, ${mean(aged.map((r) => r.archive)).toFixed(1)}`,
  )
  const stored = `${scale.articlesLarge} articles stored, ${scale.categories} categories, archive built by rebuildAll() (${build.result.written.length} objects, ${(build.ms / 1000).toFixed(1)} s)`
  return [
    {
      label: 'archive objects written for one new upload (archive documents, pages, sitemaps)',
      key: 'archive_objects_per_upload',
      value: mean(fresh.map((r) => r.archive)),
      unit: 'objects',
      baseline: {
        label: 'every object written, heads included',
        value: mean(fresh.map((r) => r.total)),
        unit: 'objects',
      },
      goal: { on: 'value', op: '<=', limit: 12 },
      note: `${stored}; mean of ${fresh.length} uploads to the five busiest categories; a years-old upload wrote ${mean(aged.map((r) => r.archive)).toFixed(1)} archive objects (${mean(aged.map((r) => r.total)).toFixed(1)} in all)`,
    },
    {
      label: `feeds handler after a years-old upload (${years.toFixed(1)} years before the newest)`,
      key: 'archive_regen_ms',
      value: median(aged.map((r) => r.ms)),
      unit: 'ms',
      baseline: { label: 'same, after a new upload', value: median(fresh.map((r) => r.ms)), unit: 'ms' },
      ratioKey: 'archive_regen_old_vs_new',
      goal: { on: 'ratio', op: '<=', limit: 1.2 },
      note: `${stored}; median of ${aged.length} each, alternating`,
    },
  ]
}
