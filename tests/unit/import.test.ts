import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { splitFooter } from '#shared/domain/footer'
import { checkPost, MAX_POST_BYTES, repairTitle } from '../../scripts/import/check-post.ts'
import { parseCliArgs } from '../../scripts/import/cli.ts'
import { ImportUsageError } from '../../scripts/import/errors.ts'
import { carryOriginalLink, type FileResult, type ImportSummary, importPosts } from '../../scripts/import/importer.ts'
import { failureLine, formatDuration, progressBar, progressText, progressView } from '../../scripts/import/progress.ts'
import {
  backoffMs,
  DEFAULT_RETRY,
  isRetryableStatus,
  parseRetryAfter,
  RateGate,
  retryDelayMs,
  sleep,
} from '../../scripts/import/retry.ts'
import {
  commonFolder,
  defaultStatePath,
  findLegacyState,
  LEGACY_STATE_FILE_NAME,
  openState,
  stateKey,
} from '../../scripts/import/state.ts'
import { exitCodeOf, formatSummary } from '../../scripts/import/summary.ts'
import { findPosts, isPostName } from '../../scripts/import/walk.ts'
import { FIXTURE_INFO_CODE, FIXTURE_POST, post } from '../support/fixture.ts'

const bytes = (text: string) => new TextEncoder().encode(text)

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'finews-import-unit-'))
})
afterAll(() => rm(dir, { recursive: true, force: true }))

describe('retry policy', () => {
  it('doubles the backoff up to the cap, half of it fixed and half random', () => {
    const policy = { ...DEFAULT_RETRY, baseMs: 100, capMs: 1000 }

    expect([1, 2, 3, 4, 5].map((n) => backoffMs(n, policy, () => 0))).toEqual([50, 100, 200, 400, 500])
    expect([1, 2, 3, 4, 5].map((n) => backoffMs(n, policy, () => 1))).toEqual([100, 200, 400, 800, 1000])
  })

  it('reads Retry-After as seconds or as an HTTP date, and ignores what it cannot read', () => {
    const now = Date.parse('2024-01-02T10:00:00Z')

    expect(parseRetryAfter('3', now)).toBe(3000)
    expect(parseRetryAfter('Tue, 02 Jan 2024 10:00:05 GMT', now)).toBe(5000)
    expect(parseRetryAfter('Tue, 02 Jan 2024 09:00:00 GMT', now)).toBe(0)
    expect(parseRetryAfter('soon', now)).toBeUndefined()
    expect(parseRetryAfter('-1', now)).toBeUndefined()
    expect(parseRetryAfter(null, now)).toBeUndefined()
  })

  it('waits at least what Retry-After asks (up to the cap), with jitter on top', () => {
    const policy = { ...DEFAULT_RETRY, baseMs: 100, capMs: 10_000 }

    expect(retryDelayMs(1, 2000, policy, () => 0)).toBe(2000)
    expect(retryDelayMs(1, 2000, policy, () => 1)).toBeGreaterThan(2000)
    expect(retryDelayMs(1, 2000, policy, () => 1)).toBeLessThanOrEqual(3000)
    expect(retryDelayMs(1, 60_000, policy, () => 0)).toBe(10_000)
    expect(retryDelayMs(8, 0, policy, () => 0)).toBe(backoffMs(8, policy, () => 0))
  })

  it('retries 408, 429 and 5xx answers but no other 4xx', () => {
    expect([408, 429, 500, 502, 503, 504].every(isRetryableStatus)).toBe(true)
    expect([400, 401, 403, 404, 409, 412, 413, 415, 422].some(isRetryableStatus)).toBe(false)
  })

  it('holds every worker behind the longest rate-limit wait', () => {
    const gate = new RateGate()

    gate.hold(5000, 0)
    gate.hold(1000, 0)

    expect(gate.remaining(0)).toBe(5000)
    expect(gate.remaining(4000)).toBe(1000)
    expect(gate.remaining(6000)).toBe(0)
  })

  it('cuts a wait short when the signal aborts', async () => {
    const controller = new AbortController()
    const waiting = sleep(60_000, controller.signal)

    controller.abort(new Error('stop'))

    await expect(waiting).rejects.toThrow('stop')
  })
})

