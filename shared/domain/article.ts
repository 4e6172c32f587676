import { createHash } from 'node:crypto'
import { CORE_SCHEMA, load as loadYaml, YAMLException } from 'js-yaml'
import * as v from 'valibot'
import { extend } from '../objects.ts'
import { categoryNameProblem, categorySlugs } from './categories.ts'
import { INFO_CODE_PATTERN } from './codes.ts'
import { type PublishTime, parsePublishTime } from './dates.ts'
import { type FieldError, MalformedBodyError, ValidationError } from './errors.ts'
import type { DraftField, ShapeOf } from './fields.ts'
import { splitFooter } from './footer.ts'
import { readJekyllKeys } from './jekyll-keys.ts'
import { charLength, cleanText, hasCorruptChars, hasVisibleText } from './text.ts'

/** Field limits of the contract. */
export const LIMITS = {
  titleMax: 300,
  categoriesMax: 10,
  tagsMax: 20,
  tagMax: 100,
  extraDepthMax: 8,
  valuesMax: 10_000,
  keyMax: 200,
} as const

// A line break in a one-line field is how a value smuggles a second header line or a fake feed element.
const LINE_BREAK = /[\r\n\u2028\u2029]/
// What DynamoDB stores as a number through the document client: finite, a safe integer in magnitude, not below 1e-130.
const storableNumber = (n: number) =>
  Number.isFinite(n) && Math.abs(n) <= Number.MAX_SAFE_INTEGER && (n === 0 || Math.abs(n) >= 1e-130)

/** Keys that have a meaning of their own; every other front-matter key is kept in `extra`. */
const KNOWN_KEYS = new Set(['infoCode', 'title', 'date', 'categories', 'category', 'tags', 'body'])
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype'])

/**
 * An upload after validation: everything the store needs but what the server derives. Its fields are those
 * `ARTICLE_FIELDS` marks `draft` (copied as they are into the write), plus the infoCode if given, the publish
 * time, and Jekyll's excerpt (the summary when given).
 */
export type ArticleDraft = ShapeOf<DraftField> & {
  readonly infoCode: string | undefined
  readonly date: PublishTime
  readonly excerpt: string | undefined
}

/** Context the rules depend on. */
export interface DraftContext {
  readonly siteOffsetMinutes: number
}

// Categories are checked as written (a control character in a name is refused, not dropped); tags are cleaned.
const stringList = (what: string, clean: (s: string) => string = cleanText) =>
  v.pipe(
    v.union([v.string(), v.array(v.union([v.string(), v.number()]))], `${what} must be a string or a list of strings`),
    v.transform((value) =>
      (typeof value === 'string' ? value.split(/\s+/) : value.map(String))
        .map((s) => clean(s).trim())
        .filter((s) => s.length > 0),
    ),
    v.transform((list) => [...new Set(list)]),
  )

const DraftSchema = v.object({
  infoCode: v.optional(
    v.pipe(
      v.string('infoCode must be a string'),
      v.regex(INFO_CODE_PATTERN, 'infoCode must be two capital letters and 18 digits, like NW202204162345423378'),
    ),
  ),
  title: v.pipe(
    v.string('title is required and must be a string'),
    v.transform((s) => cleanText(s).trim()),
    v.check(hasVisibleText, 'title must not be empty'),
    v.check((s) => charLength(s) <= LIMITS.titleMax, `title must be at most ${LIMITS.titleMax} characters`),
    v.check((s) => !LINE_BREAK.test(s), 'title must be one line (no CR or LF)'),
  ),
  date: v.string('date is required: 2022-04-16 03:21:56 +0800, 2022-04-16 or ISO 8601'),
  categories: v.pipe(
    stringList('categories', (s) => s),
    v.minLength(1, 'at least one category is required'),
    v.maxLength(LIMITS.categoriesMax, `at most ${LIMITS.categoriesMax} categories`),
    v.array(
      v.pipe(
        v.string(),
        v.check(
          (name) => categoryNameProblem(name) === undefined,
          (issue) => categoryNameProblem(String(issue.input)) ?? 'category name refused',
        ),
      ),
    ),
  ),
  tags: v.optional(
    v.pipe(
      stringList('tags'),
      v.maxLength(LIMITS.tagsMax, `at most ${LIMITS.tagsMax} tags`),
      v.array(
        v.pipe(
          v.string(),
          v.maxLength(LIMITS.tagMax, `a tag is at most ${LIMITS.tagMax} characters`),
          v.check((s) => !LINE_BREAK.test(s), 'a tag must be one line (no CR or LF)'),
        ),
      ),
    ),
    [],
  ),
  body: v.pipe(
    v.string('body is required and must be a string'),
    v.transform((s) => cleanText(s)),
    v.check((s) => s.trim().length > 0, 'body must not be empty'),
  ),
})

