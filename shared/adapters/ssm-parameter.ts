import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm'

/**
 * Reads one SSM String parameter, once, at cold start: settings the stack can only write after the
 * function exists (the CloudFront name of the site). Fails loudly rather than start with a wrong value.
 * @example const base = await readSsmParameter('/finews/Finews/public-base-url', 'eu-west-1')
 */
export async function readSsmParameter(name: string, region: string): Promise<string> {
  const client = new SSMClient({
    region,
    maxAttempts: 3,
    // Without throwOnRequestTimeout the SDK only warns at requestTimeout and a hung call stalls the cold start.
    requestHandler: { requestTimeout: 3_000, connectionTimeout: 2_000, throwOnRequestTimeout: true },
  })
  try {
    const out = await client.send(new GetParameterCommand({ Name: name }))
    const value = out.Parameter?.Value?.trim()
    if (!value) throw new Error(`SSM parameter ${name} is empty`)
    return value
  } finally {
    client.destroy()
  }
}