describe('command line', () => {
  it('has the documented defaults', () => {
    const args = parseCliArgs(['_posts'], {})

    expect(args).toMatchObject({
      paths: ['_posts'],
      api: 'http://127.0.0.1:3000',
      key: undefined,
      concurrency: 8,
      dryRun: false,
      report: undefined,
      state: undefined,
      timeoutMs: 30_000,
      siteOffsetMinutes: 480,
    })
  })

  it('reads every option, and the key from API_KEY when --key is not given', () => {
    const argv = ['a', 'b.md', '--api', 'https://news.example.com', '--concurrency', '16', '--dry-run']
    const args = parseCliArgs([...argv, '--report', 'r.json', '--state', 's.jsonl', '--timeout', '5'], {
      API_KEY: 'from-env',
      SITE_TIMEZONE: '+00:00',
    })

    expect(args).toMatchObject({
      paths: ['a', 'b.md'],
      api: 'https://news.example.com',
      key: 'from-env',
      concurrency: 16,
      dryRun: true,
      report: 'r.json',
      state: 's.jsonl',
      timeoutMs: 5000,
      siteOffsetMinutes: 0,
    })
    expect(parseCliArgs(['a', '--key', 'from-flag'], { API_KEY: 'from-env' }).key).toBe('from-flag')
  })

  it.each([
    [['--concurrency', '8'], /at least one post/],
    [['a', '--concurrency', '0'], /--concurrency must be a whole number from 1 to 256/],
    [['a', '--concurrency', '2.5'], /--concurrency/],
    [['a', '--api', 'ftp://x'], /--api must be an http\(s\) URL/],
    [['a', '--timeout', 'soon'], /--timeout/],
    [['a', '--frobnicate'], /frobnicate/],
  ])('refuses %j with a usage error', (argv, message) => {
    expect(() => parseCliArgs(argv, {})).toThrow(ImportUsageError)
    expect(() => parseCliArgs(argv, {})).toThrow(message)
  })

  it('accepts --help without a path', () => {
    expect(parseCliArgs(['--help'], {}).help).toBe(true)
  })
})

describe('local check of a post, with the API rules', () => {
  const options = { explicit: false, siteOffsetMinutes: 480 }

  it('finds the infoCode of the reference post in its NewsShare link', () => {
    expect(checkPost(bytes(FIXTURE_POST), options)).toMatchObject({ kind: 'post', infoCode: FIXTURE_INFO_CODE })
  })

  it('takes a front-matter infoCode, and has none when neither front matter nor body has one', () => {
    expect(checkPost(bytes(post({ infoCode: 'NW202401021000000001' })), options)).toMatchObject({
      infoCode: 'NW202401021000000001',
    })
    expect(checkPost(bytes(post({})), options)).toMatchObject({ kind: 'post', infoCode: undefined })
  })

  it.each([
    ['an impossible date', post({ date: '2022-02-30' }), 'date'],
    ['no title', post({ title: '' }), 'title'],
    ['a category name with a slash', post({ categories: 'a/b' }), 'categories'],
    ['broken YAML', post({ title: '"未闭合' }), 'frontMatter'],
    ['a NUL character', post({}, 'a\u0000b'), 'body'],
  ])('rejects %s as the API would (400, field %s)', (_what, text, path) => {
    const check = checkPost(bytes(text), options)

    expect(check).toMatchObject({ kind: 'invalid', status: 400 })
    expect(check.kind === 'invalid' && check.errors?.some((e) => e.path.startsWith(path))).toBe(true)
  })

  it('rejects a file over 1 MiB with 413 and bytes that are not UTF-8 with 400', () => {
    expect(checkPost(new Uint8Array(MAX_POST_BYTES + 1), options)).toMatchObject({ kind: 'invalid', status: 413 })
    expect(checkPost(new Uint8Array([0x2d, 0x2d, 0x2d, 0x0a, 0xff]), options)).toMatchObject({
      kind: 'invalid',
      status: 400,
      detail: 'the body is not valid UTF-8',
    })
  })

  it('repairs the one known defect, an unescaped " in title: "…", and says so', () => {
    const broken = post({}).replace(/^title: .*$/m, 'title: "央行："降准"落地 释放资金"')

    const check = checkPost(bytes(broken), options)

    expect(check).toMatchObject({ kind: 'post', repairedTitle: '央行："降准"落地 释放资金' })
    expect(check.kind === 'post' && check.fields.title).toBe('央行："降准"落地 释放资金')
    expect(repairTitle(post({}))).toBeUndefined()
    // Any other broken YAML is still refused with the parser's message.
    expect(checkPost(bytes(post({ layout: '[post' })), options)).toMatchObject({
      kind: 'invalid',
      detail: expect.stringMatching(/front matter is not valid YAML/),
    })
  })

  it('takes the infoCode from the file name when front matter and footer have none', () => {
    const named = (fileName: string) => checkPost(bytes(post({})), { ...options, fileName })

    expect(named('2022-05-26-NW202205262391921712.md')).toMatchObject({
      infoCode: 'NW202205262391921712',
      codeSource: 'file-name',
    })
    expect(named('2022-05-26-202205262391921712.md')).toMatchObject({ infoCode: 'NW202205262391921712' })
    expect(named('2021-12-01-init.md')).toMatchObject({ infoCode: undefined, codeSource: undefined })
  })

  it('skips a found file without front matter, but judges a named one as a post', () => {
    expect(checkPost(bytes('\n---\ntitle: "标题"\n---\n正文'), options)).toMatchObject({
      kind: 'not-a-post',
      detail: expect.stringMatching(/^blank line before the front matter/),
    })
    expect(checkPost(bytes('# notes\n'), options)).toMatchObject({ kind: 'not-a-post' })
    expect(checkPost(bytes('# notes\n'), { ...options, explicit: true })).toMatchObject({
      kind: 'invalid',
      errors: [{ path: 'frontMatter' }],
    })
  })
})

