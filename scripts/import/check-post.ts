import { draftFromFields, parseJekyll } from '#shared/domain/article'
import { DomainError, type FieldError, MalformedBodyError, PayloadTooLargeError } from '#shared/domain/errors'
import { fileNameInfoCode } from '#shared/domain/legacy-urls'
import { decodeUtf8, hasCorruptChars } from '#shared/domain/text'
import { classifyError } from '#shared/http/problem'

/** The API's MAX_BODY_BYTES (functions/api/app.ts): larger uploads are answered 413. */
export const MAX_POST_BYTES = 1024 * 1024

/** Where a post's infoCode comes from, strongest first (the contract's precedence). */
export type CodeSource = 'front-matter' | 'share-link' | 'file-name'

/** What the local check makes of a file. */
export type PostCheck =
  | {
      readonly kind: 'post'
      /** The post's fields as the API reads them (front matter, and `body`), after a repair if any. */
      readonly fields: Record<string, unknown>
      readonly infoCode: string | undefined
      readonly codeSource: CodeSource | undefined
      readonly publishedAt: number
      /** The category names as written (what the API keeps), in order, each once. */
      readonly categories: readonly string[]
      readonly tags: readonly string[]
      /** The title the known generator defect hid, when the file was repaired (see {@link repairTitle}). */
      readonly repairedTitle?: string
    }
  | { readonly kind: 'not-a-post'; readonly detail: string }
  | {
      readonly kind: 'invalid'
      readonly status: number
      readonly type: string
      readonly detail: string
      readonly errors: readonly FieldError[] | undefined
    }

/**
 * Checks a post file with the API's own rules (same size limit, same UTF-8 and NUL checks, same
 * `parseJekyll` and `draftFromFields`), so an invalid post is reported without a request and a dry run says what the API would.
 * A file found by walking a folder that does not start with front matter is `not-a-post` (Jekyll
 * copies such files as they are); a file named on the command line is judged as a post.
 * Front matter the real site's generator broke (an unescaped `"` in `title: "…"`) is repaired: see {@link repairTitle}.
 * @example checkPost(bytes, { explicit: false, siteOffsetMinutes: 480, fileName: '2022-05-26-NW202205262391921712.md' })
 */
export function checkPost(
  bytes: Uint8Array,
  options: { explicit: boolean; siteOffsetMinutes: number; fileName?: string },
): PostCheck {
  try {
    if (bytes.byteLength > MAX_POST_BYTES) {
      throw new PayloadTooLargeError(`request bodies are limited to ${MAX_POST_BYTES} bytes (1 MiB)`)
    }
    const text = decodeUtf8(bytes)
    if (text === undefined) throw new MalformedBodyError('the body is not valid UTF-8', 'body')
    if (!options.explicit && !/^\uFEFF?---[ \t]*\r?\n/.test(text)) {
      const detail = /^\s*\r?\n---[ \t]*\r?\n/.test(text)
        ? 'blank line before the front matter: Jekyll reads none (published without title), not imported'
        : 'no front matter: not a Jekyll post'
      return { kind: 'not-a-post', detail }
    }
    if (hasCorruptChars(text)) throw new MalformedBodyError('the body contains a NUL character', 'body')
    let fields: Record<string, unknown>
    let repairedTitle: string | undefined
    try {
      fields = parseJekyll(text)
    } catch (error) {
      const repaired = error instanceof MalformedBodyError ? repairTitle(text) : undefined
      if (!repaired) throw error
      fields = parseJekyll(repaired.text)
      repairedTitle = repaired.title
    }
    const draft = draftFromFields(fields, { siteOffsetMinutes: options.siteOffsetMinutes })
    const fromName = options.fileName === undefined ? undefined : fileNameInfoCode(options.fileName)
    const infoCode = draft.infoCode ?? fromName
    const codeSource: CodeSource | undefined =
      draft.infoCode !== undefined
        ? fields.infoCode
          ? 'front-matter'
          : 'share-link'
        : fromName
          ? 'file-name'
          : undefined
    return {
      kind: 'post',
      fields,
      infoCode,
      codeSource,
      publishedAt: draft.date.epochMs,
      categories: draft.categoryNames,
      tags: draft.tags,
      ...(repairedTitle !== undefined ? { repairedTitle } : {}),
    }
  } catch (error) {
    if (!(error instanceof DomainError)) throw error
    // The status the API would answer, from the same classifier.
    const { status } = classifyError(error)
    return { kind: 'invalid', status, type: error.type, detail: error.message, errors: error.errors }
  }
}

/**
 * The one front-matter defect of the real site's generator: it wrote `title: "{raw title}"` without escaping,
 * so a title holding `"` is not YAML. The title is what stands between the first and the last `"` of its
 * line; written back as a quoted YAML string. Undefined when the front matter has no such line.
 * @example repairTitle('---\ntitle: "他说"好""\n---\n正文')?.title // '他说"好"'
 */
export function repairTitle(text: string): { text: string; title: string } | undefined {
  const end = /\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/.exec(text.slice(3))
  if (!end) return undefined
  const frontEnd = 3 + end.index
  const front = text.slice(0, frontEnd)
  const line = /^title:[ \t]*"(.*)"[ \t]*\r?$/m.exec(front)
  if (!line || !(line[1] ?? '').includes('"')) return undefined
  const title = line[1] as string
  const fixed = `title: ${JSON.stringify(title)}`
  return {
    text: front.slice(0, line.index) + fixed + front.slice(line.index + line[0].length) + text.slice(frontEnd),
    title,
  }
}
