import { execFile } from 'node:child_process'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SITE_FEED } from '#shared/domain/model'
import { shareUrl } from '#shared/domain/urls'
import { ARCHIVE_SEAL_SIZE } from '#shared/feeds/archive'
import { OUTCOME_HEADER } from '#shared/http/outcome'
import type { Pipeline } from '../../local/pipeline.ts'
import { type ImportSummary, importPosts } from '../../scripts/import/importer.ts'
import { type SampleCorpus, type ValidSample, writeSampleCorpus } from '../../scripts/import/sample-corpus.ts'
import { openState } from '../../scripts/import/state.ts'
import { TEST_KEY, testPipeline, testStack } from '../support/stack.ts'

// 500 posts: the smallest round size at which every category of the sample corpus holds more valid posts than
// FEED_SIZE (58 at least), so every feed, site-wide and per category, has an archive besides its head, and the
// site's archive seals pages (475 posts past a head of 50, pages sealed at ARCHIVE_SEAL_SIZE); the second run must
// leave all of it as it is. Every kind of post still occurs several times (5 of each invalid kind, 6 date-only
// posts, 13 .html files, 225 posts without an infoCode). The test ran 2,000 before: nothing in the importer, the
// API or the feeds function depends on the count beyond these (the 2,000-post figures are the bench's,
// docs/performance.md).
const POSTS = 500
const FEED_SIZE = 50

let stack: Awaited<ReturnType<typeof testStack>>
let pipeline: Pipeline
let dir: string
let corpus: SampleCorpus
let first: ImportSummary
/** infoCode of every valid post: its own, or the one the server generated (from the state file). */
let codeOf: (post: ValidSample) => string
/** The importer's state: outside the folders it reads. */
let statePath: string

beforeAll(async () => {
  stack = await testStack()
  pipeline = await testPipeline(stack, { FEED_SIZE: String(FEED_SIZE) })
  dir = await mkdtemp(join(tmpdir(), 'finews-import-'))
  corpus = await writeSampleCorpus(join(dir, '_posts'), { count: POSTS })
  statePath = join(dir, 'state', 'import.jsonl')
})

afterAll(async () => {
  await pipeline?.stop()
  await stack?.dispose()
  if (dir) await rm(dir, { recursive: true, force: true })
})

/** The importer over the whole corpus, 16 in flight, with the test's state file; prints the run's rate. */
async function importCorpus(run: string): Promise<ImportSummary> {
  const summary = await importPosts({
    paths: [corpus.root],
    api: pipeline.url,
    key: pipeline.apiKey,
    concurrency: 16,
    statePath,
  })
  console.log(`${run} run: ${summary.durationMs} ms, ${summary.postsPerSecond} posts/s`)
  return summary
}

/** Every item of the table, all pages (a single Scan stops at 1 MB), in key order. */
async function scanAll(): Promise<Record<string, unknown>[]> {
  const items = await stack.allItems()
  return items.sort((a, b) => `${a.pk}|${a.sk}`.localeCompare(`${b.pk}|${b.sk}`))
}