describe('walking folders', () => {
  it('finds posts by extension, in order, once each, past hidden folders and node_modules', async () => {
    const root = join(dir, 'walk')
    for (const folder of ['2021', '2022/deep', '.git', 'node_modules/x'])
      await mkdir(join(root, folder), { recursive: true })
    const names = ['2022/deep/c.md', '2021/b.markdown', '2021/a.html', 'z.txt', 'img.png', '.hidden.md', '.git/d.md']
    for (const name of [...names, 'node_modules/x/e.md']) await writeFile(join(root, name), 'x')
    await symlink(join(root, 'z.txt'), join(root, 'link.md'))

    const files = await findPosts([root, join(root, '2021/a.html'), join(root, 'img.png')])

    expect(files.map((f) => [f.path.slice(root.length + 1), f.explicit])).toEqual([
      ['2021/a.html', true],
      ['2021/b.markdown', false],
      ['2022/deep/c.md', false],
      ['img.png', true],
      ['link.md', false],
      ['z.txt', false],
    ])
  })

  it('says which path does not exist', async () => {
    await expect(findPosts([join(dir, 'nope')])).rejects.toThrow(/nope: no such file or folder/)
  })

  it('takes the Jekyll extensions, in any case, and nothing hidden', () => {
    expect(['a.md', 'a.MD', 'a.markdown', 'a.html', 'a.txt'].every(isPostName)).toBe(true)
    expect(['a.png', 'a.md~', '.a.md', 'md'].some(isPostName)).toBe(false)
  })
})

