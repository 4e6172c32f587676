import { compactStamp, formatOffset } from '#shared/domain/dates'

/** The site's offset: every generated date is written in Beijing time, as the reference post is. */
export const BENCH_OFFSET_MINUTES = 480

/** Fifty category slugs, in pinyin as the reference site names them; the first ones are the busiest. */
export const CATEGORY_SLUGS: readonly string[] = [
  'zhongguojingyingwang',
  'gushi',
  'yinhang',
  'jijin',
  'hongguan',
  'gongsi',
  'baoxian',
  'qihuo',
  'waihui',
  'huangjin',
  'fangchan',
  'keji',
  'qiche',
  'nengyuan',
  'xiaofei',
  'yiyao',
  'xinsanban',
  'kechuangban',
  'ganggu',
  'meigu',
  'zhaiquan',
  'licai',
  'xintuo',
  'simu',
  'quanshang',
  'jianguan',
  'difang',
  'guoji',
  'chanye',
  'nongye',
  'wuliu',
  'hangyun',
  'hangkong',
  'tielu',
  'dianli',
  'meitan',
  'gangtie',
  'youse',
  'huagong',
  'jiancai',
  'jiadian',
  'shipin',
  'baijiu',
  'lvyou',
  'jiaoyu',
  'chuanmei',
  'tongxin',
  'bandaoti',
  'rengongzhineng',
  'xinnengyuan',
]

const BANKS = [
  '邮储银行',
  '工商银行',
  '建设银行',
  '招商银行',
  '兴业银行',
  '平安银行',
  '浦发银行',
  '宁波银行',
  '北京银行',
]
const COMPANIES = [
  '贵州茅台',
  '宁德时代',
  '比亚迪',
  '中国平安',
  '隆基绿能',
  '美的集团',
  '恒瑞医药',
  '中信证券',
  '海康威视',
  '长江电力',
  '万科A',
  '紫金矿业',
]
const REGULATORS = ['央行', '证监会', '银保监会', '国家统计局', '财政部', '发改委', '外汇局']
const TOPICS = [
  '普惠小微贷款',
  '绿色金融',
  '数字人民币',
  '乡村振兴',
  '跨境理财通',
  '科创企业融资',
  '养老金融',
  '供应链金融',
  '住房租赁',
  '新能源汽车',
]
const VERBS = ['发布', '披露', '启动', '推进', '加码', '优化', '深化', '落地']
const METRICS = ['净利润', '营业收入', '不良贷款率', '资本充足率', '净息差', '经营现金流', '研发投入', '毛利率']
const SOURCES = ['中国经营网', '证券时报', '上海证券报', '中国证券报', '第一财经', '经济观察网', '财新网']
const CONNECTIVES = [
  '与此同时，',
  '值得注意的是，',
  '业内人士认为，',
  '从数据来看，',
  '据了解，',
  '分析人士指出，',
  '此外，',
]
const CLAUSES = [
  '金融机构持续加大对实体经济的支持力度',
  '市场流动性保持合理充裕',
  '相关政策效果正在逐步显现',
  '企业融资成本稳中有降',
  '资产质量整体保持稳定',
  '线上化业务规模同比增长明显',
  '区域经济结构调整步伐加快',
  '居民消费意愿有所回升',
  '行业集中度进一步提升',
  '风险防控能力不断增强',
  '投资者对后市保持谨慎乐观',
  '监管部门强调守住不发生系统性风险的底线',
]

