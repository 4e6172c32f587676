import { Validations } from 'aws-cdk-lib'
import type { IConstruct } from 'constructs'

/** The constructs whose cdk-nag findings the stack accepts. */
export interface AcknowledgedScopes {
  readonly apiKeySecret: IConstruct
  readonly apiOriginSecret: IConstruct
  readonly httpApi: IConstruct
  readonly distribution: IConstruct
  readonly feedsRole: IConstruct
  /** The site bucket's logical id as cdk-nag names it in IAM5 findings (`<StorageSiteXXXX.Arn>`). */
  readonly siteBucketLogicalId: string
  /** With a custom domain the distribution sets TLS 1.2 itself and CFR4 does not arise. */
  readonly customDomain: boolean
}

/**
 * Every cdk-nag AwsSolutions finding this stack accepts, each on the narrowest construct, with its rule id
 * and its reason. Anything else cdk-nag reports fails `cdk synth` and the infra tests.
 */
export function acknowledgeFindings(scopes: AcknowledgedScopes): void {
  Validations.of(scopes.apiKeySecret).acknowledge({
    id: 'AwsSolutions-SMG4',
    reason:
      'The secret holds bearer keys handed to editors and the importer; rotating means telling them, so ops rotate by hand with an overlap (README: a JSON array of old and new key, then the new key alone).',
  })
  Validations.of(scopes.apiOriginSecret).acknowledge({
    id: 'AwsSolutions-SMG4',
    reason:
      'Only CloudFront (an origin header, resolved from this secret when the distribution is deployed) and the api function know the value; no person or client holds it. An automatic rotation would change it under a distribution that keeps the old value until its next update, cutting the API off; README (Deploy) says how to replace it by hand.',
  })
  Validations.of(scopes.distribution).acknowledge({
    id: 'AwsSolutions-CFR3',
    reason:
      'Request logs use CloudFront standard logging v2 (AWS::Logs::Delivery to a CloudWatch Logs group), which cdk-nag does not see; legacy logging to a bucket is off on purpose because CloudFront cannot deliver it to buckets in opt-in regions. CloudFront takes the v2 delivery source in us-east-1 only: README (Deploy, request logs) says how to add it by hand for a stack elsewhere.',
  })
  Validations.of(scopes.httpApi).acknowledge({
    id: 'AwsSolutions-APIG4',
    reason:
      'The api function checks a bearer key from Secrets Manager on every /api route (constant-time compare, 401 with WWW-Authenticate), and refuses (403) any request without the origin header only CloudFront adds; /healthz is public through CloudFront by contract. An API Gateway authorizer would repeat those checks at extra cost and latency.',
  })
  Validations.of(scopes.distribution).acknowledge({
    id: 'AwsSolutions-CFR1',
    reason:
      'Public news feeds and share pages are for readers in every country (overseas Chinese readers, feed services hosted anywhere): no geographic restriction applies.',
  })
  Validations.of(scopes.distribution).acknowledge({
    id: 'AwsSolutions-CFR2',
    reason:
      'WAF costs at least 5 USD a month plus per-rule fees, more than the rest of the stack at rest; the API is authenticated and throttled at its HTTP API stage, the static feeds are cached. README says how to attach a web ACL when traffic warrants it.',
  })
  if (!scopes.customDomain) {
    Validations.of(scopes.distribution).acknowledge({
      id: 'AwsSolutions-CFR4',
      reason:
        'Without a custom domain the distribution uses the default *.cloudfront.net certificate, whose security policy CloudFront fixes at TLSv1; deploying with domainName and certificateArn sets TLSv1.2_2021.',
    })
  }
  const siteArn = `<${scopes.siteBucketLogicalId}.Arn>`
  Validations.of(scopes.feedsRole).acknowledge({
    id: `AwsSolutions-IAM5[Resource::${siteArn}/feeds/*]`,
    reason:
      'The feeds function writes one object per feed and category; the set grows with the categories, so the grant is the feeds/ prefix, nothing else in the bucket.',
  })
  Validations.of(scopes.feedsRole).acknowledge({
    id: `AwsSolutions-IAM5[Resource::${siteArn}/category/*]`,
    reason:
      'The feeds function writes one page per category; the set grows with the categories, so the grant is the category/ prefix, nothing else in the bucket.',
  })
  Validations.of(scopes.feedsRole).acknowledge({
    id: `AwsSolutions-IAM5[Resource::${siteArn}/archive/*]`,
    reason:
      'The feeds function writes the archive documents (RFC 5005 pages) of every feed; the set grows with the archive, so the grant is the archive/ prefix, nothing else in the bucket.',
  })
  Validations.of(scopes.feedsRole).acknowledge({
    id: `AwsSolutions-IAM5[Resource::${siteArn}/sitemaps/*]`,
    reason:
      'The feeds function writes one sitemap per feed archive and the news sitemap; the set grows with the categories, so the grant is the sitemaps/ prefix, nothing else in the bucket.',
  })
  Validations.of(scopes.feedsRole).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason:
      'dynamodb:ListStreams, added by the DynamoDB event source, has no resource-level permissions; the stream read actions themselves are on the table stream ARN only.',
  })
}
