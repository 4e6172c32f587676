import { fileURLToPath } from 'node:url'
import { Duration, Validations } from 'aws-cdk-lib'
import type { ICertificate } from 'aws-cdk-lib/aws-certificatemanager'
import {
  AccessLevel,
  AllowedMethods,
  CachedMethods,
  CachePolicy,
  CacheQueryStringBehavior,
  Function as CloudFrontFunction,
  Distribution,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  type IOrigin,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  OriginSslPolicy,
  PriceClass,
  ResponseHeadersPolicy,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront'
import { FunctionUrlOrigin, HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins'
import type { IFunctionUrl } from 'aws-cdk-lib/aws-lambda'
import type { IBucket } from 'aws-cdk-lib/aws-s3'
import { Construct } from 'constructs'

const S3_RESPONSE_FUNCTION = fileURLToPath(new URL('../cloudfront/s3-response-headers.js', import.meta.url))

/** What the one distribution fronts. */
export interface SiteDistributionProps {
  /** Feeds, category pages and the home page, written by the feeds function. */
  readonly bucket: IBucket
  /** Receives CloudFront standard logs under `cloudfront/`. */
  readonly logBucket: IBucket
  /** The HTTP API's host name (`{id}.execute-api.{region}.amazonaws.com`) serving `/api/*`. */
  readonly apiDomainName: string
  /** The share function's URL (auth AWS_IAM), serving `/s/*` and `/html_News/*` through Origin Access Control. */
  readonly shareUrl: IFunctionUrl
  /** The site's host name and its us-east-1 certificate; unset: the `*.cloudfront.net` name. */
  readonly customDomain?: { readonly domainName: string; readonly certificate: ICertificate } | undefined
}

// The pages' own CSP (the share app sets one) wins; this one covers the S3 pages, which cannot set headers.
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  'img-src https: data:',
  'media-src https:',
  "style-src 'unsafe-inline'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ')

/**
 * One CloudFront distribution, one domain: S3 through Origin Access Control for `/`, `/feeds/*`,
 * `/category/*`; the API uncached with every method and the Authorization header; short links uncached;
 * share pages cached by `infoCode` alone; security headers on every answer.
 * @example new SiteDistribution(this, 'Cdn', { bucket, logBucket, apiDomainName, shareUrl })
 */
export class SiteDistribution extends Construct {
  readonly distribution: Distribution
  /** The cache policy of `/html_News/*`: keyed on the `infoCode` query string only, no cookies, no headers. */
  readonly sharePageCachePolicy: CachePolicy
  readonly responseHeadersPolicy: ResponseHeadersPolicy
  /** Turns the feeds' `x-amz-meta-finews-link` into a `Link` header (WebSub) on the S3 behaviours. */
  readonly s3ResponseFunction: CloudFrontFunction

  constructor(scope: Construct, id: string, props: SiteDistributionProps) {
    super(scope, id)

    this.responseHeadersPolicy = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'finews: security headers on every answer',
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy: CONTENT_SECURITY_POLICY, override: false },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN, override: false },
        strictTransportSecurity: { accessControlMaxAge: Duration.days(365), includeSubdomains: false, override: true },
      },
      removeHeaders: ['Server'],
    })

    this.sharePageCachePolicy = new CachePolicy(this, 'SharePage', {
      comment: 'finews: NewsShare.html keyed on infoCode only; no cookies, no headers',
      queryStringBehavior: CacheQueryStringBehavior.allowList('infoCode'),
      // The page's Cache-Control rules within these bounds; deletions (410) show within the default.
      minTtl: Duration.seconds(0),
      defaultTtl: Duration.minutes(5),
      maxTtl: Duration.days(1),
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    })

    const siteOrigin = S3BucketOrigin.withOriginAccessControl(props.bucket, {
      // LIST lets a missing feed answer 404 rather than S3's 403; no path reaches a listing (see README).
      originAccessLevels: [AccessLevel.READ, AccessLevel.LIST],
    })
    const apiOrigin: IOrigin = new HttpOrigin(props.apiDomainName, {
      protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
      originSslProtocols: [OriginSslPolicy.TLS_V1_2],
    })
    const shareOrigin = FunctionUrlOrigin.withOriginAccessControl(props.shareUrl)

    this.s3ResponseFunction = new CloudFrontFunction(this, 'S3ResponseHeaders', {
      comment: 'finews: Link header from S3 metadata; internal metadata headers removed',
      runtime: FunctionRuntime.JS_2_0,
      code: FunctionCode.fromFile({ filePath: S3_RESPONSE_FUNCTION }),
    })

    const staticBehavior = {
      origin: siteOrigin,
      viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      allowedMethods: AllowedMethods.ALLOW_GET_HEAD_OPTIONS,
      cachedMethods: CachedMethods.CACHE_GET_HEAD_OPTIONS,
      // The feeds function sets Cache-Control on every object; this policy honours it.
      cachePolicy: CachePolicy.CACHING_OPTIMIZED,
      responseHeadersPolicy: this.responseHeadersPolicy,
      functionAssociations: [{ function: this.s3ResponseFunction, eventType: FunctionEventType.VIEWER_RESPONSE }],
      compress: true,
    }

    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'finews: feeds, pages, share links and the upload API',
      defaultRootObject: 'index.html',
      defaultBehavior: staticBehavior,
      additionalBehaviors: {
        '/feeds/*': staticBehavior,
        '/category/*': staticBehavior,
        '/api/*': {
          origin: apiOrigin,
          viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: AllowedMethods.ALLOW_ALL,
          // With caching disabled, this origin request policy forwards Authorization with every header but Host.
          cachePolicy: CachePolicy.CACHING_DISABLED,
          originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
          responseHeadersPolicy: this.responseHeadersPolicy,
          compress: true,
        },
        '/s/*': {
          origin: shareOrigin,
          viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
          allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
          // Every click must reach the function to be counted; User-Agent tells people from crawlers.
          cachePolicy: CachePolicy.CACHING_DISABLED,
          originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
          responseHeadersPolicy: this.responseHeadersPolicy,
        },
        '/html_News/*': {
          origin: shareOrigin,
          viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
          allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
          cachedMethods: CachedMethods.CACHE_GET_HEAD,
          cachePolicy: this.sharePageCachePolicy,
          responseHeadersPolicy: this.responseHeadersPolicy,
          compress: true,
        },
      },
      // Readers are mostly in mainland China and Asia: class 200 has the Asian edges, not the priciest ones.
      priceClass: PriceClass.PRICE_CLASS_200,
      httpVersion: HttpVersion.HTTP2_AND_3,
      enableLogging: true,
      logBucket: props.logBucket,
      logFilePrefix: 'cloudfront/',
      // The default *.cloudfront.net certificate fixes its own policy; only a custom one takes TLS 1.2.
      ...(props.customDomain
        ? {
            domainNames: [props.customDomain.domainName],
            certificate: props.customDomain.certificate,
            minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
          }
        : {}),
    })
    Validations.of(this.distribution).acknowledge({
      id: 'Annotation::@aws-cdk/aws-cloudfront-origins:listBucketSecurityRisk',
      reason:
        'defaultRootObject is index.html, so a request for / reads that object; no other path names the bucket root, and the cache policies forward no query string to S3: no request can list the bucket.',
    })
  }
}
