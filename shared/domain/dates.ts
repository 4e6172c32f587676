/** A publish time with the offset it was written in. */
export interface PublishTime {
  /** ISO 8601 with the original (or site) offset, seconds precision: `2022-04-16T03:21:56+08:00`. */
  readonly iso: string
  /** Milliseconds since the epoch. */
  readonly epochMs: number
  /** Offset from UTC in minutes (+480 for +08:00). */
  readonly offsetMinutes: number
}

// Jekyll forms (`2022-04-16`, `2022-04-16 03:21:56 +0800`) and ISO 8601 (`2022-04-16T03:21:56+08:00`, `…Z`).
const DATE_PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i

/** Parses an offset such as `+08:00`, `+0800` or `Z` into minutes; undefined when malformed. */
export function parseOffset(value: string): number | undefined {
  if (/^z$/i.test(value)) return 0
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(value)
  if (!m) return undefined
  const hours = Number(m[2])
  const minutes = Number(m[3])
  if (hours > 14 || minutes > 59) return undefined
  return (m[1] === '-' ? -1 : 1) * (hours * 60 + minutes)
}

/** Formats an offset in minutes as `+08:00`. */
export function formatOffset(offsetMinutes: number): string {
  const sign = offsetMinutes < 0 ? '-' : '+'
  const abs = Math.abs(offsetMinutes)
  return `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
}

/**
 * Parses a publish date; a date without an offset is read in `defaultOffsetMinutes` (the site's zone).
 * Returns undefined for anything that is not a real calendar date and time.
 * @example parsePublishTime('2022-04-16 03:21:56 +0800', 480)?.iso // '2022-04-16T03:21:56+08:00'
 */
export function parsePublishTime(value: string, defaultOffsetMinutes: number): PublishTime | undefined {
  const m = DATE_PATTERN.exec(value.trim())
  if (!m) return undefined
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4] ?? '0', m[5] ?? '0', m[6] ?? '0'].map(Number)
  const offsetMinutes = m[8] === undefined ? defaultOffsetMinutes : parseOffset(m[8])
  if (offsetMinutes === undefined) return undefined
  if (
    year === undefined ||
    month === undefined ||
    day === undefined ||
    hour === undefined ||
    minute === undefined ||
    second === undefined
  )
    return undefined
  // Date.UTC reads years 0-99 as 1900-1999, and years below 1000 do not print as four digits.
  if (year < 1000) return undefined
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined
  if (hour > 23 || minute > 59 || second > 59) return undefined
  const epochMs = Date.UTC(year, month - 1, day, hour, minute, second) - offsetMinutes * 60_000
  return { iso: formatIso(epochMs, offsetMinutes), epochMs, offsetMinutes }
}

/** Formats an instant in a given offset: `2022-04-16T03:21:56+08:00`. */
export function formatIso(epochMs: number, offsetMinutes: number): string {
  const local = new Date(epochMs + offsetMinutes * 60_000)
  return `${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}T${pad(
    local.getUTCHours(),
  )}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}${formatOffset(offsetMinutes)}`
}

/** `yyyyMMddHHmmss` of an instant in the given offset, as the legacy infoCodes carry it. */
export function compactStamp(epochMs: number, offsetMinutes: number): string {
  return formatIso(epochMs, offsetMinutes).slice(0, 19).replace(/\D/g, '')
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate()
}

function pad(n: number): string {
  return String(n).padStart(2, '0')
}
