import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '#shared/config'

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
    )
    expect(config.publicBaseUrl).toBe('https://news.example.com')
    expect(ssm.calls).toEqual([])
  })

  it('is readConfig when neither is set (npm start, tests)', async () => {
    const ssm = parameters({})
    const config = await loadConfig({}, ssm.read)
    expect(config.publicBaseUrl).toBe('http://127.0.0.1:3000')
    expect(ssm.calls).toEqual([])
  })

  it('fails loudly when the parameter is missing or not a URL', async () => {
    await expect(loadConfig({ PUBLIC_BASE_URL_PARAMETER: '/missing' }, parameters({}).read)).rejects.toThrow(
      /ParameterNotFound/,
    )
    await expect(
      loadConfig({ PUBLIC_BASE_URL_PARAMETER: '/bad' }, parameters({ '/bad': 'not a url' }).read),
    ).rejects.toThrow(ConfigError)
  })
})