describe(`importing a Jekyll _posts folder of ${POSTS} posts`, () => {
  it('stores every valid post exactly once, by its own infoCode or by one the server generated', async () => {
    // Act
    first = await importCorpus('first')

    // Assess
    // A PUT retried after a timeout on a loaded machine finds its first attempt's article: `unchanged`.
    expect(first.counts.created + first.counts.unchanged).toBe(corpus.valid.length)
    // On a fresh table only a retried request can find its own first attempt: nothing else is `unchanged`.
    expect(first.results.filter((r) => r.outcome === 'unchanged' && (r.attempts ?? 1) < 2)).toEqual([])
    expect(first.counts).toMatchObject({
      total: POSTS + corpus.notPosts.length,
      replaced: 0,
      valid: 0,
      failed: corpus.invalid.length,
      skipped: corpus.notPosts.length,
      merged: 0,
      pending: 0,
    })
    const state = await openState(statePath, { readOnly: true })
    codeOf = (post) => post.infoCode ?? (state.get(state.keyOf(post.file)) as string)
    const withoutCode = corpus.valid.filter((p) => p.codeIn === 'none')
    expect(withoutCode.length).toBeGreaterThan(0)
    expect(state.size).toBe(withoutCode.length)
    const expected = corpus.valid.map(codeOf)
    expect(new Set(expected).size).toBe(corpus.valid.length)
    const afterFirst = await scanAll()
    // Their file names (`…-post-N.md`) do not give their infoCodes: each one's old URL is recorded (README "Old URLs").
    expect(afterFirst.filter((item) => String(item.pk).startsWith('PATH#')).length).toBe(corpus.valid.length)
    const stored = afterFirst.filter((item) => String(item.pk).startsWith('ART#'))
    expect(stored).toHaveLength(corpus.valid.length)
    expect(new Set(stored.map((item) => item.infoCode))).toEqual(new Set(expected))
    const byCode = new Map(stored.map((item) => [item.infoCode, item]))
    for (const post of corpus.valid) expect(byCode.get(codeOf(post))?.title).toBe(post.title)
    const results = new Map(first.results.map((r) => [r.file, r]))
    for (const post of withoutCode) expect(results.get(post.file)?.method).toBe('POST')
  }, 240_000)

  it('reports every invalid post with its file, status and reason, and stores none of them', () => {
    // Assess
    const failures = new Map(first.failures.map((f) => [f.file, f]))
    expect(failures.size).toBe(corpus.invalid.length)
    for (const post of corpus.invalid) {
      const failure = failures.get(post.file)
      expect(failure, post.file).toBeDefined()
      expect(failure?.status).toBe(400)
      expect(failure?.detail).toBeTruthy()
      expect(
        failure?.errors?.some((e) => e.path.startsWith(post.path)),
        `${post.kind}: ${failure?.detail}`,
      ).toBe(true)
    }
    const skipped = first.results.filter((r) => r.outcome === 'skipped').map((r) => r.file)
    expect(skipped.sort()).toEqual([...corpus.notPosts].sort())
  })

  it('puts the newest posts in the site feed and in a category feed, in the store and in the served feeds', async () => {
    // Prepare
    const newest = [...corpus.valid].sort((a, b) => b.publishedAt - a.publishedAt)
    const category = newest[0]?.categories[0] as string
    const expectedSite = newest.slice(0, FEED_SIZE).map(codeOf)
    const expectedCategory = newest
      .filter((p) => p.categories.includes(category))
      .slice(0, FEED_SIZE)
      .map(codeOf)
    const ids = (codes: string[]) => codes.map((code) => shareUrl(pipeline.config.publicBaseUrl, code))
    // The corpus is as large as POSTS says it must be: every feed has an archive, the site's seals pages.
    const sizes = new Map<string, number>()
    for (const post of corpus.valid) for (const c of post.categories) sizes.set(c, (sizes.get(c) ?? 0) + 1)
    expect(Math.min(...sizes.values())).toBeGreaterThan(FEED_SIZE)
    expect(corpus.valid.length).toBeGreaterThan(FEED_SIZE + 2 * ARCHIVE_SEAL_SIZE)

    // Act
    const site = await stack.articles.latest(SITE_FEED, FEED_SIZE)
    const inCategory = await stack.articles.latest(category, FEED_SIZE)
    await pipeline.stream.drained()
    const served = async (path: string) => {
      const response = await fetch(`${pipeline.url}${path}`)
      expect(response.status, path).toBe(200)
      return ((await response.json()) as { items: { id: string }[] }).items.map((item) => item.id)
    }
    const siteFeed = await served('/feeds/feed.json')
    const categoryFeed = await served(`/feeds/${category}/feed.json`)

    // Assess
    expect(site.map((e) => e.infoCode)).toEqual(expectedSite)
    expect(inCategory.map((e) => e.infoCode)).toEqual(expectedCategory)
    expect(siteFeed).toEqual(ids(expectedSite))
    expect(categoryFeed).toEqual(ids(expectedCategory))
  }, 120_000)

  it('reports every post unchanged on a second run, and writes nothing', async () => {
    // Prepare: the table once the feeds function has handled the first run (its archive items included)
    await pipeline.stream.drained()
    const before = await scanAll()

    // Act
    const second = await importCorpus('second')

    // Assess
    expect(second.counts).toMatchObject({
      created: 0,
      replaced: 0,
      unchanged: corpus.valid.length,
      failed: corpus.invalid.length,
      pending: 0,
    })
    const methods = new Set(second.results.filter((r) => r.outcome === 'unchanged').map((r) => r.method))
    expect(methods).toEqual(new Set(['PUT']))
    await pipeline.stream.drained()
    expect(await scanAll()).toEqual(before)
  }, 300_000)

  it('replaces a post whose file changed, under the infoCode the server gave it', async () => {
    // Prepare
    const post = corpus.valid.find((p) => p.codeIn === 'none') as ValidSample
    const text = await readFile(post.file, 'utf8')
    await writeFile(post.file, text.replace(post.title, `${post.title}（更新）`))

    // Act
    const run = await importPosts({ paths: [post.file], api: pipeline.url, key: pipeline.apiKey, statePath })

    // Assess
    expect(run.results).toMatchObject([{ outcome: 'replaced', method: 'PUT', infoCode: codeOf(post) }])
    expect(run.statePath).toBe(statePath)
    const stored = await stack.articles.get(codeOf(post))
    expect(stored && 'title' in stored ? stored.title : undefined).toBe(`${post.title}（更新）`)
  })
})

