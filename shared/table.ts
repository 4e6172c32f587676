/**
 * The one definition of the table's keys, read by the CDK stack and by the local stack alike.
 * Items: `ART#{infoCode}`/`ART` articles (and tombstones), `FEED#{slug|_site}`/`{utc}#{infoCode}` feed
 * memberships, `SHORT#{code}`/`SHORT` short links, `ART#{infoCode}`/`CLICKS` click counters, `CAT`/`{slug}`
 * categories, `ARCH#{slug|_site}`/`{membership sk}` archive page boundaries (and `!cut`, where the feed's head
 * ended at its last regeneration), `IDEM#{key id}#{key}`/`IDEM` what a POST under an idempotency key created
 * (expired by the table's TTL attribute `expiresAt`). Clicks live in their own small item so that a click costs one write unit and
 * wakes no feed (the stream filter passes `ART` sort keys only), in the article's partition so that one Query
 * reads both for the price of one read of the article.
 */
export const TABLE_SCHEMA = {
  partitionKey: { name: 'pk', type: 'S' },
  sortKey: { name: 'sk', type: 'S' },
  streamView: 'NEW_AND_OLD_IMAGES',
  /** Epoch seconds after which DynamoDB removes an item (idempotency claims only). */
  ttlAttribute: 'expiresAt',
} as const

/** The sort key of a feed membership: the UTC publish time, then the infoCode (an archive position too). */
export function memberKey(publishedAt: number, infoCode: string): string {
  return `${new Date(publishedAt).toISOString()}#${infoCode}`
}

/** Item key builders; the only place that knows the key layout. */
export const keys = {
  article: (infoCode: string) => ({ pk: `ART#${infoCode}`, sk: 'ART' }),
  membership: (feed: string, publishedAt: number, infoCode: string) => ({
    pk: `FEED#${feed}`,
    sk: memberKey(publishedAt, infoCode),
  }),
  feedPartition: (feed: string) => `FEED#${feed}`,
  /** Where an archive page of a feed starts (the member key of its oldest possible article). */
  archiveBoundary: (feed: string, key: string) => ({ pk: `ARCH#${feed}`, sk: key }),
  /** Where the feed's head (newest FEED_SIZE) ended when its archive was last regenerated. */
  archiveCut: (feed: string) => ({ pk: `ARCH#${feed}`, sk: '!cut' }),
  archivePartition: (feed: string) => `ARCH#${feed}`,
  shortCode: (code: string) => ({ pk: `SHORT#${code}`, sk: 'SHORT' }),
  clicks: (infoCode: string) => ({ pk: `ART#${infoCode}`, sk: 'CLICKS' }),
  category: (slug: string) => ({ pk: 'CAT', sk: slug }),
  /** An old site path (decoded, NFC) the importer recorded as leading to an article (`redirect_from`). */
  legacyPath: (path: string) => ({ pk: `PATH#${path}`, sk: 'PATH' }),
  /** What a POST under an `Idempotency-Key` created (`scope` = the API key's id and the key), until it expires. */
  idempotency: (scope: string) => ({ pk: `IDEM#${scope}`, sk: 'IDEM' }),
  categoryPartition: 'CAT',
} as const

/** What kind of item a key belongs to, for stream consumers. */
export function itemKind(
  pk: string,
  sk: string | undefined,
): 'article' | 'membership' | 'short' | 'clicks' | 'category' | 'archive' | 'idempotency' | 'unknown' {
  if (pk.startsWith('ART#')) return sk === 'CLICKS' ? 'clicks' : 'article'
  if (pk.startsWith('FEED#')) return 'membership'
  if (pk.startsWith('SHORT#')) return 'short'
  if (pk === 'CAT') return 'category'
  if (pk.startsWith('ARCH#')) return 'archive'
  if (pk.startsWith('IDEM#')) return 'idempotency'
  return 'unknown'
}
