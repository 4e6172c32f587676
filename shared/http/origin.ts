import type { MiddlewareHandler } from 'hono'
import { ForbiddenError } from '../domain/errors.ts'
import { type KeyProvider, keyMatches } from './auth.ts'

/** The header CloudFront adds to every request it sends to the API (its value is a secret only it knows). */
export const API_ORIGIN_HEADER = 'x-finews-origin'

/**
 * Refuses, with 403, any request whose origin header does not hold one of the accepted values: in AWS the API's
 * own execute-api URL is public, and only CloudFront adds the header. Compared in constant time, never logged.
 */
export function originCheck(accepted: KeyProvider): MiddlewareHandler {
  return async (c, next) => {
    const value = c.req.header(API_ORIGIN_HEADER)
    if (!value || !keyMatches(value, await accepted())) {
      throw new ForbiddenError('this API is reached through the site, not directly')
    }
    await next()
  }
}
