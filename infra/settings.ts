import type { Node } from 'constructs'

/** The deploy-time choices, read from CDK context (`cdk.json` or `cdk deploy -c key=value`). */
export interface FinewsSettings {
  /** The site's own host name (`news.example.com`); unset: the distribution's `*.cloudfront.net` name. */
  readonly domainName: string | undefined
  /** An ACM certificate in us-east-1 covering `domainName`; required with it. */
  readonly certificateArn: string | undefined
  /** A WebSub hub to announce in the feeds and ping on change; unset: no hub. */
  readonly websubHubUrl: string | undefined
  /** Items per feed. */
  readonly feedSize: number
}

/** A context value that cannot make a working deployment; thrown at synth, naming the key. */
export class SettingsError extends Error {
  override readonly name = 'SettingsError'
}

const DEFAULT_FEED_SIZE = 50
const HOST_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/
// CloudFront reads certificates from us-east-1 only, whatever region the stack lives in.
const CERTIFICATE_ARN = /^arn:aws[a-z-]*:acm:us-east-1:\d{12}:certificate\/[0-9a-f-]+$/

/**
 * Reads and checks the context; every key is optional, so a bare `cdk synth` works.
 * @example const settings = readSettings(app.node)
 */
export function readSettings(node: Node): FinewsSettings {
  const domainName = text(node, 'domainName')?.toLowerCase()
  const certificateArn = text(node, 'certificateArn')
  const websubHubUrl = text(node, 'websubHubUrl')
  if (domainName !== undefined && !HOST_NAME.test(domainName)) {
    throw new SettingsError(`context domainName must be a host name like news.example.com, got ${domainName}`)
  }
  if ((domainName === undefined) !== (certificateArn === undefined)) {
    throw new SettingsError(
      'context domainName and certificateArn go together: CloudFront needs a certificate for a name',
    )
  }
  if (certificateArn !== undefined && !CERTIFICATE_ARN.test(certificateArn)) {
    throw new SettingsError(`context certificateArn must be an ACM certificate in us-east-1, got ${certificateArn}`)
  }
  if (websubHubUrl !== undefined && !isHttpsUrl(websubHubUrl)) {
    throw new SettingsError(`context websubHubUrl must be an https URL, got ${websubHubUrl}`)
  }
  return { domainName, certificateArn, websubHubUrl, feedSize: feedSize(node) }
}

function text(node: Node, key: string): string | undefined {
  const value: unknown = node.tryGetContext(key)
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'string') throw new SettingsError(`context ${key} must be a string`)
  const trimmed = value.trim()
  return trimmed === '' ? undefined : trimmed
}

function feedSize(node: Node): number {
  const value: unknown = node.tryGetContext('feedSize')
  if (value === undefined || value === null || value === '') return DEFAULT_FEED_SIZE
  // `-c feedSize=30` arrives as a string, cdk.json gives a number.
  const size = typeof value === 'string' ? Number(value.trim()) : value
  if (typeof size !== 'number' || !Number.isInteger(size) || size < 1 || size > 500) {
    throw new SettingsError(`context feedSize must be a whole number from 1 to 500, got ${String(value)}`)
  }
  return size
}

function isHttpsUrl(value: string): boolean {
  try {
    return new URL(value).protocol === 'https:'
  } catch {
    return false
  }
}
