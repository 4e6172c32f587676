import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig, readConfig } from '#shared/config'
import { localConfig } from '../../local/config.ts'

/** A parameter reader that records its calls and answers from a map. */
function parameters(values: Record<string, string>) {
  const calls: [string, string][] = []
  const read = async (name: string, region: string) => {
    calls.push([name, region])
    const value = values[name]
    if (value === undefined) throw new Error(`ParameterNotFound: ${name}`)
    return value
  }
  return { read, calls }
}

describe('loadConfig (the base URL of a Lambda without a custom domain)', () => {
  it('reads the base URL from the named SSM parameter, in the function’s region, once', async () => {
    // Prepare
    const ssm = parameters({ '/finews/Finews/public-base-url': 'https://d111111abcdef8.cloudfront.net/' })
    // Act
    const config = await loadConfig(
      { PUBLIC_BASE_URL_PARAMETER: '/finews/Finews/public-base-url', AWS_REGION: 'ap-east-1', TABLE_NAME: 't' },
      ssm.read,
      ['publicBaseUrl', 'tableName', 'region'],
    )
    // Assess
    expect(config.publicBaseUrl).toBe('https://d111111abcdef8.cloudfront.net')
    expect(config.tableName).toBe('t')
    expect(ssm.calls).toEqual([['/finews/Finews/public-base-url', 'ap-east-1']])
  })

  it('prefers PUBLIC_BASE_URL when the stack knows it (custom domain) and reads no parameter', async () => {
    const ssm = parameters({})
    const config = await loadConfig(
      { PUBLIC_BASE_URL: 'https://news.example.com', PUBLIC_BASE_URL_PARAMETER: '/x' },
      ssm.read,
      ['publicBaseUrl'],
    )
    expect(config.publicBaseUrl).toBe('https://news.example.com')
    expect(ssm.calls).toEqual([])
  })

  it('fails naming PUBLIC_BASE_URL when neither is set, reading no parameter; the default is local only', async () => {
    const ssm = parameters({})
    await expect(loadConfig({}, ssm.read, ['publicBaseUrl'])).rejects.toThrow(
      new ConfigError('PUBLIC_BASE_URL is not set'),
    )
    expect(ssm.calls).toEqual([])
    expect(localConfig({}).publicBaseUrl).toBe('http://127.0.0.1:3000')
  })

  it('checks every other setting before calling SSM', async () => {
    const ssm = parameters({ '/p': 'https://news.example.com' })
    await expect(
      loadConfig({ PUBLIC_BASE_URL_PARAMETER: '/p', AWS_REGION: 'ap-east-1' }, ssm.read, [
        'publicBaseUrl',
        'tableName',
      ]),
    ).rejects.toThrow(new ConfigError('TABLE_NAME is not set'))
    expect(ssm.calls).toEqual([])
  })

  it('fails loudly when the parameter is missing or not a URL', async () => {
    const region = { AWS_REGION: 'us-east-1' }
    await expect(
      loadConfig({ ...region, PUBLIC_BASE_URL_PARAMETER: '/missing' }, parameters({}).read, ['publicBaseUrl']),
    ).rejects.toThrow(/ParameterNotFound/)
    await expect(
      loadConfig({ ...region, PUBLIC_BASE_URL_PARAMETER: '/bad' }, parameters({ '/bad': 'not a url' }).read, [
        'publicBaseUrl',
      ]),
    ).rejects.toThrow(ConfigError)
  })
})

describe('readConfig (no defaults outside local/)', () => {
  const complete = {
    PUBLIC_BASE_URL: 'https://news.example.com/',
    TABLE_NAME: 't',
    BUCKET_NAME: 'b',
    FEED_SIZE: '30',
    SITE_TIMEZONE: '+09:00',
    RATE_LIMIT_PER_MINUTE: '0',
    AWS_REGION: 'ap-east-1',
    SITE_NAME: '新闻',
    API_KEY_SECRET_ARN: 'arn:aws:secretsmanager:ap-east-1:123456789012:secret:k',
  }

  it('reads each variable into its setting', () => {
    expect(
      readConfig(complete, [
        'publicBaseUrl',
        'tableName',
        'bucketName',
        'feedSize',
        'siteOffsetMinutes',
        'rateLimitPerMinute',
        'region',
        'siteName',
        'apiKeySecretArn',
      ]),
    ).toEqual({
      publicBaseUrl: 'https://news.example.com',
      tableName: 't',
      bucketName: 'b',
      feedSize: 30,
      siteOffsetMinutes: 540,
      rateLimitPerMinute: 0,
      region: 'ap-east-1',
      siteName: '新闻',
      apiKeySecretArn: complete.API_KEY_SECRET_ARN,
      websubHubUrl: undefined,
      dynamoEndpoint: undefined,
      s3Endpoint: undefined,
    })
  })

  it.each([
    ['TABLE_NAME', 'tableName'],
    ['BUCKET_NAME', 'bucketName'],
    ['SITE_NAME', 'siteName'],
    ['API_KEY_SECRET_ARN', 'apiKeySecretArn'],
    ['FEED_SIZE', 'feedSize'],
  ] as const)('fails naming %s when it is unset or blank', (name, setting) => {
    expect(() => readConfig({ ...complete, [name]: undefined }, [setting])).toThrow(
      new ConfigError(`${name} is not set`),
    )
    expect(() => readConfig({ ...complete, [name]: '  ' }, [setting])).toThrow(new ConfigError(`${name} is not set`))
  })

  it('reads only what a function asks for', () => {
    expect(readConfig({ TABLE_NAME: 't' }, ['tableName'])).toEqual({
      tableName: 't',
      websubHubUrl: undefined,
      dynamoEndpoint: undefined,
      s3Endpoint: undefined,
    })
  })
})
