import { compactStamp, formatIso } from '#shared/domain/dates'
import { randomSource } from '../../../bench/articles.ts'

/** What an article should be once every operation is done: the ground truth of the feeds. */
export interface Truth {
  readonly infoCode: string
  title: string
  publishedAt: number
  categories: string[]
  deleted: boolean
}

/** One API call of the workload. */
export type Operation =
  | { readonly kind: 'create'; readonly article: number; readonly markdown: boolean; readonly fields: ArticleFields }
  | { readonly kind: 'edit'; readonly article: number; readonly fields: ArticleFields }
  | { readonly kind: 'delete'; readonly article: number; readonly infoCode: string }

/** The fields an upload sends. */
export interface ArticleFields {
  readonly infoCode: string
  readonly title: string
  readonly date: string
  readonly categories: readonly string[]
  readonly tags: readonly string[]
  readonly body: string
}

const SITE_OFFSET = 480
// Distinct publish times a minute and a second apart, all in the past and after 1990 (feeds show neither
// future items nor very old ones).
const BASE_TIME = Date.parse('2021-01-01T00:00:00+08:00')

/** The category slugs of a workload. */
export function categorySlugs(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `rel-${String(i).padStart(2, '0')}`)
}

/**
 * Uploads across categories, interleaved with edits that move articles between categories (and sometimes
 * to another publish time) and deletes; returns the operations in the order to start them and the truth
 * they leave behind. Operations on one article must run in order; others may overlap.
 */
export function planWorkload(options: {
  uploads: number
  categories: number
  editShare: number
  deleteShare: number
  seed: number
}): { operations: Operation[]; truth: Truth[]; slugs: string[] } {
  // The bench's seeded generator: the same seed gives the same workload.
  const random = randomSource(options.seed)
  const slugs = categorySlugs(options.categories)
  const pick = (): string[] => {
    const first = slugs[Math.floor(random() * slugs.length)] as string
    const second = slugs[Math.floor(random() * slugs.length)] as string
    return random() < 0.3 && second !== first ? [first, second] : [first]
  }
  let times = 0
  const nextTime = () => BASE_TIME + times++ * 61_000
  const fields = (truth: Truth, version: number): ArticleFields => ({
    infoCode: truth.infoCode,
    title: truth.title,
    date: formatIso(truth.publishedAt, SITE_OFFSET),
    categories: truth.categories,
    tags: [`v${version}`],
    body: `<p>第${version}版 ${truth.infoCode}</p>\n\n正文 **${truth.title}**`,
  })
  const scheduled: { at: number; operation: Operation }[] = []
  const truth: Truth[] = []
  for (let i = 0; i < options.uploads; i++) {
    const publishedAt = nextTime()
    const article: Truth = {
      infoCode: `NW${compactStamp(publishedAt, SITE_OFFSET)}${String(i % 10_000).padStart(4, '0')}`,
      title: `文章 ${i}`,
      publishedAt,
      categories: pick(),
      deleted: false,
    }
    scheduled.push({
      at: i,
      operation: { kind: 'create', article: i, markdown: i % 3 === 0, fields: fields(article, 1) },
    })
    let at = i
    if (random() < options.editShare) {
      at += 8 + Math.floor(random() * 120)
      let moved = pick()
      while (moved.join() === article.categories.join()) moved = pick()
      article.categories = moved
      article.title = `文章 ${i}（已改）`
      if (random() < 0.25) article.publishedAt = nextTime()
      scheduled.push({ at, operation: { kind: 'edit', article: i, fields: fields(article, 2) } })
    }
    if (random() < options.deleteShare) {
      at += 8 + Math.floor(random() * 120)
      article.deleted = true
      scheduled.push({ at, operation: { kind: 'delete', article: i, infoCode: article.infoCode } })
    }
    truth.push(article)
  }
  scheduled.sort((a, b) => a.at - b.at)
  return { operations: scheduled.map((s) => s.operation), truth, slugs }
}

/** A Jekyll post of the fields, as an editor or the importer would send it. */
export function asJekyll(fields: ArticleFields): string {
  return [
    '---',
    'layout: post',
    `infoCode: ${fields.infoCode}`,
    `title: "${fields.title}"`,
    `date: ${fields.date}`,
    `categories: [${fields.categories.join(', ')}]`,
    `tags: [${fields.tags.join(', ')}]`,
    '---',
    fields.body,
    '',
  ].join('\n')
}

/** The newest `size` live articles of a feed (a slug, or undefined for the site-wide feed), newest first. */
export function expectedFeed(truth: readonly Truth[], slug: string | undefined, size: number): Truth[] {
  return truth
    .filter((t) => !t.deleted && (slug === undefined || t.categories.includes(slug)))
    .sort((a, b) => b.publishedAt - a.publishedAt)
    .slice(0, size)
}

/** Runs `work` over `items` with at most `inFlight` at once. */
export async function inPool<T>(
  items: readonly T[],
  inFlight: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0
  const worker = async () => {
    while (next < items.length) await work(items[next++] as T)
  }
  await Promise.all(Array.from({ length: Math.min(inFlight, items.length) }, worker))
}
