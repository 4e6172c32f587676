import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { compactStamp, formatIso } from '#shared/domain/dates'

/** Why a sample post is invalid, and the field the API names for it. */
export const INVALID_KINDS = {
  'bad-date': 'date',
  'missing-title': 'title',
  'bad-slug': 'categories',
  'broken-yaml': 'frontMatter',
  'bad-info-code': 'infoCode',
} as const

/** A kind of invalid post. */
export type InvalidKind = keyof typeof INVALID_KINDS

/** A valid post of the corpus, with what the API must make of it. */
export interface ValidSample {
  readonly file: string
  /** Where its infoCode is: in the front matter, in a legacy share link in the body, or nowhere (POST). */
  readonly codeIn: 'front-matter' | 'body-link' | 'none'
  readonly infoCode: string | undefined
  readonly publishedAt: number
  readonly categories: readonly string[]
  readonly title: string
}

/** An invalid post of the corpus. */
export interface InvalidSample {
  readonly file: string
  readonly kind: InvalidKind
  /** The start of the `errors[].path` the API reports. */
  readonly path: string
}

/** What was written, for assertions and benchmarks. */
export interface SampleCorpus {
  readonly root: string
  readonly valid: readonly ValidSample[]
  readonly invalid: readonly InvalidSample[]
  /** Files with a post's extension but no front matter: the importer skips them. */
  readonly notPosts: readonly string[]
}

const CATEGORIES = ['zhongguojingyingwang', 'hongguan', 'yinhang', 'gushi', 'jijin', 'qihuo', 'fangchan', 'keji']
const TAGS = ['中国经营网新闻', '宏观经济', '银行', '股市', '基金', '期货', '房地产', '科技', '普惠金融', '数字化转型']
const COMPANIES = ['邮储银行', '招商银行', '宁德时代', '贵州茅台', '中国平安', '比亚迪', '工商银行', '万科', '腾讯控股']
const EVENTS = [
  '发布年度报告：净利润同比增长',
  '“数字化+专业化”：纾困普惠小微客户',
  '获北向资金连续加仓',
  '召开业绩说明会，回应市场关切',
  '推出线上化小微贷款产品',
  '董事会审议通过分红方案',
  '绿色金融债券发行规模创新高',
]
const SENTENCES = [
  '截至报告期末，该行普惠型小微企业贷款余额稳居国有大行前列。',
  '市场人士认为，稳增长政策持续发力，经济运行有望企稳回升。',
  '在监管层“推动小微企业金融服务高质量发展”的呼吁下，金融机构加大了信贷支持力度。',
  '分析师指出，行业景气度延续，龙头企业的竞争优势进一步巩固。',
  '公司表示，将继续深化数字化转型，提升服务实体经济的能力。',
  '沪深两市成交额连续多日突破万亿元，北向资金净流入。',
  '据悉，相关产品已成功复制推广至江西、广西、广东等多家分行。',
]
const SOURCES = ['中国经营网', '证券时报', '上海证券报', '经济日报', '第一财经']
const BASE_TIME = Date.parse('2016-01-01T00:00:00+08:00')
const SITE_OFFSET = 480

/**
 * Writes `count` realistic Jekyll posts (Chinese front matter and bodies, HTML mixed with Markdown, some
 * infoCodes in front matter, some in legacy share links, half with none) under `root`, every
 * `invalidEvery`-th one invalid in one of {@link INVALID_KINDS}, plus two files without front matter.
 * Deterministic: the same arguments give the same files. Publish times and infoCodes are distinct and
 * increase with the index, which starts at `first` (two corpora with disjoint ranges never collide).
 * @example const corpus = await writeSampleCorpus('/tmp/site/_posts', { count: 2000 })
 */
