import { randomUUID } from 'node:crypto'
import type { MiddlewareHandler } from 'hono'
import { correlated } from '../observability.ts'

/** What `hono/aws-lambda` puts in `c.env`: the event (API Gateway, Function URL) and the Lambda context. */
interface LambdaBindings {
  readonly event?: { readonly requestContext?: { readonly requestId?: string } }
  readonly lambdaContext?: { readonly awsRequestId?: string }
}

/**
 * Makes each request one unit of correlated work: its log lines carry the request id API Gateway or the
 * Function URL gave it (a fresh UUID outside Lambda), and its metrics are flushed when it ends.
 * @example app.use('*', observed())
 */
export function observed(): MiddlewareHandler {
  return (c, next) => {
    const env = c.env as LambdaBindings | undefined
    const id = env?.event?.requestContext?.requestId ?? env?.lambdaContext?.awsRequestId ?? randomUUID()
    return correlated(id, next)
  }
}