/**
 * Validates raw fields (from JSON or front matter) into a draft, or throws `ValidationError` naming each bad field.
 * A missing infoCode is taken from the article's own legacy share link (the old footer), never from a link
 * inside the text.
 */
export function draftFromFields(fields: Record<string, unknown>, context: DraftContext): ArticleDraft {
  const errors: FieldError[] = []
  const budget = { values: LIMITS.valuesMax }
  for (const [key, value] of Object.entries(fields)) {
    checkKey(key, key, errors)
    checkValue(key, value, 1, errors, budget)
  }
  if (budget.values < 0) errors.push({ path: 'body', message: `more than ${LIMITS.valuesMax} values in all` })
  if (errors.length > 0) throw new ValidationError(errors.slice(0, 20))

  const categories = fields.categories ?? fields.category
  const parsed = v.safeParse(
    DraftSchema,
    extend(pick(fields, ['infoCode', 'title', 'date', 'tags', 'body']), { categories }),
  )
  const jekyll = readJekyllKeys(fields, context.siteOffsetMinutes)
  if (!parsed.success || jekyll.errors.length > 0) {
    throw new ValidationError([
      ...(parsed.issues ?? []).map((issue) => ({
        path: v.getDotPath(issue) ?? issueRoot(issue),
        message: issue.message,
      })),
      ...jekyll.errors,
    ])
  }
  const date = parsePublishTime(parsed.output.date, context.siteOffsetMinutes)
  if (!date) {
    throw new ValidationError([
      { path: 'date', message: `"${parsed.output.date.slice(0, 40)}" is not a real date (Jekyll or ISO 8601 form)` },
    ])
  }
  const extra: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(fields)) if (!KNOWN_KEYS.has(key)) extra[key] = value
  const footer = splitFooter(parsed.output.body)
  return extend(jekyll.value, {
    infoCode: parsed.output.infoCode ?? footer.shareInfoCode,
    originalUrl: footer.originalUrl,
    title: parsed.output.title,
    date,
    categories: categorySlugs(parsed.output.categories),
    categoryNames: parsed.output.categories,
    tags: parsed.output.tags,
    body: parsed.output.body,
    extra,
  })
}

/** Splits a Jekyll post into its front matter and body, then validates it. */
export function draftFromJekyll(text: string, context: DraftContext): ArticleDraft {
  return draftFromFields(parseJekyll(text), context)
}

/**
 * Reads a Jekyll post: `---` YAML front matter `---`, then the body.
 * @example parseJekyll('---\ntitle: Hi\n---\nbody').title // 'Hi'
 */
export function parseJekyll(text: string): Record<string, unknown> {
  const source = text.replace(/^\uFEFF/, '')
  const match = /^---[ \t]*\r?\n([\s\S]*?)\r?\n?^(?:---|\.\.\.)[ \t]*(?:\r?\n|(?![\s\S]))/m.exec(source)
  if (match?.index !== 0) {
    throw new MalformedBodyError('a Jekyll post starts with YAML front matter between two "---" lines', 'frontMatter')
  }
  let data: unknown
  try {
    // The core schema keeps dates as strings (we read them with their offset) and rejects duplicate keys.
    data = loadYaml(match[1] ?? '', { schema: CORE_SCHEMA })
  } catch (error) {
    const message = error instanceof YAMLException ? error.reason || error.message.split('\n')[0] : 'unreadable YAML'
    throw new MalformedBodyError(`front matter is not valid YAML: ${message}`, 'frontMatter', error)
  }
  assertPlainTree(data)
  if (data === null || data === undefined) data = {}
  if (typeof data !== 'object' || Array.isArray(data)) {
    throw new MalformedBodyError('front matter must be a YAML mapping of keys to values', 'frontMatter')
  }
  const fields = { ...(data as Record<string, unknown>) }
  // Jekyll reads scalar titles and tags as text: `title: 2022` is the title "2022".
  if (typeof fields.title === 'number' || typeof fields.title === 'boolean') fields.title = String(fields.title)
  if (typeof fields.infoCode === 'number') fields.infoCode = String(fields.infoCode)
  if (fields.date instanceof Date) fields.date = fields.date.toISOString()
  if ('body' in fields) fields.frontMatterBody = fields.body
  fields.body = source.slice(match[0].length)
  return fields
}