describe('state file', () => {
  it('keys a post by its file name, wherever its folder is', () => {
    expect(stateKey('/site/_posts/2022/a.md')).toBe('a.md')
    expect(stateKey('/elsewhere/old_post/a.md')).toBe('a.md')
  })

  it('finds the common folder of the inputs', () => {
    expect(commonFolder(['/site/_posts/2021', '/site/_posts/2022'])).toBe('/site/_posts')
    expect(commonFolder(['/site/_posts', '/site/_posts/2022'])).toBe('/site/_posts')
    expect(commonFolder(['/a', '/b'])).toBe('/')
  })

  it('keeps infoCodes across openings, one JSON line each, and survives a torn last line', async () => {
    const path = join(dir, 'state', 'deeper', 'import.jsonl')
    const state = await openState(path)
    await Promise.all([state.record('a.md', 'NW202201010000000001'), state.record('b.md', 'NW202201010000000002')])
    await writeFile(path, `${await readFile(path, 'utf8')}{"key":"c.md","infoC`)

    const again = await openState(path)

    expect(again.get('a.md')).toBe('NW202201010000000001')
    expect(again.get('b.md')).toBe('NW202201010000000002')
    expect(again.size).toBe(2)
    expect(again.unreadableLines).toBe(1)
    expect(again.keyOf(join(dir, 'state', '2022', 'a.md'))).toBe('a.md')
  })

  it('writes nothing when read-only (dry runs)', async () => {
    const path = join(dir, 'dry', 'import.jsonl')
    await mkdir(join(dir, 'dry'), { recursive: true })
    const state = await openState(path, { readOnly: true })

    await state.record('a.md', 'NW202201010000000001')

    await expect(readFile(path, 'utf8')).rejects.toThrow(/ENOENT/)
  })

  it('lives outside the folders read: one file per API under XDG_STATE_HOME, else ~/.local/state', () => {
    expect(defaultStatePath('http://127.0.0.1:3000', { XDG_STATE_HOME: '/var/st', HOME: '/home/me' })).toBe(
      '/var/st/finews/import-127.0.0.1-3000.jsonl',
    )
    expect(defaultStatePath('https://news.example.com/', { HOME: '/home/me' })).toBe(
      '/home/me/.local/state/finews/import-news.example.com-443.jsonl',
    )
  })

  it("reads (never writes) an earlier version's state file found beside the posts, by file name", async () => {
    const site = join(dir, 'site', '_posts')
    await mkdir(join(site, '2022'), { recursive: true })
    const isDirectory = async (p: string) => !p.endsWith('.md')
    expect(await findLegacyState([join(site, '2022')], isDirectory)).toBeUndefined()
    const legacy = join(site, LEGACY_STATE_FILE_NAME)
    await writeFile(legacy, '{"key":"2022/a.md","infoCode":"NW202201010000000001","at":""}\n')

    const found = await findLegacyState([join(site, '2022'), join(site, '2022', 'a.md')], isDirectory)
    const state = await openState(join(dir, 'state-new', 'import.jsonl'), { legacy: found })
    await state.record('b.md', 'NW202201010000000002')

    expect(found).toBe(legacy)
    expect(state.get('a.md')).toBe('NW202201010000000001')
    expect(await readFile(legacy, 'utf8')).not.toMatch(/b\.md/)
  })
})

describe('a dry run', () => {
  const link = (code: string) =>
    `<p>正文。</p>\n\n<http://finews.zning.xyz/html_News/NewsShare.html?infoCode=${code}>\n`
  const X = 'NW202401021000000001'
  const Y = 'NW202401021000000002'
  const env = () => ({ XDG_STATE_HOME: join(dir, 'xdg') })

  it('checks every file, says which would be PUT or POSTed, and writes nothing', async () => {
    const root = join(dir, 'dry-run')
    await mkdir(root, { recursive: true })
    await writeFile(join(root, 'a.md'), post({ infoCode: X }))
    await writeFile(join(root, 'b.md'), post({}))
    await writeFile(join(root, 'c.md'), post({ date: '2024-13-01' }))
    await writeFile(join(root, 'd.md'), '# 笔记\n')

    const summary = await importPosts({ paths: [root], dryRun: true, env: env() })

    expect(summary.results.map((r) => [r.file.split('/').pop(), r.outcome, r.method ?? r.status])).toEqual([
      ['a.md', 'valid', 'PUT'],
      ['b.md', 'valid', 'POST'],
      ['c.md', 'failed', 400],
      ['d.md', 'skipped', undefined],
    ])
    expect(summary.counts).toMatchObject({ valid: 2, failed: 1, skipped: 1, pending: 0 })
    await expect(readFile(summary.statePath)).rejects.toThrow(/ENOENT/)
  })

  it('gathers the files of one infoCode into one article and names the merge', async () => {
    const root = join(dir, 'duplicates')
    await mkdir(root, { recursive: true })
    await writeFile(join(root, 'a.md'), post({ categories: 'yinhang' }, link(X)))
    await writeFile(join(root, 'b.md'), post({ infoCode: X, categories: 'gushi' }))
    await writeFile(join(root, 'c.md'), post({}, link(Y)))
    await writeFile(join(root, 'd.md'), post({}, link(Y)))

    const summary = await importPosts({ paths: [root], dryRun: true, env: env() })

    const byName = new Map(summary.results.map((r) => [r.file.split('/').pop(), r]))
    expect(byName.get('a.md')).toMatchObject({ outcome: 'valid', infoCode: X })
    expect(byName.get('b.md')).toMatchObject({
      outcome: 'merged',
      infoCode: X,
      mergedInto: expect.stringMatching(/a\.md$/),
    })
    expect(byName.get('c.md')).toMatchObject({ outcome: 'valid', infoCode: Y })
    expect(byName.get('d.md')).toMatchObject({ outcome: 'merged', infoCode: Y })
    expect(summary.counts).toMatchObject({ valid: 2, merged: 2, failed: 0 })
    expect(summary.merges.map((m) => [m.infoCode, m.categories, m.files.map((f) => f.split('/').pop())])).toEqual([
      [X, ['yinhang', 'gushi'], ['a.md', 'b.md']],
      [Y, ['markets'], ['c.md', 'd.md']],
    ])
  })
})