export async function writeSampleCorpus(
  root: string,
  options: { count?: number; invalidEvery?: number; first?: number } = {},
): Promise<SampleCorpus> {
  const first = options.first ?? 0
  const count = options.count ?? 2000
  const invalidEvery = options.invalidEvery ?? 20
  const kinds = Object.keys(INVALID_KINDS) as InvalidKind[]
  const valid: ValidSample[] = []
  const invalid: InvalidSample[] = []
  const folders = new Set<string>()
  const writes: [string, string][] = []

  for (let i = first; i < first + count; i++) {
    // Every 3 hours and a few minutes: distinct times, never on the hour (where date-only posts land).
    let publishedAt = BASE_TIME + i * 3 * 3_600_000 + (1 + ((i * 37) % 179)) * 60_000
    const local = formatIso(publishedAt, SITE_OFFSET)
    const day = local.slice(0, 10)
    let date = jekyllDate(publishedAt, i)
    if (i % 97 === 5) {
      date = day
      publishedAt = Date.parse(`${day}T00:00:00+08:00`)
    }
    const infoCode = `NW${compactStamp(publishedAt, SITE_OFFSET)}${String(i % 10_000).padStart(4, '0')}`
    const categories = i % 7 === 3 ? [CATEGORIES[i % 8], CATEGORIES[(i + 3) % 8]] : [CATEGORIES[i % CATEGORIES.length]]
    const title = `${COMPANIES[i % COMPANIES.length]}${EVENTS[i % EVENTS.length]}（第${i + 1}期）`
    const codeIn = i % 10 < 4 ? 'body-link' : i % 10 === 4 ? 'front-matter' : 'none'
    const kind = i % invalidEvery === invalidEvery - 1 ? kinds[Math.floor(i / invalidEvery) % kinds.length] : undefined
    const front: string[] = ['layout: post']
    if (kind !== 'missing-title') front.push(`title: "${title}"`)
    else front.push('author: 记者 王明')
    front.push(kind === 'bad-date' ? `date: ${day.slice(0, 4)}-02-30 10:00:00 +0800` : `date: ${date}`)
    if (kind === 'bad-slug') front.push('categories: 宏观/经济')
    else if (i % 2 === 0) front.push(`categories: ${categories.join(' ')}`)
    else front.push(`categories: [${categories.join(', ')}]`)
    front.push(
      i % 3 === 0
        ? `tags: ${TAGS[i % TAGS.length]}`
        : `tags: [${TAGS[i % TAGS.length]}, ${TAGS[(i + 4) % TAGS.length]}]`,
    )
    if (codeIn === 'front-matter') front.push(`infoCode: ${infoCode}`)
    if (kind === 'bad-info-code') front.push('infoCode: NW2022')
    if (kind === 'broken-yaml') front.push('description: "引号没有闭合')

    const folder = day.slice(0, 4)
    folders.add(folder)
    const ext = i % 40 === 17 ? 'html' : i % 25 === 11 ? 'markdown' : 'md'
    const file = join(root, folder, `${day}-post-${i}.${ext}`)
    writes.push([file, `---\n${front.join('\n')}\n---\n\n${body(i, codeIn === 'body-link' ? infoCode : undefined)}`])
    if (kind) {
      invalid.push({ file, kind, path: INVALID_KINDS[kind] })
    } else {
      valid.push({
        file,
        codeIn,
        infoCode: codeIn === 'none' ? undefined : infoCode,
        publishedAt,
        categories: categories as string[],
        title,
      })
    }
  }

  const notPosts = [join(root, 'README.txt'), join(root, 'notes.md')]
  writes.push([notPosts[0] as string, '本目录为网站的历史文章。\n'])
  writes.push([notPosts[1] as string, '# 待办\n\n- 迁移旧文章\n'])
  // Walked past: a hidden folder and a file that is not a post.
  writes.push([join(root, '.drafts', 'draft.md'), `---\ntitle: 草稿\n---\n草稿\n`])
  writes.push([join(root, 'assets', 'logo.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>\n'])
  for (const folder of [...folders, '.drafts', 'assets']) await mkdir(join(root, folder), { recursive: true })
  for (let i = 0; i < writes.length; i += 64) {
    await Promise.all(writes.slice(i, i + 64).map(([path, text]) => writeFile(path, text, 'utf8')))
  }
  return { root, valid, invalid, notPosts }
}

function jekyllDate(epochMs: number, i: number): string {
  const iso = formatIso(epochMs, SITE_OFFSET)
  const [datePart, timePart] = [iso.slice(0, 10), iso.slice(11, 19)]
  switch (i % 10) {
    case 7:
      return iso
    case 8:
      return `${datePart} ${timePart}`
    case 9:
      return new Date(epochMs).toISOString().replace('.000Z', 'Z')
    default:
      return `${datePart} ${timePart} +0800`
  }
}

function body(i: number, linkedCode: string | undefined): string {
  const paragraphs: string[] = []
  const n = 3 + (i % 4)
  for (let p = 0; p < n; p++) paragraphs.push(`<p>${SENTENCES[(i + p) % SENTENCES.length]}</p>`)
  if (i % 5 === 2) paragraphs.splice(1, 0, '<p><strong>推动数字赋能助力小微金融提质增量</strong></p>')
  const source = SOURCES[i % SOURCES.length]
  const lines = [paragraphs.join(''), '']
  if (i % 6 === 1) lines.push('**要点**', '', '- 贷款余额9606亿元', '- 同比增长56%', '')
  lines.push(`<p class="em_media">（文章来源：${source}）</p>`, '')
  if (linkedCode) lines.push(`<http://finews.zning.xyz/html_News/NewsShare.html?infoCode=${linkedCode}>`, '')
  lines.push('[返回首页](//finews.withounder.com/)', '')
  return lines.join('\n')
}
