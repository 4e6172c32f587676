import { QueryCommand as PlainQueryCommand } from '@aws-sdk/client-dynamodb'
import {
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  QueryCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb'
import { dynamoArticleStore } from '#shared/adapters/dynamodb-article-store'
import { hashFor, prepareWrite } from '#shared/content/prepare'
import { draftFromFields } from '#shared/domain/article'
import { itemKind } from '#shared/table'
import { BENCH_OFFSET_MINUTES, type GeneratedArticle, generateArticle } from './articles.ts'

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number]

/** One seeded article, without its body. */
export type SeededArticle = Pick<GeneratedArticle, 'infoCode' | 'categories' | 'publishedAt'>

/** What a seeding wrote. */
export interface SeedResult {
  readonly articles: number
  readonly items: number
  readonly ms: number
  /** What was written, by index order (publish time grows with the index); bodies are not kept. */
  readonly written: readonly SeededArticle[]
}

/** Options of one seeding. */
export interface SeedOptions {
  readonly client: DynamoDBDocumentClient
  readonly tableName: string
  /** First generator index: seeding 1,000 then 49,000 more from index 1,000 gives the same 50,000. */
  readonly from: number
  readonly count: number
  /** @default 50 */
  readonly categoryCount?: number
  /** BatchWriteItem requests in flight. @default 6 */
  readonly concurrency?: number
  readonly onProgress?: (done: number) => void
}

/**
 * Writes generated articles with exactly the items the store's own `create()` writes (article, short code,
 * feed memberships, category): `create()` runs against a client that captures its transaction instead of
 * sending it, and the captured puts go out in BatchWriteItem requests of 25. The conditions of the
 * transaction are left out (the generator's infoCodes are unique, short codes are checked here).
 * @example await seedArticles({ client, tableName, from: 0, count: 1000 })
 */
export async function seedArticles(options: SeedOptions): Promise<SeedResult> {
  const started = performance.now()
  let captured: TransactItem[] = []
  const capturing = {
    async send(command: unknown) {
      // The store reads before it creates (its article read through the plain client, see plainClientOf, which
      // falls back to this one): nothing is there yet.
      if (command instanceof QueryCommand || command instanceof PlainQueryCommand) return { Items: [] }
      if (command instanceof TransactWriteCommand) {
        captured = command.input.TransactItems ?? []
        return {}
      }
      throw new Error(`seed: unexpected command ${(command as object).constructor.name}`)
    },
  } as unknown as DynamoDBDocumentClient
  const store = dynamoArticleStore({
    client: capturing,
    tableName: options.tableName,
    siteOffsetMinutes: BENCH_OFFSET_MINUTES,
  })
  const context = { siteOffsetMinutes: BENCH_OFFSET_MINUTES }

  const shortCodes = new Set<string>()
  const categoryUpdates = new Map<string, NonNullable<TransactItem['Update']>>()
  const written: SeededArticle[] = []
  const queue: Record<string, unknown>[] = []
  const inFlight = new Set<Promise<void>>()
  const concurrency = options.concurrency ?? 6
  let items = 0

  async function flushOne(batch: Record<string, unknown>[]): Promise<void> {
    let pending = batch.map((Item) => ({ PutRequest: { Item } }))
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > 20) throw new Error('seed: DynamoDB Local kept items unprocessed')
      const out = await options.client.send(new BatchWriteCommand({ RequestItems: { [options.tableName]: pending } }))
      pending = (out.UnprocessedItems?.[options.tableName] ?? []) as typeof pending
      if (pending.length > 0) await new Promise((r) => setTimeout(r, 20 * (attempt + 1)))
    }
  }

  async function drain(all: boolean): Promise<void> {
    while (queue.length >= 25 || (all && queue.length > 0)) {
      const batch = queue.splice(0, 25)
      const running = flushOne(batch).finally(() => inFlight.delete(running))
      inFlight.add(running)
      if (inFlight.size >= concurrency) await Promise.race(inFlight)
    }
    if (all) await Promise.all(inFlight)
  }

  for (let index = options.from; index < options.from + options.count; index++) {
    const article = generateArticle(index, { categoryCount: options.categoryCount ?? 50 })
    const { publishedAt: _derived, ...fields } = article
    const draft = draftFromFields(fields, context)
    for (;;) {
      await store.create(prepareWrite(draft), hashFor(draft))
      const short = captured.find((t) => itemKind(String(t.Put?.Item?.pk), String(t.Put?.Item?.sk)) === 'short')?.Put
        ?.Item?.pk as string
      if (!shortCodes.has(short)) {
        shortCodes.add(short)
        break
      }
    }
    for (const item of captured) {
      if (item.Put?.Item) {
        queue.push(item.Put.Item)
        items++
      } else if (item.Update) {
        const slug = String(item.Update.Key?.sk)
        if (!categoryUpdates.has(slug)) categoryUpdates.set(slug, item.Update)
      }
    }
    written.push({ infoCode: article.infoCode, categories: article.categories, publishedAt: article.publishedAt })
    await drain(false)
    if ((index - options.from + 1) % 1000 === 0) options.onProgress?.(index - options.from + 1)
  }
  await drain(true)
  // Categories last: `if_not_exists` makes the first article's derived title win, as with the store.
  for (const update of categoryUpdates.values()) {
    await options.client.send(new UpdateCommand(update as ConstructorParameters<typeof UpdateCommand>[0]))
    items++
  }
  return { articles: options.count, items, ms: performance.now() - started, written }
}
