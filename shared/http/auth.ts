import { createHash, timingSafeEqual } from 'node:crypto'
import type { MiddlewareHandler } from 'hono'
import { UnauthorizedError } from '../domain/errors.ts'

/** Supplies the accepted API keys (from Secrets Manager in AWS, from the environment locally). */
export type KeyProvider = () => Promise<readonly string[]>

/**
 * True when `candidate` equals one of `accepted`. Both sides are hashed first so that the comparison
 * takes the same time whatever the lengths, and every key is compared (no early exit).
 */
export function keyMatches(candidate: string, accepted: readonly string[]): boolean {
  const digest = sha256(candidate)
  let match = false
  for (const key of accepted) match = timingSafeEqual(digest, sha256(key)) || match
  return match
}

/** Requires `Authorization: Bearer <key>`; the key is never logged. Sets `apiKeyId` (a hash prefix) for rate limits. */
export function bearerAuth(keys: KeyProvider): MiddlewareHandler<{ Variables: { apiKeyId: string } }> {
  return async (c, next) => {
    const header = c.req.header('authorization') ?? ''
    const match = /^Bearer[ ]+([\x21-\x7E]{1,512})\s*$/i.exec(header)
    if (!match?.[1]) throw new UnauthorizedError('send the API key as "Authorization: Bearer <key>"')
    const accepted = await keys()
    if (!keyMatches(match[1], accepted)) throw new UnauthorizedError('the API key is not accepted')
    c.set('apiKeyId', sha256(match[1]).subarray(0, 8).toString('hex'))
    await next()
  }
}

function sha256(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest()
}