describe('merging copies of one article', () => {
  // From the real site (zning1994/finews): the source-news copy of NW202205262391921712 links only itself; its
  // rolling-news copy links the eastmoney original.
  const ORIGINAL = 'http://finance.eastmoney.com/news/1354,202205262391921712.html'
  const share = '<http://finews.zning.xyz/html_News/NewsShare.html?infoCode=NW202205262391921712>'
  const back =
    '[返回上海证券报新闻](//finews.withounder.com/category/shanghaizhengquanbao.html)｜[返回首页](//finews.withounder.com/)'
  const sourceNews = `<p>正文。</p>\n\n${share}\n\n${back}\n`
  const rollingNews = `<p>摘要。</p>\n\n<${ORIGINAL}>\n\n[返回东财滚动新闻](//finews.withounder.com/emnews/)｜[返回首页](//finews.withounder.com/)\n`

  it("carries the original link of the other copy into the chosen one's footer", () => {
    const body = carryOriginalLink(sourceNews, [rollingNews]) as string
    expect(splitFooter(body)).toEqual({
      content: '<p>正文。</p>',
      shareInfoCode: 'NW202205262391921712',
      originalUrl: ORIGINAL,
    })
    expect(body.startsWith('<p>正文。</p>\n\n')).toBe(true)
    expect(body.endsWith(`${share}\n\n${back}\n`)).toBe(true)
  })

  it('adds a footer to a body without one, and keeps a body that already names its original', () => {
    expect(splitFooter(carryOriginalLink('<p>正文。</p>', [rollingNews]) as string)).toMatchObject({
      content: '<p>正文。</p>',
      originalUrl: ORIGINAL,
    })
    expect(carryOriginalLink(rollingNews, [sourceNews])).toBeUndefined()
    expect(carryOriginalLink(sourceNews, [sourceNews, 42])).toBeUndefined()
    expect(carryOriginalLink(undefined, [rollingNews])).toBeUndefined()
  })
})