describe("the real site's defects", () => {
  it('uploads a post whose title: "…" holds unescaped quotes, repaired, and refuses an empty title', async () => {
    // Prepare: the generator's defect, and its empty-title file (tests/fixtures/real-site/_posts/-2022….md)
    const folder = join(dir, 'defects')
    await mkdir(folder, { recursive: true })
    const title = '央行："降准"落地 释放长期资金约5300亿元'
    const front = (t: string, date: string) =>
      `---\nlayout: post\ntitle: "${t}"\ndate: ${date}\ncategories: emnews\ntags: 东财滚动新闻\n---\n`
    await writeFile(
      join(folder, '2022-05-27-202205272392000001.md'),
      `${front(title, '2022-05-27 09:00:00 +0800')}<p>正文。</p>`,
    )
    await writeFile(join(folder, '-202205272392000002.md'), `${front('', ' +0800')}<p>正文。</p>`)

    // Act
    const run = await importPosts({ paths: [folder], api: pipeline.url, key: pipeline.apiKey, statePath })

    // Assess
    expect(run.repairs).toEqual([{ file: expect.stringMatching(/202205272392000001\.md$/), title }])
    expect(run.counts).toMatchObject({ created: 1, failed: 1 })
    expect(run.failures[0]).toMatchObject({ file: expect.stringMatching(/-202205272392000002\.md$/), status: 400 })
    const stored = await stack.articles.get('NW202205272392000001')
    expect(stored && 'title' in stored ? stored.title : undefined).toBe(title)
    expect(await stack.articles.get('NW202205272392000002')).toBeUndefined()
  })
})

describe('the command line', () => {
  const run = promisify(execFile)
  const tsx = join(process.cwd(), 'node_modules', '.bin', 'tsx')

  it('prints plain progress and the summary, writes the report, and exits 1 when a post failed', async () => {
    // Prepare
    const small = await writeSampleCorpus(join(dir, 'small'), { count: 12, first: 5000, invalidEvery: 6 })
    const report = join(dir, 'report.json')

    // Act
    const outcome = await run(
      tsx,
      ['scripts/import.ts', small.root, '--api', pipeline.url, '--concurrency', '3', '--report', report],
      { env: { ...process.env, API_KEY: TEST_KEY, XDG_STATE_HOME: join(dir, 'xdg') } },
    ).then(
      () => ({ code: 0, stdout: '', stderr: '' }),
      (error: { code: number; stdout: string; stderr: string }) => error,
    )

    // Assess
    expect(outcome.code).toBe(1)
    expect(outcome.stderr).toMatch(/^importing 14 files$/m)
    expect(outcome.stderr).toMatch(/^progress {2}14\/14 {2}100%/m)
    expect(outcome.stdout).toMatch(/created\s+10\b/)
    expect(outcome.stdout).toMatch(/failed\s+2\b/)
    for (const bad of small.invalid) expect(outcome.stdout).toContain(bad.file)
    const written = JSON.parse(await readFile(report, 'utf8'))
    expect(written.counts).toMatchObject({ created: 10, failed: 2, skipped: 2 })
    expect(written.failures.map((f: { file: string }) => f.file).sort()).toEqual(
      small.invalid.map((p) => p.file).sort(),
    )
  })

  it('answers --help through the package bin (npx finews-import) and exits 0', async () => {
    // Act
    const { stdout } = await run('npx', ['--no-install', 'finews-import', '--help'], {
      env: { ...process.env, NPM_CONFIG_UPDATE_NOTIFIER: 'false' },
    })

    // Assess
    expect(stdout).toMatch(/^Usage: npm run import -- PATH…/)
  })

  it('exits 2 with one sentence when the API is not there', async () => {
    // Act
    const env = { ...process.env, XDG_STATE_HOME: join(dir, 'xdg') }
    const outcome = await run(tsx, ['scripts/import.ts', corpus.root, '--api', 'http://127.0.0.1:9'], { env }).then(
      () => ({ code: 0, stderr: '' }),
      (error: { code: number; stderr: string }) => error,
    )

    // Assess
    expect(outcome.code).toBe(2)
    expect(outcome.stderr).toMatch(
      /^finews-import: cannot reach the API at http:\/\/127\.0\.0\.1:9 .*is it running\?$/m,
    )
  })
})

describe('the outcome header the importer relies on (one constant, shared/http/outcome.ts, for both sides)', () => {
  it('keeps its wire name', () => {
    expect(OUTCOME_HEADER.toLowerCase()).toBe('x-finews-outcome')
  })
})
