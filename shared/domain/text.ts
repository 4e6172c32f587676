// Characters XML 1.0 forbids or the W3C validator flags: C0 controls but tab/LF/CR, DEL and C1 controls,
// the non-characters U+FFFE/U+FFFF, and UTF-16 surrogates that are not part of a pair.
const UNSAFE_CHARS =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g

/** Drops the characters no feed or page may carry and NFC-normalises the rest. */
export function cleanText(value: string): string {
  // The lookbehind pattern is slow on long text; most text has no candidate character at all.
  return (MAYBE_UNSAFE.test(value) ? value.replace(UNSAFE_CHARS, '') : value).normalize('NFC')
}

const MAYBE_UNSAFE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uD800-\uDFFF\uFFFE\uFFFF]/

const MAYBE_CORRUPT = /[\u0000\uD800-\uDFFF]/

/** True when the string holds a NUL or an unpaired surrogate: the marks of binary or corrupted input. */
export function hasCorruptChars(value: string): boolean {
  // The lookaround pattern is slow on long text (5 µs on a 3 KB body, run on each upload's text and each of its
  // strings); most text has no NUL and no surrogate at all.
  return (
    MAYBE_CORRUPT.test(value) &&
    /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(value)
  )
}

/** Decodes UTF-8 strictly: undefined when the bytes are not valid UTF-8. */
export function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    return undefined
  }
}

/** True when a string shows something: a character that is neither white space nor invisible (U+200B, U+FEFF …). */
export function hasVisibleText(value: string): boolean {
  return /[^\s\p{Cf}]/u.test(value)
}

/** Collapses runs of white space into one space and trims. */
export function collapseWhitespace(value: string): string {
  return value.replace(/\s+/g, ' ').trim()
}

/** Cuts a string to at most `max` code points, ending with an ellipsis when cut. */
export function truncate(value: string, max: number): string {
  const chars = Array.from(value)
  if (chars.length <= max) return value
  return `${chars
    .slice(0, max - 1)
    .join('')
    .trimEnd()}…`
}

/** Length in code points, as a person counts characters. */
export function charLength(value: string): number {
  let n = 0
  for (const _ of value) n++
  return n
}
