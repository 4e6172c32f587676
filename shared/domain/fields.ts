/**
 * The article's fields, declared once. The types `Article` and `FeedEntry` (shared/domain/model.ts) and every
 * list the mapping code iterates derive from this table: which fields a stored article item holds, which a feed
 * membership item copies, which may be absent, which a replace may change, which the uploader gives, which the
 * API shows and under what name. A new field is a line here, plus the code that gives it a meaning (where it is
 * read from an upload, where a page or feed shows it); tests/unit/article-fields.test.ts fails when a derived
 * shape leaves a declared field out.
 *
 * The order is the API's: `presentArticle` shows its fields in this order (content, then links, then the record).
 */
export const ARTICLE_FIELDS = {
  infoCode: { kind: 'text', entry: true, from: 'upload', fixed: true, api: 'content' },
  title: { kind: 'text', entry: true, from: 'upload', draft: true, api: 'content' },
  /** ISO 8601 with its publish offset. */
  date: { kind: 'text', entry: true, from: 'upload', api: 'content' },
  /** The category names as written (`TechWeb`); shown by the API as `categories`. Old items had only slugs. */
  categoryNames: {
    kind: 'texts',
    from: 'upload',
    draft: true,
    api: 'content',
    apiName: 'categories',
    missingFrom: 'categories',
  },
  tags: { kind: 'texts', entry: true, from: 'upload', draft: true, api: 'content', missing: [] },
  /** The body as uploaded (Markdown with inline HTML, the old footer included). */
  body: { kind: 'text', entry: true, from: 'upload', draft: true, api: 'content', missing: '' },
  /** Jekyll's `published`: false keeps the article stored and editable but out of every feed, page and sitemap. */
  published: { kind: 'flag', from: 'upload', draft: true, api: 'content', missing: true },
  /** The outlet named in `（文章来源：X）`. */
  source: { kind: 'text', optional: true, entry: true, from: 'upload', api: 'content', apiAbsent: null },
  /** The original article the old footer linked (eastmoney), shown as 原文链接. */
  originalUrl: {
    kind: 'text',
    optional: true,
    entry: true,
    from: 'upload',
    draft: true,
    api: 'content',
    apiAbsent: null,
  },
  /** Plain text, at most 200 characters: Jekyll's `excerpt`/`description` when given, else from the body. */
  summary: { kind: 'text', entry: true, from: 'upload', api: 'content', missing: '' },
  createdAt: { kind: 'text', from: 'store', fixed: true, api: 'record' },
  /** When the record last changed (an edit, an import): not shown as the content's time. */
  updatedAt: { kind: 'text', entry: true, from: 'store', api: 'record' },
  /** Counted in the article's own counter item, never in the article item. */
  clicks: { kind: 'number', from: 'store', kept: 'counter', api: 'record', missing: 0 },
  /** Incremented on each replace; used for optimistic concurrency. */
  version: { kind: 'number', from: 'store', api: 'record', missing: 1 },
  /** `date` as milliseconds since the epoch, for ordering. */
  publishedAt: { kind: 'number', entry: true, from: 'upload' },
  /** Jekyll's `last_modified_at` (ISO 8601 with its offset): when the content last changed, if said. */
  modifiedAt: { kind: 'text', optional: true, entry: true, from: 'upload', draft: true },
  /** The category slugs (`categorySlug` of each name): what feeds, pages and keys use. */
  categories: { kind: 'texts', entry: true, from: 'upload', draft: true, missing: [] },
  /** Jekyll's `image`, as written (absolute, protocol-relative or a path on this site). */
  image: { kind: 'text', optional: true, entry: true, from: 'upload', draft: true },
  /** Jekyll's `author`: a name. */
  author: { kind: 'text', optional: true, entry: true, from: 'upload', draft: true },
  shortCode: { kind: 'text', entry: true, from: 'store', fixed: true },
  /** Front-matter keys without a meaning of their own (`layout`, …) and Jekyll's keys, kept as they came. */
  extra: { kind: 'keys', from: 'upload', draft: true, missing: {} },
  contentHash: { kind: 'text', from: 'store', missing: '' },
} as const satisfies Readonly<Record<string, FieldDeclaration>>

/** What is declared of one field. */
export interface FieldDeclaration {
  /** Its value: text, a number, a flag, a list of texts, or kept keys. */
  readonly kind: keyof FieldKinds
  /** May be absent (stored only when present). */
  readonly optional?: true
  /** Part of a feed entry: copied onto each feed membership item, and a change to it regenerates the feeds. */
  readonly entry?: true
  /** Said (or derived) by the upload, or set by the store. */
  readonly from: 'upload' | 'store'
  /** Copied as is from the validated draft into what the store writes. */
  readonly draft?: true
  /** Set when the article is created and never replaced (a PUT keeps it). */
  readonly fixed?: true
  /** Where the value lives: the article item (the default) or its click counter. */
  readonly kept?: 'item' | 'counter'
  /** Shown by the API: with the uploaded content, or with the record's bookkeeping after the links. */
  readonly api?: 'content' | 'record'
  /** The API's name for it, when not its own. */
  readonly apiName?: string
  /** What the API shows when it is absent (else nothing). */
  readonly apiAbsent?: null
  /** Read for an item that lacks it (items stored before the field existed, or without a value). */
  readonly missing?: FieldKinds[keyof FieldKinds]
  /** Read from that other field (a declared name) for an item that lacks it. */
  readonly missingFrom?: string
}

