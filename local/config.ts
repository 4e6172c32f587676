import { type ConfigOf, readConfig, type Setting, VARIABLES } from '#shared/config'

/** What `npm start`, the tests and the benchmarks run with when a variable is unset; never read in Lambda. */
export const LOCAL_DEFAULTS: Readonly<Record<string, string>> = {
  PUBLIC_BASE_URL: 'http://127.0.0.1:3000',
  TABLE_NAME: 'finews',
  BUCKET_NAME: 'finews-site',
  FEED_SIZE: '50',
  SITE_TIMEZONE: '+08:00',
  RATE_LIMIT_PER_MINUTE: '600',
  AWS_REGION: 'us-east-1',
  SITE_NAME: '财经新闻',
}

/** Settings only AWS has: the api's key secret (locally `API_KEY` or the development key) and origin secret. */
type SecretSetting = 'apiKeySecretArn' | 'originSecretArn'

/** Every setting but the secrets. */
export const LOCAL_SETTINGS = (Object.keys(VARIABLES) as Setting[]).filter(
  (setting): setting is Exclude<Setting, SecretSetting> =>
    setting !== 'apiKeySecretArn' && setting !== 'originSecretArn',
)

/** The configuration of a local run: every setting the functions read. */
export type LocalConfig = ConfigOf<Exclude<Setting, SecretSetting>>

/**
 * `readConfig` with the local defaults under `env` (an empty or blank variable takes the default).
 * @example const config = localConfig({ TABLE_NAME: 'bench' })
 */
export function localConfig(env: NodeJS.ProcessEnv = process.env): LocalConfig {
  const set = Object.fromEntries(Object.entries(env).filter(([, value]) => value?.trim()))
  // AWS_DEFAULT_REGION (the CLI's variable) wins over the default region, as readConfig reads it.
  const region = set.AWS_DEFAULT_REGION ? { AWS_REGION: set.AWS_DEFAULT_REGION } : {}
  return readConfig({ ...LOCAL_DEFAULTS, ...region, ...set }, LOCAL_SETTINGS)
}
