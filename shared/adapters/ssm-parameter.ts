import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm'
import { clientOptions, SSM_LIMITS } from './client-limits.ts'

/**
 * Reads one SSM String parameter, once, at cold start: settings the stack can only write after the
 * function exists (the CloudFront name of the site). Fails loudly rather than start with a wrong value.
 * @example const base = await readSsmParameter('/finews/Finews/public-base-url', 'eu-west-1')
 */
export async function readSsmParameter(name: string, region: string): Promise<string> {
  const client = new SSMClient({
    region,
    ...clientOptions(SSM_LIMITS),
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
