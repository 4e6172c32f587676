import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { compactStamp, formatIso } from '#shared/domain/dates'

/**
 * A corpus in the real site's templates (REAL-SITE.md): source-news posts `{date}-NW{18}.md` in their source's
 * category with the old footer (own share link, 返回 links), and, for one article in ten, the rolling-news copy
 * `{date}-{18}.md` in `emnews` with a digest line and an eastmoney footer: the importer makes one article of both.
 */
export interface RealSiteCorpus {
  readonly root: string
  /** Post files written. */
  readonly files: number
  /** Distinct infoCodes (articles) among them. */
  readonly articles: number
  /** Category names used, as written. */
  readonly categories: readonly string[]
}

// biome-ignore format: a table of syllables
const SYLLABLES = [
  'zhong', 'guo', 'jing', 'ying', 'wang', 'shang', 'hai', 'zheng', 'quan', 'bao', 'cai', 'lian', 'she', 'mei',
  'ri', 'xin', 'wen', 'shi', 'ji', 'dao', 'an', 'tou', 'xing', 'ke', 'yin', 'hang', 'jin', 'rong', 'tong', 'lu',
  'dong', 'fang', 'fu', 'hua', 'xia', 'nan', 'bei', 'kai', 'yuan', 'tian', 'di', 'qi', 'che', 'neng', 'chan',
]
const SOURCES = [
  '上海证券报',
  '财联社',
  '券商中国',
  '每日经济新闻',
  '证券时报',
  '中国证券报',
  '第一财经',
  '21世纪经济报道',
]
const TITLES = [
  '国内首次！新能源汽车启用“绿色”制冷液 哪些A股公司早有布局？',
  '资管圈风向又变！结构产品再迎强监管 影响多大？',
  '消费电子股大爆发！旺季迎来需求复苏 业绩兑现成关键',
  '长春发布若干政策措施支持市场主体纾困促进经济恢复发展',
  '潍柴动力：巴拉德和锡里斯不纳入合并财务报表范围',
]
const PARAGRAPHS = [
  '据霍尼韦尔官网消息，5月24日，霍尼韦尔宣布为蔚来旗下ET7新能源汽车提供HFO-1234yf制冷剂。',
  '资管新规刚刚迈入落地元年，去年在资管圈风靡了一年的“雪球结构产品”就再次迎来强监管。',
  '今日，三大指数集体走高，其中，创业板指大涨超2%。板块方面，消费电子、农业等板块涨幅居前。',
  '一是疫情防控专项支持措施，包括加大疫情防控资金支持力度、推动防疫产品研发及产业化。',
  '有投资者在投资者互动平台提问：海外市场波动，公司控股参股公司的经营情况如何？',
]

/**
 * `count` category names shaped like the real site's (`tests/fixtures/real-site/category-names-first-100.txt`):
 * pinyin of a source name, some with capitals (`ITzhijia`, `Wind`), digits (`21caijing`), parentheses
 * (`anxinguojizhengquan(xianggang)`), or two words (`21shijijingjibaodao 21caijingAPP`, which Jekyll splits).
 * Distinct by slug, deterministic.
 */
function realCategoryNames(count: number): string[] {
  const names: string[] = []
  const slugs = new Set<string>()
  for (let i = 0; names.length < count; i++) {
    const parts = 2 + (i % 3)
    let name = ''
    for (let p = 0; p < parts; p++) name += SYLLABLES[(i * 7 + p * 13 + Math.floor(i / 45)) % SYLLABLES.length]
    name += i >= SYLLABLES.length * 3 ? String(i) : ''
    if (i % 9 === 1) name = `IT${name}`
    else if (i % 9 === 2) name = `${name.charAt(0).toUpperCase()}${name.slice(1)}`
    else if (i % 9 === 3) name = `21${name}`
    if (i % 11 === 4) name = `${name}(xianggang)`
    if (i % 13 === 5) name = `${name} 21caijingAPP`
    const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-')
    if (slugs.has(slug)) continue
    slugs.add(slug)
    names.push(name)
  }
  return names
}

/**
 * Writes `posts` files (source-news posts, every tenth article also as an `emnews` copy) under `root/_posts`,
 * over `categories` category names. Deterministic; infoCodes start at `first`.
 * @example const corpus = writeRealSiteCorpus('/tmp/site', { posts: 10_000, categories: 2_000 })
 */
export function writeRealSiteCorpus(
  root: string,
  options: { posts: number; categories: number; first?: number },
): RealSiteCorpus {
  const dir = join(root, '_posts')
  mkdirSync(dir, { recursive: true })
  const names = realCategoryNames(options.categories)
  const first = options.first ?? 0
  let files = 0
  let articles = 0
  for (let i = first; files < options.posts; i++) {
    const publishedAt = Date.parse('2022-01-01T00:00:00+08:00') + i * 97_000
    const local = formatIso(publishedAt, 480)
    const day = local.slice(0, 10)
    const date = `${day} ${local.slice(11, 19)} +0800`
    const digits = `${compactStamp(publishedAt, 480).slice(0, 8)}${String(2_000_000_000 + i).slice(-10)}`
    const category = names[i % names.length] as string
    const source = SOURCES[i % SOURCES.length] as string
    const title = `${TITLES[i % TITLES.length]}（${i}）`
    const paragraphs = Array.from({ length: 2 + (i % 5) }, (_, p) => PARAGRAPHS[(i + p) % PARAGRAPHS.length])
    const html = `<p style="display:none;height:1px;overflow:hidden;"><br /></p><!-- EM_StockImg_Start --><p style="text-align:center;"><img src="https://webquoteklinepic.eastmoney.com/GetPic.aspx?nid=0.000338&imageType=k" border="0" alt="K图 000338_0" /></p><!-- EM_StockImg_End -->${paragraphs.map((p) => `<p>${p}</p>`).join('')}<p class="em_media">（文章来源：${source}）</p>`
    const sourceNews = [
      '---',
      'layout: post',
      `title: "${title}"`,
      `date: ${date}`,
      `categories: ${category}`,
      `tags: ${source}新闻`,
      '---',
      html,
      '',
      `<http://finews.zning.xyz/html_News/NewsShare.html?infoCode=NW${digits}>`,
      '',
      `[返回${source}新闻](//finews.withounder.com/category/${category}.html)｜[返回首页](//finews.withounder.com/)`,
    ].join('\n')
    writeFileSync(join(dir, `${day}-NW${digits}.md`), sourceNews)
    files++
    articles++
    if (i % 10 === 0 && files < options.posts) {
      const rolling = [
        '---',
        'layout: post',
        `title: "${title}"`,
        `date: ${date}`,
        'categories: emnews',
        'tags: 东财滚动新闻',
        '---',
        `> ${paragraphs[0]}（${source}）`,
        '',
        html,
        '',
        `<http://finance.eastmoney.com/a/${digits}.html>`,
        '',
        '[返回东财滚动新闻](//finews.withounder.com/emnews/)｜[返回首页](//finews.withounder.com/)',
      ].join('\n')
      writeFileSync(join(dir, `${day}-${digits}.md`), rolling)
      files++
    }
  }
  return { root: dir, files, articles, categories: names }
}
