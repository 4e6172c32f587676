import { handle } from 'hono/aws-lambda'
import { Hono } from 'hono/tiny'

// The bundle-size and cold-init baseline: the smallest Lambda the same framework makes (the apps use hono/tiny too).
const app = new Hono()
app.get('/', (c) => c.text('ok'))

/** A bare Hono app behind the Lambda adapter. */
export const handler = handle(app)