describe('progress and summary', () => {
  const failure: FileResult = {
    file: '_posts/a.md',
    key: 'a.md',
    outcome: 'failed',
    status: 400,
    detail: 'date: "2022-02-30" is not a real date',
    errors: [{ path: 'date', message: '"2022-02-30" is not a real date' }],
  }
  const summary = (over: Partial<ImportSummary> = {}): ImportSummary => ({
    api: 'http://127.0.0.1:3000',
    dryRun: false,
    statePath: '/site/_posts/.finews-import.jsonl',
    startedAt: '2024-01-02T00:00:00.000Z',
    durationMs: 65_000,
    postsPerSecond: 30.8,
    interrupted: false,
    stopReason: undefined,
    counts: { total: 3, created: 1, replaced: 0, unchanged: 1, valid: 0, failed: 1, skipped: 0, merged: 0, pending: 0 },
    results: [failure],
    failures: [failure],
    pending: [],
    merges: [],
    repairs: [],
    ...over,
  })

  it('formats durations, rates, ETA and a bar', () => {
    expect(formatDuration(65_000)).toBe('1:05')
    expect(formatDuration(3_725_000)).toBe('1:02:05')
    expect(formatDuration(Number.NaN)).toBe('--:--')
    expect(progressText({ total: 200, done: 50, failed: 1, elapsedMs: 10_000 })).toBe(
      '50/200  25%  5.0/s  ETA 0:30  failed 1',
    )
    expect(progressBar(1, 4, 8)).toBe('██░░░░░░')
    expect(failureLine({ ...failure, status: null, detail: 'ECONNRESET' })).toBe('_posts/a.md  no answer  ECONNRESET')
  })

  it('draws a bar on a terminal and plain lines elsewhere', () => {
    const tty: string[] = []
    const plain: string[] = []
    const terminal = progressView({ isTTY: true, columns: 100, write: (t: string) => tty.push(t) })
    const log = progressView({ isTTY: false, write: (t: string) => plain.push(t) }, { intervalMs: 0 })

    for (const view of [terminal, log]) {
      view.update({ total: 2, done: 0, failed: 0, elapsedMs: 0 })
      view.update({ total: 2, done: 1, failed: 1, elapsedMs: 1000, last: failure })
      view.finish()
    }

    expect(tty.join('')).toContain('\r\x1b[K')
    expect(tty.join('')).toContain('failed  _posts/a.md  400')
    expect(tty.join('')).toMatch(/█+░+ {2}1\/2 {2}50%/)
    expect(plain.join('')).not.toContain('\x1b')
    expect(plain).toEqual(['importing 2 files\n', expect.stringMatching(/^progress {2}1\/2/), expect.any(String)])
  })

  it('lists the counts and each failure with file, status and detail', () => {
    const text = formatSummary(summary())

    expect(text).toContain('Imported 3 of 3 files into http://127.0.0.1:3000 in 1:05 (30.8 posts/s).')
    expect(text).toMatch(/created\s+1\n\s+replaced\s+0\n\s+unchanged\s+1\n\s+failed\s+1/)
    expect(text).toContain('_posts/a.md  400  date: "2022-02-30" is not a real date')
  })

  it('tells files without front matter from posts whose front matter follows a blank line', () => {
    const skipped = (file: string, detail: string): FileResult => ({ file, key: file, outcome: 'skipped', detail })
    const blank = skipped('_posts/b.md', 'blank line before the front matter: Jekyll reads none, not imported')
    const counts = { ...summary().counts, skipped: 2 }

    const both = formatSummary(summary({ counts, results: [failure, blank, skipped('x.md', 'no front matter')] }))
    const onlyBlank = formatSummary(summary({ counts: { ...counts, skipped: 1 }, results: [failure, blank] }))
    const none = formatSummary(summary({ counts: { ...counts, skipped: 1 }, results: [skipped('x.md', 'no')] }))

    expect(both).toMatch(
      /skipped\s+2 {2}\(1 no front matter: not Jekyll posts; 1 with front matter after a blank line: see below\)/,
    )
    expect(both).toContain('Not imported (front matter after a blank line):\n  _posts/b.md: blank line before')
    expect(onlyBlank).toMatch(/skipped\s+1 {2}\(1 with front matter after a blank line: see below\)\n/)
    expect(none).toMatch(/skipped\s+1 {2}\(no front matter: not Jekyll posts\)\n/)
  })

  it('says what a dry run would do and that nothing was uploaded', () => {
    const valid: FileResult = { file: 'b.md', key: 'b.md', outcome: 'valid', method: 'PUT' }
    const text = formatSummary(
      summary({
        dryRun: true,
        results: [valid, failure],
        counts: {
          total: 2,
          created: 0,
          replaced: 0,
          unchanged: 0,
          valid: 1,
          failed: 1,
          skipped: 0,
          merged: 0,
          pending: 0,
        },
      }),
    )

    expect(text).toMatch(/nothing was uploaded/)
    expect(text).toMatch(/valid\s+1 {2}\(1 by infoCode \(PUT\), 0 to get one \(POST\)\)/)
  })

  it('exits 0 when all went through, 1 on any failure or stop, 130 when interrupted', () => {
    const clean = {
      total: 1,
      created: 1,
      replaced: 0,
      unchanged: 0,
      valid: 0,
      failed: 0,
      skipped: 0,
      merged: 0,
      pending: 0,
    }

    expect(exitCodeOf(summary({ counts: clean, failures: [] }))).toBe(0)
    expect(exitCodeOf(summary())).toBe(1)
    expect(exitCodeOf(summary({ counts: clean, stopReason: 'key refused' }))).toBe(1)
    expect(exitCodeOf(summary({ counts: { ...clean, pending: 3 }, interrupted: true }))).toBe(130)
  })
})
