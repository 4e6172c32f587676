import { draftFromFields, parseJekyll } from '#shared/domain/article'
import { DomainError, type FieldError, MalformedBodyError, PayloadTooLargeError } from '#shared/domain/errors'
import { decodeUtf8, hasCorruptChars } from '#shared/domain/text'
import { classifyError } from '#shared/http/problem'

/** The API's MAX_BODY_BYTES (functions/api/app.ts): larger uploads are answered 413. */
export const MAX_POST_BYTES = 1024 * 1024

/** What the local check makes of a file. */
export type PostCheck =
  | {
      readonly kind: 'post'
      readonly infoCode: string | undefined
      /** Where the infoCode is: the front matter, or the first `NewsShare.html?infoCode=` link of the body. */
      readonly codeSource: 'front-matter' | 'body-link' | undefined
      readonly publishedAt: number
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
 * @example checkPost(bytes, { explicit: false, siteOffsetMinutes: 480 })
 */
export function checkPost(bytes: Uint8Array, options: { explicit: boolean; siteOffsetMinutes: number }): PostCheck {
  try {
    if (bytes.byteLength > MAX_POST_BYTES) {
      throw new PayloadTooLargeError(`request bodies are limited to ${MAX_POST_BYTES} bytes (1 MiB)`)
    }
    const text = decodeUtf8(bytes)
    if (text === undefined) throw new MalformedBodyError('the body is not valid UTF-8', 'body')
    if (!options.explicit && !/^\uFEFF?---[ \t]*\r?\n/.test(text)) {
      return { kind: 'not-a-post', detail: 'no front matter: not a Jekyll post' }
    }
    if (hasCorruptChars(text)) throw new MalformedBodyError('the body contains a NUL character', 'body')
    // draftFromJekyll in two steps, to see whether the infoCode was in the front matter.
    const fields = parseJekyll(text)
    const draft = draftFromFields(fields, { siteOffsetMinutes: options.siteOffsetMinutes })
    const codeSource = draft.infoCode === undefined ? undefined : fields.infoCode ? 'front-matter' : 'body-link'
    return { kind: 'post', infoCode: draft.infoCode, codeSource, publishedAt: draft.date.epochMs }
  } catch (error) {
    if (!(error instanceof DomainError)) throw error
    // The status the API would answer, from the same classifier.
    const { status } = classifyError(error)
    return { kind: 'invalid', status, type: error.type, detail: error.message, errors: error.errors }
  }
}
