import { parseOffset } from './domain/dates.ts'

/** Settings every function and the local server read once, at start. */
export interface Config {
  /** Where the site is reached by people: share links, feed ids and URLs derive from it. */
  readonly publicBaseUrl: string
  readonly tableName: string
  readonly bucketName: string
  readonly feedSize: number
  readonly siteOffsetMinutes: number
  readonly websubHubUrl: string | undefined
  readonly rateLimitPerMinute: number
  /** Endpoints for local servers; unset in AWS. */
  readonly dynamoEndpoint: string | undefined
  readonly s3Endpoint: string | undefined
  readonly region: string
  readonly siteName: string
}

/** Thrown at start when the environment is unusable; the message says which variable. */
export class ConfigError extends Error {}

/**
 * Reads the environment once; fails loudly on a bad value rather than at the first request.
 * @example const config = readConfig()
 */
export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const publicBaseUrl = trimSlash(required(env, 'PUBLIC_BASE_URL', 'http://127.0.0.1:3000'))
  try {
    new URL(publicBaseUrl)
  } catch {
    throw new ConfigError(`PUBLIC_BASE_URL is not an absolute URL: ${publicBaseUrl}`)
  }
  const siteTimezone = env.SITE_TIMEZONE ?? '+08:00'
  const siteOffsetMinutes = parseOffset(siteTimezone)
  if (siteOffsetMinutes === undefined) throw new ConfigError(`SITE_TIMEZONE must look like +08:00, got ${siteTimezone}`)
  const hub = env.WEBSUB_HUB_URL?.trim()
  return {
    publicBaseUrl,
    tableName: required(env, 'TABLE_NAME', 'finews'),
    bucketName: required(env, 'BUCKET_NAME', 'finews-site'),
    feedSize: integer(env, 'FEED_SIZE', 50, 1, 500),
    siteOffsetMinutes,
    websubHubUrl: hub ? hub : undefined,
    rateLimitPerMinute: integer(env, 'RATE_LIMIT_PER_MINUTE', 600, 0, 1_000_000),
    dynamoEndpoint: env.DYNAMODB_ENDPOINT || undefined,
    s3Endpoint: env.S3_ENDPOINT || undefined,
    region: env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1',
    siteName: env.SITE_NAME ?? '财经新闻',
  }
}

/**
 * `readConfig`, for a Lambda whose base URL is known only after it exists: when PUBLIC_BASE_URL is unset and
 * PUBLIC_BASE_URL_PARAMETER names an SSM parameter (AWS without a custom domain), reads it once at cold start.
 * @example const config = await loadConfig(process.env, readSsmParameter)
 */
export async function loadConfig(
  env: NodeJS.ProcessEnv,
  readParameter: (name: string, region: string) => Promise<string>,
): Promise<Config> {
  const parameter = env.PUBLIC_BASE_URL_PARAMETER?.trim()
  if (env.PUBLIC_BASE_URL?.trim() || !parameter) return readConfig(env)
  const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1'
  return readConfig({ ...env, PUBLIC_BASE_URL: await readParameter(parameter, region) })
}

function required(env: NodeJS.ProcessEnv, name: string, fallback: string): string {
  const value = env[name]?.trim()
  return value ? value : fallback
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]?.trim()
  if (!raw) return fallback
  const value = Number(raw)
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, got ${raw}`)
  }
  return value
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '')
}
