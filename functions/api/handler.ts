import { handle } from 'hono/aws-lambda'
import { readSsmParameter } from '#shared/adapters/ssm-parameter'
import { loadConfig } from '#shared/config'
import { API_SETTINGS, apiAppFor } from './wiring.ts'

// Top-level await: without a custom domain the base URL comes from SSM, once per cold start. A missing
// variable throws here, so the function fails at init naming it instead of running on a guess.
const config = await loadConfig(process.env, readSsmParameter, API_SETTINGS)

/** The api Lambda: the Hono app behind API Gateway / Function URL events. */
export const handler = handle(apiAppFor(config))
