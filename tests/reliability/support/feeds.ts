import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3'

/** One item of a JSON Feed as the tests read it back. */
export interface ReadItem {
  readonly infoCode: string
  readonly id: string
  readonly title: string
}

/** The JSON Feed key of a category (or of the site when undefined), as the feeds function writes it. */
export function jsonFeedKey(slug: string | undefined): string {
  return slug ? `feeds/${slug}/feed.json` : 'feeds/feed.json'
}

function itemsOf(text: string): ReadItem[] {
  const feed = JSON.parse(text) as { items: { id: string; title: string }[] }
  return feed.items.map((item) => ({
    id: item.id,
    title: item.title,
    infoCode: new URL(item.id).searchParams.get('infoCode') ?? '',
  }))
}

/** A feed's items from the bucket; undefined when the feed was never written. */
export async function readFeedFromBucket(
  s3: S3Client,
  bucket: string,
  slug: string | undefined,
): Promise<ReadItem[] | undefined> {
  try {
    const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: jsonFeedKey(slug) }))
    return itemsOf(await (out.Body as { transformToString(): Promise<string> }).transformToString())
  } catch (error) {
    if ((error as Error).name === 'NoSuchKey') return undefined
    throw error
  }
}

/** A feed's items over HTTP, as a reader gets them; undefined on 404. */
export async function readFeedOverHttp(baseUrl: string, slug: string | undefined): Promise<ReadItem[] | undefined> {
  const response = await fetch(new URL(`/${jsonFeedKey(slug)}`, baseUrl))
  if (response.status === 404) return undefined
  if (!response.ok) throw new Error(`GET ${jsonFeedKey(slug)}: ${response.status}`)
  return itemsOf(await response.text())
}