/** A stable digest of what an upload says, to tell a repeated upload from a changed one. */
export function contentHash(draft: ArticleDraft & { readonly infoCode: string }): string {
  const canonical = JSON.stringify([
    draft.infoCode,
    draft.title,
    draft.date.iso,
    draft.categoryNames,
    draft.tags,
    draft.body,
    sortKeys(draft.extra),
  ])
  return createHash('sha256').update(canonical).digest('base64url')
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys)
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    )
  }
  return value
}

// Keys become DynamoDB attribute names: none may be empty, and a name is bounded in size.
function checkKey(key: string, path: string, errors: FieldError[]): void {
  if (FORBIDDEN_KEYS.has(key)) errors.push({ path, message: 'this key is not accepted' })
  else if (key.length === 0 || key.length > LIMITS.keyMax) {
    errors.push({ path, message: `a key must be 1 to ${LIMITS.keyMax} characters long` })
  } else if (hasCorruptChars(key) || /[\u0000-\u001F\u007F-\u009F]/.test(key)) {
    errors.push({ path, message: 'a key must not contain control characters or unpaired surrogates' })
  }
}

function checkValue(
  path: string,
  value: unknown,
  depth: number,
  errors: FieldError[],
  budget: { values: number },
): void {
  if (--budget.values < 0 || errors.length > 20) return
  if (depth > LIMITS.extraDepthMax) {
    errors.push({ path, message: `nested deeper than ${LIMITS.extraDepthMax} levels` })
    return
  }
  if (typeof value === 'string') {
    if (hasCorruptChars(value)) errors.push({ path, message: 'contains a NUL character or an unpaired surrogate' })
  } else if (typeof value === 'number') {
    if (!storableNumber(value)) {
      errors.push({
        path,
        message: 'a number must be finite, at most 2^53 - 1 in size and not below 1e-130 (send it as a string)',
      })
    }
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => {
      checkValue(`${path}[${i}]`, item, depth + 1, errors, budget)
    })
  } else if (value && typeof value === 'object' && !(value instanceof Date)) {
    for (const [key, item] of Object.entries(value)) {
      checkKey(key, `${path}.${key.slice(0, 40)}`, errors)
      checkValue(`${path}.${key.slice(0, 40)}`, item, depth + 1, errors, budget)
    }
  }
}

/**
 * Rejects YAML that reuses a node through an alias (the "billion laughs" shape) or that is too large to walk,
 * before anything walks it recursively.
 */
function assertPlainTree(root: unknown): void {
  const seen = new Set<object>()
  const pending: unknown[] = [root]
  let count = 0
  while (pending.length > 0) {
    const value = pending.pop()
    if (value === null || typeof value !== 'object') continue
    if (seen.has(value)) {
      throw new MalformedBodyError('front matter must not reuse anchors through aliases (*name)', 'frontMatter')
    }
    seen.add(value)
    const children = Array.isArray(value) ? value : Object.values(value)
    count += children.length
    if (count > 10_000) throw new MalformedBodyError('front matter has too many values', 'frontMatter')
    pending.push(...children)
  }
}

function pick(fields: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const key of keys) if (fields[key] !== undefined) out[key] = fields[key]
  return out
}

function issueRoot(issue: v.BaseIssue<unknown>): string {
  const match = /^(\w+)/.exec(issue.message)
  return match?.[1] ?? 'body'
}
