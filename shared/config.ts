import { parseOffset } from './domain/dates.ts'

/** Settings every function and the local server read once, at start. */
export interface Config {
  /** Where the site is reached by people: share links, feed ids and URLs derive from it. */
  readonly publicBaseUrl: string
  readonly tableName: string
  readonly bucketName: string
  readonly feedSize: number
  readonly siteOffsetMinutes: number
  readonly rateLimitPerMinute: number
  readonly region: string
  /** The site's name in pages, feeds and the OPML list. */
  readonly siteName: string
  /** The Secrets Manager secret holding the upload API's keys (api function only). */
  readonly apiKeySecretArn: string
  /** The secret holding the header value CloudFront adds to API requests (api function only). */
  readonly originSecretArn: string
  /** A WebSub hub to announce and ping; unset means none. */
  readonly websubHubUrl: string | undefined
  /** Endpoints for local servers; unset in AWS. */
  readonly dynamoEndpoint: string | undefined
  readonly s3Endpoint: string | undefined
}

/** The environment variable behind each setting a function may require. */
export const VARIABLES = {
  publicBaseUrl: 'PUBLIC_BASE_URL',
  tableName: 'TABLE_NAME',
  bucketName: 'BUCKET_NAME',
  feedSize: 'FEED_SIZE',
  siteOffsetMinutes: 'SITE_TIMEZONE',
  rateLimitPerMinute: 'RATE_LIMIT_PER_MINUTE',
  region: 'AWS_REGION',
  siteName: 'SITE_NAME',
  apiKeySecretArn: 'API_KEY_SECRET_ARN',
  originSecretArn: 'ORIGIN_SECRET_ARN',
} as const satisfies Partial<Record<keyof Config, string>>

/** A setting a function can require: its variable must be set, there is no default outside `local/`. */
export type Setting = keyof typeof VARIABLES
type OptionalSetting = 'websubHubUrl' | 'dynamoEndpoint' | 's3Endpoint'
/** The settings a function asked for, plus the optional ones every function may read. */
export type ConfigOf<K extends Setting> = Pick<Config, K | OptionalSetting>

/** Thrown at start when the environment is unusable; the message says which variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError'
}

const READERS: { [K in Setting]: (raw: string, name: string) => Config[K] } = {
  publicBaseUrl: (raw, name) => {
    const url = raw.replace(/\/+$/, '')
    try {
      new URL(url)
    } catch {
      throw new ConfigError(`${name} is not an absolute URL: ${url}`)
    }
    return url
  },
  tableName: text,
  bucketName: text,
  feedSize: (raw, name) => integer(raw, name, 1, 500),
  siteOffsetMinutes: (raw, name) => {
    const minutes = parseOffset(raw)
    if (minutes === undefined) throw new ConfigError(`${name} must look like +08:00, got ${raw}`)
    return minutes
  },
  rateLimitPerMinute: (raw, name) => integer(raw, name, 0, 1_000_000),
  region: text,
  siteName: text,
  apiKeySecretArn: text,
  originSecretArn: text,
}

/**
 * Reads the settings a function needs from the environment, once at start, and fails naming the first
 * variable that is unset or unusable: a Lambda never starts on a guessed table or bucket. Defaults for a
 * laptop live in `local/config.ts`.
 * @example const config = readConfig(process.env, ['tableName', 'region'])
 */
export function readConfig<K extends Setting>(env: NodeJS.ProcessEnv, needs: readonly K[]): ConfigOf<K> {
  const config: Record<string, unknown> = {
    websubHubUrl: env.WEBSUB_HUB_URL?.trim() || undefined,
    dynamoEndpoint: env.DYNAMODB_ENDPOINT?.trim() || undefined,
    s3Endpoint: env.S3_ENDPOINT?.trim() || undefined,
  }
  for (const setting of needs) {
    const name = VARIABLES[setting]
    // The Lambda runtime sets AWS_REGION; AWS_DEFAULT_REGION is what the CLI's users set.
    const raw = (setting === 'region' ? env.AWS_REGION || env.AWS_DEFAULT_REGION : env[name])?.trim()
    if (!raw) throw new ConfigError(`${name} is not set`)
    config[setting] = READERS[setting](raw, name)
  }
  return config as ConfigOf<K>
}

/**
 * `readConfig`, for a Lambda whose base URL is known only after it exists: when PUBLIC_BASE_URL is unset and
 * PUBLIC_BASE_URL_PARAMETER names an SSM parameter (AWS without a custom domain), reads it once at cold start,
 * after every other setting was found (a missing TABLE_NAME fails before any call).
 * @example const config = await loadConfig(process.env, readSsmParameter, ['publicBaseUrl', 'region'])
 */
export async function loadConfig<K extends Setting>(
  env: NodeJS.ProcessEnv,
  readParameter: (name: string, region: string) => Promise<string>,
  needs: readonly K[],
): Promise<ConfigOf<K>> {
  const parameter = env.PUBLIC_BASE_URL_PARAMETER?.trim()
  if (env.PUBLIC_BASE_URL?.trim() || !parameter) return readConfig(env, needs)
  const { region } = readConfig(env, [...needs.filter((setting) => setting !== 'publicBaseUrl'), 'region'])
  return readConfig({ ...env, PUBLIC_BASE_URL: await readParameter(parameter, region) }, needs)
}

function text(raw: string): string {
  return raw
}

function integer(raw: string, name: string, min: number, max: number): number {
  const value = Number(raw)
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, got ${raw}`)
  }
  return value
}
