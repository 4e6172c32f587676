import { handle } from 'hono/aws-lambda'
import { readSsmParameter } from '#shared/adapters/ssm-parameter'
import { loadConfig } from '#shared/config'
import { SHARE_SETTINGS, shareAppFor } from './wiring.ts'

// Top-level await: without a custom domain the base URL comes from SSM, once per cold start. A missing
// variable throws here, so the function fails at init naming it instead of running on a guess.
const config = await loadConfig(process.env, readSsmParameter, SHARE_SETTINGS)

/** The share Lambda: share pages and short links behind CloudFront (Function URL / API Gateway v2 events). */
export const handler = handle(shareAppFor(config))
