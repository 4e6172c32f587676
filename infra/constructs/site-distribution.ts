import { fileURLToPath } from 'node:url'
import { ArnFormat, Aws, CfnCondition, type CfnResource, Duration, Fn, Names, RemovalPolicy, Stack } from 'aws-cdk-lib'
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
  FunctionUrlOriginAccessControl,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  type IOrigin,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  OriginSslPolicy,
  PriceClass,
  ResponseHeadersPolicy,
  S3OriginAccessControl,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront'
import { FunctionUrlOrigin, HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins'
import type { IFunctionUrl } from 'aws-cdk-lib/aws-lambda'
import { CfnDelivery, CfnDeliveryDestination, CfnDeliverySource, LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs'
import type { IBucket } from 'aws-cdk-lib/aws-s3'
import { Construct, type IConstruct } from 'constructs'
import { MOVED_PAGES } from '../../shared/domain/legacy-urls.ts'
import { NOT_FOUND_PAGE_KEY } from '../../shared/feeds/archive.ts'

const S3_RESPONSE_FUNCTION = fileURLToPath(new URL('../cloudfront/s3-response-headers.js', import.meta.url))
const LEGACY_REDIRECTS_FUNCTION = fileURLToPath(new URL('../cloudfront/legacy-redirects.js', import.meta.url))

/**
 * Path patterns of every post URL the old Jekyll site published (`/{categories}/{yyyy}/{mm}/{dd}/{name}.html`,
 * and `/{yyyy}/{mm}/{dd}/{name}.html` for a post without categories), with or without `.html` (its feed's
 * entry ids, which GitHub Pages answered): the share function 301s them, and answers anything else 404.
 */
export const OLD_POST_PATTERNS = ['/*/????/??/??/*', '/????/??/??/*'] as const

/** The bucket's miss (S3's 403 under Origin Access Control without s3:ListBucket) as the site's 404 page. */
const NOT_FOUND_RESPONSE = {
  httpStatus: 403,
  responseHttpStatus: 404,
  responsePagePath: `/${NOT_FOUND_PAGE_KEY}`,
  ttl: Duration.seconds(60),
} as const

/** What the one distribution fronts. */
export interface SiteDistributionProps {
  /** Feeds, category pages and the home page, written by the feeds function. */
  readonly bucket: IBucket
  /** The header CloudFront adds to every request to the API; the api function refuses requests without it. */
  readonly apiOriginHeader: { readonly name: string; readonly value: string }
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
 * A name for an account-wide CloudFront resource (policies, origin access controls) that is unique per stack and
 * per region: CloudFront names live in one namespace per account, so a second region's deployment of the same
 * stack would otherwise collide with the first.
 * @example responseHeadersPolicyName: regionalName(this, 'SecurityHeaders', 128)
 */
export function regionalName(scope: IConstruct, suffix: string, maxLength: number): string {
  // Region names are at most 14 characters ("ap-southeast-5"); the construct path makes stacks differ.
  const local = Names.uniqueResourceName(scope, { maxLength: Math.min(48, maxLength - suffix.length - 16) })
  return Fn.join('-', [`${local}${suffix}`, Aws.REGION])
}

/** Where CloudFront's request logs go; see README (Deploy, logs) for the choice. */
export const CLOUDFRONT_LOGS = {
  /** CloudFront accepts its delivery source (standard logging v2) only in this region. */
  deliveryRegion: 'us-east-1',
  retention: RetentionDays.ONE_MONTH,
} as const

/**
 * One CloudFront distribution, one domain: S3 through Origin Access Control for `/`, `/feeds/*`,
 * `/category/*`; the API uncached with every method and the Authorization header; short links uncached;
 * share pages cached by `infoCode` alone; security headers on every answer.
 * @example new SiteDistribution(this, 'Cdn', { bucket, apiDomainName, apiOriginHeader, shareUrl })
 */
export class SiteDistribution extends Construct {
  readonly distribution: Distribution
  /** The cache policy of `/html_News/*`: keyed on the `infoCode` query string only, no cookies, no headers. */
  readonly sharePageCachePolicy: CachePolicy
  readonly responseHeadersPolicy: ResponseHeadersPolicy
  /** Turns the feeds' `x-amz-meta-finews-link` into a `Link` header (WebSub) on the S3 behaviours. */
  readonly s3ResponseFunction: CloudFrontFunction
  /** 301s the old site's moved pages (MOVED_PAGES) and `/category/{name as written}.html` (viewer request). */
  readonly legacyRedirectsFunction: CloudFrontFunction
  /** True in us-east-1 only: whether the access-log delivery (standard logging v2) exists. */
  readonly accessLogsCondition: CfnCondition

  constructor(scope: Construct, id: string, props: SiteDistributionProps) {
    super(scope, id)

    this.responseHeadersPolicy = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      responseHeadersPolicyName: regionalName(this, 'SecurityHeaders', 128),
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
      cachePolicyName: regionalName(this, 'SharePage', 128),
      comment: 'finews: NewsShare.html keyed on infoCode only; no cookies, no headers',
      queryStringBehavior: CacheQueryStringBehavior.allowList('infoCode'),
      // The page's Cache-Control rules within these bounds; deletions (410) show within the default.
      minTtl: Duration.seconds(0),
      defaultTtl: Duration.minutes(5),
      maxTtl: Duration.days(1),
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    })

    const siteAccessControl = new S3OriginAccessControl(this, 'SiteAccess', {
      originAccessControlName: regionalName(this, 'Site', 64),
      description: 'finews: CloudFront reads the site bucket',
    })
    const shareAccessControl = new FunctionUrlOriginAccessControl(this, 'ShareAccess', {
      originAccessControlName: regionalName(this, 'Share', 64),
      description: 'finews: CloudFront calls the share function URL',
    })
    const siteOrigin = S3BucketOrigin.withOriginAccessControl(props.bucket, {
      originAccessControl: siteAccessControl,
      // READ only (no s3:ListBucket): a missing key answers S3's 403, which the distribution alone maps to
      // /404.html with status 404 (errorResponses below); no request can list the bucket.
      originAccessLevels: [AccessLevel.READ],
    })
    const apiOrigin: IOrigin = new HttpOrigin(props.apiDomainName, {
      protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
      originSslProtocols: [OriginSslPolicy.TLS_V1_2],
      // The execute-api URL is public: this header, which only CloudFront knows, tells the api a request came
      // through the distribution (CloudFront overwrites a viewer header of the same name).
      customHeaders: { [props.apiOriginHeader.name]: props.apiOriginHeader.value },
    })
    const shareOrigin = FunctionUrlOrigin.withOriginAccessControl(props.shareUrl, {
      originAccessControl: shareAccessControl,
    })

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

    this.legacyRedirectsFunction = new CloudFrontFunction(this, 'LegacyRedirects', {
      comment: 'finews: the old site /feed.xml, /emnews/ and /category/{name}.html, one 301 each',
      runtime: FunctionRuntime.JS_2_0,
      code: FunctionCode.fromFile({ filePath: LEGACY_REDIRECTS_FUNCTION }),
    })
    // The S3 behaviour with the old site's redirects in front: a slug page is served, any other name 301s.
    const oldSiteBehavior = {
      ...staticBehavior,
      functionAssociations: [
        ...staticBehavior.functionAssociations,
        { function: this.legacyRedirectsFunction, eventType: FunctionEventType.VIEWER_REQUEST },
      ],
    }
    // Old post URLs: the share function answers one 301 to the share page (a read only for names without
    // 18 digits); the 301 and a 404 are cached by path, as their Cache-Control says.
    const oldPostBehavior = {
      origin: shareOrigin,
      viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
      cachedMethods: CachedMethods.CACHE_GET_HEAD,
      cachePolicy: CachePolicy.CACHING_OPTIMIZED,
      responseHeadersPolicy: this.responseHeadersPolicy,
    }

    const apiBehavior = {
      origin: apiOrigin,
      viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
      allowedMethods: AllowedMethods.ALLOW_ALL,
      // With caching disabled, this origin request policy forwards Authorization with every header but Host.
      cachePolicy: CachePolicy.CACHING_DISABLED,
      originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      responseHeadersPolicy: this.responseHeadersPolicy,
      compress: true,
    }

    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'finews: feeds, pages, share links and the upload API',
      defaultRootObject: 'index.html',
      // A key the bucket does not hold (a broken or mistyped link): the site's Chinese page, status 404, instead of
      // S3's AccessDenied XML. Only 403, the bucket's miss: a 404 mapping would replace the API's problem+json
      // 404s and the share function's own 404 pages, as error responses apply to every behaviour. Cached a
      // minute, so a page published just after a miss shows soon (docs/operations.md, Missing pages).
      errorResponses: [NOT_FOUND_RESPONSE],
      defaultBehavior: staticBehavior,
      additionalBehaviors: {
        '/feeds/*': staticBehavior,
        '/category/*': oldSiteBehavior,
        // Exact paths (/feed.xml, the old rolling-news page /emnews/), so the emnews posts stay old posts.
        ...Object.fromEntries(Object.keys(MOVED_PAGES).map((path) => [path, oldSiteBehavior])),
        '/api/*': apiBehavior,
        // The api's health check, uncached, so a monitor sees the function and its origin secret working.
        '/healthz': { ...apiBehavior, allowedMethods: AllowedMethods.ALLOW_GET_HEAD },
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
        // After /category/* and the others: those paths never take these patterns' place.
        ...Object.fromEntries(OLD_POST_PATTERNS.map((pattern) => [pattern, oldPostBehavior])),
      },
      // Readers are mostly in mainland China and Asia: class 200 has the Asian edges, not the priciest ones.
      priceClass: PriceClass.PRICE_CLASS_200,
      httpVersion: HttpVersion.HTTP2_AND_3,
      // No legacy standard logging: it writes to a bucket with ACLs and cannot deliver to a bucket in an opt-in
      // region (ap-east-1, af-south-1, eu-south-1, me-south-1, ...), which fails the deployment there.
      // The default *.cloudfront.net certificate fixes its own policy; only a custom one takes TLS 1.2.
      ...(props.customDomain
        ? {
            domainNames: [props.customDomain.domainName],
            certificate: props.customDomain.certificate,
            minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
          }
        : {}),
    })
    this.accessLogsCondition = this.deliverAccessLogs()
  }

  /**
   * CloudFront standard logging v2 into a CloudWatch Logs group. CloudFront takes its delivery source only in
   * us-east-1, so these resources exist when the stack is deployed there; in any other region the template
   * creates none of them and deploys all the same (README: how to add a delivery from us-east-1 by hand).
   */
  private deliverAccessLogs(): CfnCondition {
    const condition = new CfnCondition(this, 'AccessLogsHere', {
      expression: Fn.conditionEquals(Aws.REGION, CLOUDFRONT_LOGS.deliveryRegion),
    })
    const group = new LogGroup(this, 'AccessLogs', {
      retention: CLOUDFRONT_LOGS.retention,
      removalPolicy: RemovalPolicy.DESTROY,
    })
    const source = new CfnDeliverySource(this, 'AccessLogsSource', {
      name: regionalName(this, 'Source', 60),
      logType: 'ACCESS_LOGS',
      resourceArn: this.distribution.distributionArn,
    })
    const destination = new CfnDeliveryDestination(this, 'AccessLogsDestination', {
      name: regionalName(this, 'Destination', 60),
      // The group's ARN without the `:*` that its Arn attribute carries.
      destinationResourceArn: Stack.of(this).formatArn({
        service: 'logs',
        resource: 'log-group',
        resourceName: group.logGroupName,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      }),
      outputFormat: 'json',
    })
    const delivery = new CfnDelivery(this, 'AccessLogsDelivery', {
      deliverySourceName: source.ref,
      deliveryDestinationArn: destination.attrArn,
    })
    for (const resource of [group.node.defaultChild as CfnResource, source, destination, delivery]) {
      resource.cfnOptions.condition = condition
    }
    return condition
  }
}