/** The TypeScript type of each kind of field. */
export interface FieldKinds {
  readonly text: string
  readonly number: number
  readonly flag: boolean
  readonly texts: readonly string[]
  readonly keys: Readonly<Record<string, unknown>>
}

type Fields = typeof ARTICLE_FIELDS
/** The name of a declared field. */
export type ArticleField = keyof Fields
type Where<P> = { [K in ArticleField]: Fields[K] extends P ? K : never }[ArticleField]
type ValueOf<K extends ArticleField> = FieldKinds[Fields[K]['kind']]

/** The object type of a set of declared fields: optional ones may be absent, the rest are required. */
export type ShapeOf<K extends ArticleField> = {
  readonly [F in Exclude<K, Where<{ optional: true }>>]: ValueOf<F>
} & { readonly [F in Extract<K, Where<{ optional: true }>>]?: ValueOf<F> | undefined }

/** The fields of a feed entry (what feeds and pages render; membership items copy them). */
export type EntryField = Where<{ entry: true }>
/** The fields the store sets, not the upload. */
export type StoreField = Where<{ from: 'store' }>
/** The fields copied as is from the validated draft. */
export type DraftField = Where<{ draft: true }>
/** The fields an article item holds. */
export type ItemField = Exclude<ArticleField, Where<{ kept: 'counter' }>>
/** The stored fields a replace may change. */
export type ReplaceableField = Exclude<ItemField, Where<{ fixed: true }>>

const names = Object.keys(ARTICLE_FIELDS) as ArticleField[]
const declared = (name: ArticleField): FieldDeclaration => ARTICLE_FIELDS[name]

/** Every declared field, in the declaration's order. */
export const ALL_FIELDS: readonly ArticleField[] = names
/** The fields of a feed entry (all a feed membership item copies from its article). */
export const ENTRY_FIELDS = names.filter((n) => declared(n).entry) as readonly EntryField[]
/** The fields an article item holds (all but the click count). */
export const ITEM_FIELDS = names.filter((n) => (declared(n).kept ?? 'item') === 'item') as readonly ItemField[]
/** The stored fields a replace may change (all but those fixed at creation). */
export const REPLACEABLE_FIELDS = ITEM_FIELDS.filter((n) => !declared(n).fixed) as readonly ReplaceableField[]
/** The fields copied as is from the validated draft. */
export const DRAFT_FIELDS = names.filter((n) => declared(n).draft) as readonly DraftField[]

/**
 * A field's value as read from a stored item: `undefined` for an optional field that is absent, the declared
 * `missing` (or `missingFrom`) value for one an old item lacks, else the value in its kind. Attributes no field
 * declares are never read (items written before bodies were rendered where shown still hold an `html`).
 */
function readField(item: Readonly<Record<string, unknown>>, name: ArticleField): unknown {
  const field = declared(name)
  const value = item[name]
  if (field.optional) return typeof value === 'string' ? value : undefined
  if ((value === undefined || value === null) && field.missingFrom)
    return readField(item, field.missingFrom as ArticleField)
  const raw = value ?? field.missing
  switch (field.kind) {
    case 'text':
      return String(raw)
    case 'number':
      return Number(raw)
    case 'flag':
      return typeof value === 'boolean' ? value : field.missing
    default:
      return raw
  }
}

/**
 * The named fields of `from`, as their declaration says to read them; optional fields only when present.
 * @example readFields(item, ENTRY_FIELDS)
 */
export function readFields<K extends ArticleField>(
  from: Readonly<Record<string, unknown>>,
  fields: readonly K[],
): ShapeOf<K> {
  const out: Record<string, unknown> = {}
  for (const name of fields) {
    const value = readField(from, name)
    if (value !== undefined || !declared(name).optional) out[name] = value
  }
  return out as ShapeOf<K>
}

/** The named fields of `from` as they are (absent ones as undefined, which DynamoDB does not store). */
export function pickFields<K extends ArticleField>(from: Readonly<Partial<Record<K, unknown>>>, fields: readonly K[]) {
  const out: Record<string, unknown> = {}
  for (const name of fields) out[name] = from[name]
  return out as Pick<ShapeOf<ArticleField>, K>
}

/** The fields the API shows, in order, with the name it shows each under and what it shows when absent. */
export function apiFields(group: 'content' | 'record') {
  return names
    .filter((n) => declared(n).api === group)
    .map((n) => ({ name: n, shownAs: declared(n).apiName ?? n, absent: declared(n).apiAbsent }))
}
