import { randomInt } from 'node:crypto'
import { compactStamp } from './dates.ts'

/** The legacy article key: two capitals and eighteen digits. */
export const INFO_CODE_PATTERN = /^[A-Z]{2}\d{18}$/

/** A short-link code: 6–10 base62 characters. */
export const SHORT_CODE_PATTERN = /^[0-9A-Za-z]{6,10}$/

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'

/** True for a well-formed infoCode. */
export function isInfoCode(value: string): boolean {
  return INFO_CODE_PATTERN.test(value)
}

/**
 * A fresh infoCode: `NW`, the publish time in site time, four random digits.
 * Uniqueness is enforced by the store's conditional write, which asks again on a collision.
 */
export function generateInfoCode(epochMs: number, siteOffsetMinutes: number): string {
  return `NW${compactStamp(epochMs, siteOffsetMinutes)}${String(randomInt(0, 10_000)).padStart(4, '0')}`
}

/** A random 7-character base62 code (3.5e12 values; uniqueness is still enforced by a conditional write). */
export function generateShortCode(length = 7): string {
  let code = ''
  for (let i = 0; i < length; i++) code += BASE62[randomInt(0, 62)]
  return code
}