/** A deterministic pseudo-random source (mulberry32), so every run seeds the same articles. */
export function randomSource(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** The fields of one generated article, as the upload API takes them. */
export interface GeneratedArticle {
  readonly infoCode: string
  readonly title: string
  /** Jekyll form with offset: `2022-04-16 03:21:56 +0800`. */
  readonly date: string
  readonly publishedAt: number
  readonly categories: readonly string[]
  readonly tags: readonly string[]
  readonly body: string
  readonly layout: string
}

/** Options of one generated article. */
export interface ArticleOptions {
  /** Publish time; by default one hour per index from 2019-01-01 (Beijing), so indexes never collide. */
  readonly publishedAt?: number
  /** Categories; by default drawn with a Zipf-like weight, so the first slugs are the largest. */
  readonly categories?: readonly string[]
  /** How many category slugs are in use. @default 50 */
  readonly categoryCount?: number
}

const TIMELINE_START = Date.UTC(2018, 11, 31, 16, 0, 0) // 2019-01-01 00:00 +08:00
const HOUR = 3_600_000

const weightsCache = new Map<number, number[]>()

/** Zipf (s = 1) cumulative weights over the first `count` slugs. */
function cumulativeWeights(count: number): number[] {
  let cached = weightsCache.get(count)
  if (!cached) {
    const raw = Array.from({ length: count }, (_, i) => 1 / (i + 1))
    const total = raw.reduce((a, b) => a + b, 0)
    let sum = 0
    cached = raw.map((w) => {
      sum += w / total
      return sum
    })
    weightsCache.set(count, cached)
  }
  return cached
}

/** A category drawn by its Zipf weight: slug 0 holds about 22 % of 50 categories' articles. */
export function drawCategory(random: () => number, count: number): string {
  const weights = cumulativeWeights(count)
  const r = random()
  const index = weights.findIndex((w) => r < w)
  return CATEGORY_SLUGS[index === -1 ? count - 1 : index] as string
}

/**
 * A realistic Chinese financial-news article (about 3 KB of body: HTML paragraphs as the reference post
 * carries them, a K-chart image block, some Markdown, the `（文章来源：…）` line), the same for the same index.
 * @example const article = generateArticle(42)
 */
export function generateArticle(index: number, options: ArticleOptions = {}): GeneratedArticle {
  const random = randomSource(index * 2654435761 + 17)
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T
  const publishedAt = options.publishedAt ?? TIMELINE_START + index * HOUR + Math.floor(random() * 3_599) * 1000
  const categoryCount = Math.min(options.categoryCount ?? 50, CATEGORY_SLUGS.length)
  const first = drawCategory(random, categoryCount)
  const categories =
    options.categories ?? (random() < 0.1 ? [...new Set([first, drawCategory(random, categoryCount)])] : [first])
  const bank = pick(BANKS)
  const company = pick(COMPANIES)
  const topic = pick(TOPICS)
  const metric = pick(METRICS)
  const change = (random() * 40 - 10).toFixed(2)
  const title = pick([
    `“数字化+专业化”：${bank}${topic}服务${Math.floor(random() * 300) + 10}万客户`,
    `${company}${new Date(publishedAt).getUTCFullYear()}年${metric}同比${Number(change) >= 0 ? '增长' : '下降'}${Math.abs(Number(change))}%`,
    `${pick(REGULATORS)}${pick(VERBS)}${topic}新举措，${pick(CLAUSES)}`,
    `${bank}${pick(VERBS)}${topic}：${pick(CLAUSES)}`,
  ])
  const source = pick(SOURCES)
  const code = String(600000 + Math.floor(random() * 4000))
  const paragraphs: string[] = [
    `<p style="display:none;height:1px;overflow:hidden;"><br /></p><!-- EM_StockImg_Start --><p style="text-align:center;"><a href="http://quote.eastmoney.com/unify/r/1.${code}" class="EmImageRemark" target="_blank"><img src="https://webquoteklinepic.eastmoney.com/GetPic.aspx?nid=1.${code}&imageType=k&at=1" border="0" alt="K图 ${code}_0" width="578" height="276" /></a></p><!-- EM_StockImg_End -->`,
  ]
  let bytes = 0
  while (bytes < 2400) {
    const sentences = Array.from(
      { length: 3 + Math.floor(random() * 3) },
      () =>
        `${pick(CONNECTIVES)}${pick(CLAUSES)}，${bank}${pick(VERBS)}${topic}相关工作，${metric}较上年末变动${(random() * 5).toFixed(2)}个百分点。`,
    )
    const paragraph = random() < 0.15 ? `**${topic}：${pick(CLAUSES)}**` : `<p>${sentences.join('')}</p>`
    paragraphs.push(paragraph)
    bytes += Buffer.byteLength(paragraph)
  }
  if (random() < 0.3) {
    paragraphs.push(`- ${pick(CLAUSES)}\n- ${pick(CLAUSES)}\n- ${pick(CLAUSES)}`)
  }
  paragraphs.push(`<p>（文章来源：${source}）</p>`)
  const infoCode = `NW${compactStamp(publishedAt, BENCH_OFFSET_MINUTES)}${String(index % 10_000).padStart(4, '0')}`
  return {
    infoCode,
    title,
    date: jekyllDate(publishedAt),
    publishedAt,
    categories,
    tags: [source, topic],
    body: paragraphs.join('\n\n'),
    layout: 'post',
  }
}

/** The article as a Jekyll post, as an importer or editor uploads it. */
export function toJekyll(article: GeneratedArticle, options: { withInfoCode?: boolean } = {}): string {
  const quoted = (s: string) => JSON.stringify(s)
  return [
    '---',
    `layout: ${article.layout}`,
    ...(options.withInfoCode === false ? [] : [`infoCode: ${article.infoCode}`]),
    `title: ${quoted(article.title)}`,
    `date: ${article.date}`,
    `categories: ${article.categories.join(' ')}`,
    `tags: ${article.tags.join(' ')}`,
    '---',
    '',
    article.body,
    '',
  ].join('\n')
}

/** The article as the JSON body of `POST /api/articles`. */
export function toJson(article: GeneratedArticle): string {
  const { publishedAt: _derived, ...fields } = article
  return JSON.stringify(fields)
}

function jekyllDate(epochMs: number): string {
  const local = new Date(epochMs + BENCH_OFFSET_MINUTES * 60_000).toISOString()
  return `${local.slice(0, 10)} ${local.slice(11, 19)} ${formatOffset(BENCH_OFFSET_MINUTES).replace(':', '')}`
}
