import { Match, Template } from 'aws-cdk-lib/assertions'
import { describe, expect, it } from 'vitest'
import { OLD_POST_PATTERNS } from '../../infra/constructs/site-distribution.ts'
import { FEEDS_STREAM } from '../../infra/finews-stack.ts'
import { SettingsError } from '../../infra/settings.ts'
import { legacyPostTarget, MOVED_PAGES } from '../../shared/domain/legacy-urls.ts'
import { SITE_FEED } from '../../shared/domain/model.ts'
import {
  archivePageId,
  archivePageKeys,
  CATEGORIES_PAGE_KEY,
  NOT_FOUND_PAGE_KEY,
  SITEMAP_KEYS,
} from '../../shared/feeds/archive.ts'
import { feedObjectKeys, OPML_KEY } from '../../shared/feeds/formats.ts'
import { TABLE_SCHEMA } from '../../shared/table.ts'
import { actionsOfRole, buildStack, logicalId, statementsOfRole } from './synth.ts'

// GIVEN the stack as a bare `cdk synth` builds it (cdk.json context only), and one with a custom domain.
const stack = buildStack()
const template = Template.fromStack(stack)
const domainStack = buildStack({
  domainName: 'news.example.com',
  certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-aaaa-bbbb-cccc-123456789abc',
  websubHubUrl: 'https://pubsubhubbub.appspot.com/',
  feedSize: '30',
})
const domainTemplate = Template.fromStack(domainStack)

const tableId = logicalId(stack, stack.storage.table)
const siteBucketId = logicalId(stack, stack.storage.bucket)
const failureQueueId = logicalId(stack, stack.failureQueue)

function functionOf(template: Template, name: 'api' | 'feeds' | 'share') {
  const found = Object.values(template.findResources('AWS::Lambda::Function')).filter((fn) =>
    String(fn.Properties.Description).startsWith(`finews ${name}:`),
  )
  expect(found).toHaveLength(1)
  return found[0]!.Properties as Record<string, unknown> & { Environment: { Variables: Record<string, unknown> } }
}

describe('table', () => {
  it('uses the key schema of shared/table.ts, on demand, with streams of new and old images', () => {
    // THEN
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: TABLE_SCHEMA.partitionKey.name, KeyType: 'HASH' },
        { AttributeName: TABLE_SCHEMA.sortKey.name, KeyType: 'RANGE' },
      ],
      AttributeDefinitions: [
        { AttributeName: TABLE_SCHEMA.partitionKey.name, AttributeType: TABLE_SCHEMA.partitionKey.type },
        { AttributeName: TABLE_SCHEMA.sortKey.name, AttributeType: TABLE_SCHEMA.sortKey.type },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
    })
  })

  it('expires idempotency claims by the TTL attribute of shared/table.ts', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      TimeToLiveSpecification: { AttributeName: TABLE_SCHEMA.ttlAttribute, Enabled: true },
    })
  })

  it('has point-in-time recovery and deletion protection, and is retained', () => {
    template.hasResource('AWS::DynamoDB::Table', {
      Properties: Match.objectLike({
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: true,
      }),
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    })
  })
})

describe('buckets', () => {
  it('block every public access, are encrypted and retained (site and logs)', () => {
    const buckets = template.findResources('AWS::S3::Bucket')
    expect(Object.keys(buckets)).toHaveLength(2)
    for (const bucket of Object.values(buckets)) {
      expect(bucket.DeletionPolicy).toBe('Retain')
      expect(bucket.UpdateReplacePolicy).toBe('Retain')
      expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      })
      expect(bucket.Properties.BucketEncryption).toEqual({
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      })
    }
  })

  it('keeps versions of the site bucket and logs its access', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      VersioningConfiguration: { Status: 'Enabled' },
      LoggingConfiguration: Match.objectLike({ LogFilePrefix: 's3/' }),
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
    })
  })

  it('refuse any request without TLS', () => {
    const policies = template.findResources('AWS::S3::BucketPolicy')
    expect(Object.keys(policies)).toHaveLength(2)
    for (const policy of Object.values(policies)) {
      expect(policy.Properties.PolicyDocument.Statement).toContainEqual(
        expect.objectContaining({
          Effect: 'Deny',
          Action: 's3:*',
          Principal: { AWS: '*' },
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        }),
      )
    }
  })

  it('lets only this distribution read the site bucket, through Origin Access Control', () => {
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: siteBucketId },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            // GetObject only: a missing key answers 403, which the distribution maps to /404.html (below).
            Action: 's3:GetObject',
            Principal: { Service: 'cloudfront.amazonaws.com' },
            Condition: {
              StringEquals: {
                'AWS:SourceArn': {
                  'Fn::Join': ['', Match.arrayWith([{ Ref: logicalId(stack, stack.site.distribution) }])],
                },
              },
            },
          }),
        ]),
      },
    })
  })
})

describe('functions', () => {
  it('are three Node.js 24 functions on ARM64, each with its own log group kept one month', () => {
    const functions = template.findResources('AWS::Lambda::Function')
    expect(Object.keys(functions)).toHaveLength(3)
    for (const fn of Object.values(functions)) {
      expect(fn.Properties.Runtime).toBe('nodejs24.x')
      expect(fn.Properties.Architectures).toEqual(['arm64'])
      expect(fn.Properties.Handler).toBe('index.handler')
      expect(fn.Properties.LoggingConfig).toEqual({ LogGroup: { Ref: expect.stringMatching(/Logs/) } })
      // (source maps are not enabled at run time: they cost every cold start; README, Performance)
      expect(fn.Properties.Environment.Variables.NODE_OPTIONS).toBeUndefined()
    }
    const logGroups = Object.values(template.findResources('AWS::Logs::LogGroup'))
    expect(logGroups.length).toBeGreaterThanOrEqual(4)
    for (const group of logGroups) expect(group.Properties.RetentionInDays).toBe(30)
  })

  it('read their settings from the environment the bindings set', () => {
    // THEN every function gets the table, the feed size and the site time zone
    for (const name of ['api', 'feeds', 'share'] as const) {
      const variables = functionOf(template, name).Environment.Variables
      expect(variables.TABLE_NAME).toEqual({ Ref: tableId })
      expect(variables.FEED_SIZE).toBe('50')
      expect(variables.SITE_TIMEZONE).toBe('+08:00')
      expect(variables.SITE_NAME).toBe('财经新闻')
      expect(variables.WEBSUB_HUB_URL).toBeUndefined()
    }
    expect(functionOf(template, 'feeds').Environment.Variables.BUCKET_NAME).toEqual({ Ref: siteBucketId })
    expect(functionOf(template, 'api').Environment.Variables.API_KEY_SECRET_ARN).toEqual({
      Ref: logicalId(stack, stack.apiKeySecret),
    })
    expect(functionOf(template, 'share').Environment.Variables.API_KEY_SECRET_ARN).toBeUndefined()
  })

  it('without a custom domain: feeds get the distribution name, api and share read it from SSM', () => {
    const distributionId = logicalId(stack, stack.site.distribution)
    const baseUrl = { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distributionId, 'DomainName'] }]] }
    expect(functionOf(template, 'feeds').Environment.Variables.PUBLIC_BASE_URL).toEqual(baseUrl)
    for (const name of ['api', 'share'] as const) {
      const variables = functionOf(template, name).Environment.Variables
      expect(variables.PUBLIC_BASE_URL).toBeUndefined()
      expect(variables.PUBLIC_BASE_URL_PARAMETER).toBe('/finews/Finews/public-base-url')
    }
    template.hasResourceProperties('AWS::SSM::Parameter', {
      Name: '/finews/Finews/public-base-url',
      Type: 'String',
      Value: baseUrl,
    })
  })

  it('with a custom domain: every function gets https://{domainName}, no parameter exists', () => {
    for (const name of ['api', 'feeds', 'share'] as const) {
      const variables = functionOf(domainTemplate, name).Environment.Variables
      expect(variables.PUBLIC_BASE_URL).toBe('https://news.example.com')
      expect(variables.PUBLIC_BASE_URL_PARAMETER).toBeUndefined()
      expect(variables.FEED_SIZE).toBe('30')
      expect(variables.WEBSUB_HUB_URL).toBe('https://pubsubhubbub.appspot.com/')
    }
    domainTemplate.resourceCountIs('AWS::SSM::Parameter', 0)
  })
})

describe('least privilege', () => {
  it('api: table reads and writes, the API-key secret, the base URL parameter, its logs', () => {
    const roleId = logicalId(stack, stack.api.role)
    expect(actionsOfRole(template, roleId)).toEqual(
      [
        'dynamodb:BatchGetItem',
        'dynamodb:DeleteItem',
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:Query',
        'dynamodb:UpdateItem',
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        'secretsmanager:GetSecretValue',
        'ssm:GetParameter',
      ].sort(),
    )
    expect(statementsOfRole(template, roleId)).toContainEqual(
      expect.objectContaining({
        Action: 'secretsmanager:GetSecretValue',
        Resource: { Ref: logicalId(stack, stack.apiKeySecret) },
      }),
    )
  })

  it('share: GetItem, Query and UpdateItem on the table, the base URL parameter, its logs', () => {
    expect(actionsOfRole(template, logicalId(stack, stack.share.role))).toEqual([
      'dynamodb:GetItem',
      'dynamodb:Query',
      'dynamodb:UpdateItem',
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      'ssm:GetParameter',
    ])
  })

  it('feeds: Query, its archive items, stream reads, its objects in the bucket, the failure queue, its logs', () => {
    const roleId = logicalId(stack, stack.feeds.role)
    expect(actionsOfRole(template, roleId)).toEqual(
      [
        'dynamodb:DescribeStream',
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:GetRecords',
        'dynamodb:GetShardIterator',
        'dynamodb:ListStreams',
        'dynamodb:Query',
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        's3:GetObject',
        's3:ListBucket',
        's3:PutObject',
        'sqs:GetQueueAttributes',
        'sqs:GetQueueUrl',
        'sqs:SendMessage',
      ].sort(),
    )
    const objects = (suffix: string) => ({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [siteBucketId, 'Arn'] }, suffix]] })
    expect(statementsOfRole(template, roleId)).toContainEqual(
      expect.objectContaining({
        Action: ['s3:GetObject', 's3:PutObject'],
        Resource: [
          objects('/feeds/*'),
          objects('/category/*'),
          objects('/archive/*'),
          objects('/sitemaps/*'),
          objects('/index.html'),
          objects('/categories.html'),
          objects('/404.html'),
          objects('/sitemap.xml'),
          objects('/robots.txt'),
        ],
      }),
    )
  })

  it('with a custom domain, api and share lose the parameter grant', () => {
    expect(actionsOfRole(domainTemplate, logicalId(domainStack, domainStack.share.role))).toEqual([
      'dynamodb:GetItem',
      'dynamodb:Query',
      'dynamodb:UpdateItem',
      'logs:CreateLogStream',
      'logs:PutLogEvents',
    ])
    expect(actionsOfRole(domainTemplate, logicalId(domainStack, domainStack.api.role))).not.toContain(
      'ssm:GetParameter',
    )
  })

  it('no role carries a managed policy', () => {
    for (const role of Object.values(template.findResources('AWS::IAM::Role'))) {
      expect(role.Properties.ManagedPolicyArns).toBeUndefined()
    }
  })
})

describe('stream to feeds', () => {
  it('batches, bisects, retries a bounded number of times, reports item failures, parks failures in SQS', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [tableId, 'StreamArn'] },
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: FEEDS_STREAM.batchSize,
      MaximumBatchingWindowInSeconds: 1,
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 5,
      MaximumRecordAgeInSeconds: 6 * 3600,
      ParallelizationFactor: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [failureQueueId, 'Arn'] } } },
    })
  })

  it('lets only article and category records through (not the click counters beside articles)', () => {
    const [mapping] = Object.values(template.findResources('AWS::Lambda::EventSourceMapping'))
    const patterns = (mapping!.Properties.FilterCriteria.Filters as { Pattern: string }[]).map((f) =>
      JSON.parse(f.Pattern),
    )
    const pk = TABLE_SCHEMA.partitionKey.name
    const sk = TABLE_SCHEMA.sortKey.name
    expect(patterns).toEqual([
      { dynamodb: { Keys: { [pk]: { S: [{ prefix: 'ART#' }] }, [sk]: { S: ['ART'] } } } },
      { dynamodb: { Keys: { [pk]: { S: ['CAT'] } } } },
    ])
  })

  it('the failure queue is encrypted, TLS-only and has its own dead-letter queue', () => {
    const queues = template.findResources('AWS::SQS::Queue')
    expect(Object.keys(queues)).toHaveLength(2)
    for (const queue of Object.values(queues)) expect(queue.Properties.SqsManagedSseEnabled).toBe(true)
    template.hasResourceProperties('AWS::SQS::Queue', {
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [Match.anyValue(), 'Arn'] }, maxReceiveCount: 5 },
    })
    const policies = Object.values(template.findResources('AWS::SQS::QueuePolicy'))
    expect(policies).toHaveLength(2)
    for (const policy of policies) {
      expect(policy.Properties.PolicyDocument.Statement).toContainEqual(
        expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      )
    }
  })
})

describe('alarms', () => {
  it('watch each function’s errors, the failure queue and the stream’s iterator age', () => {
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties)
    expect(alarms.filter((a) => a.MetricName === 'Errors' && a.Namespace === 'AWS/Lambda')).toHaveLength(3)
    expect(alarms).toContainEqual(
      expect.objectContaining({
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [failureQueueId, 'QueueName'] } }],
        Threshold: 1,
      }),
    )
    expect(alarms).toContainEqual(
      expect.objectContaining({ MetricName: 'IteratorAge', Statistic: 'Maximum', Threshold: 60_000 }),
    )
    for (const alarm of alarms) expect(alarm.AlarmActions).toHaveLength(1)
  })
})

describe('distribution', () => {
  const config = () =>
    Object.values(template.findResources('AWS::CloudFront::Distribution'))[0]!.Properties.DistributionConfig as {
      DefaultRootObject: string
      CustomErrorResponses?: Record<string, unknown>[]
      DefaultCacheBehavior: Record<string, unknown>
      CacheBehaviors: Record<string, unknown>[]
      Origins: { Id: string; DomainName: unknown; OriginAccessControlId?: unknown; S3OriginConfig?: unknown }[]
    }
  const behavior = (path: string) => config().CacheBehaviors.find((b) => b.PathPattern === path)!
  const managedCachingDisabled = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad'
  const managedAllViewerExceptHost = 'b689b0a8-53d0-40ab-baf2-68738e2966ac'

  it('serves / as index.html from S3 through Origin Access Control, and /feeds/*, /category/* likewise', () => {
    expect(config().DefaultRootObject).toBe('index.html')
    const s3Origin = config().Origins.find((o) => o.S3OriginConfig)!
    expect(s3Origin.OriginAccessControlId).toBeDefined()
    expect(config().DefaultCacheBehavior.TargetOriginId).toBe(s3Origin.Id)
    for (const path of ['/feeds/*', '/category/*']) {
      expect(behavior(path)).toMatchObject({ TargetOriginId: s3Origin.Id, ViewerProtocolPolicy: 'redirect-to-https' })
    }
    template.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: Match.objectLike({ OriginAccessControlOriginType: 's3', SigningBehavior: 'always' }),
    })
  })

  it("answers S3's miss (403 without s3:ListBucket) with /404.html and status 404, cached a minute, and maps nothing else", () => {
    // A 404 mapping would replace the API's problem+json 404s and the share function's 404 pages: 403 only.
    expect(config().CustomErrorResponses).toEqual([
      { ErrorCode: 403, ResponseCode: 404, ResponsePagePath: '/404.html', ErrorCachingMinTTL: 60 },
    ])
  })

  it('serves the archive, the sitemaps and robots.txt from S3, cached as long as each object says', () => {
    // No behaviour but the default (S3) matches these paths; its managed CachingOptimized policy honours the
    // objects' Cache-Control up to a year, so archive documents (a day) outlive heads (5 minutes) at the edge.
    const patterns = config().CacheBehaviors.map((b) => String(b.PathPattern))
    expect(patterns.filter((p) => p.startsWith('/archive') || p.startsWith('/sitemap') || p === '/robots.txt')).toEqual(
      [],
    )
    expect(config().DefaultCacheBehavior.CachePolicyId).toBe('658327ea-f89d-4fab-a63d-7e88639e58f6')
    expect(behavior('/feeds/*').CachePolicyId).toBe('658327ea-f89d-4fab-a63d-7e88639e58f6')
  })

  it('runs the S3 response function (WebSub Link header) on every S3 behaviour, at viewer response', () => {
    const association = [
      {
        EventType: 'viewer-response',
        FunctionARN: { 'Fn::GetAtt': [logicalId(stack, stack.site.s3ResponseFunction), 'FunctionARN'] },
      },
    ]
    expect(config().DefaultCacheBehavior.FunctionAssociations).toEqual(association)
    expect(behavior('/feeds/*').FunctionAssociations).toEqual(association)
    for (const path of ['/category/*', ...Object.keys(MOVED_PAGES)]) {
      expect(behavior(path).FunctionAssociations).toEqual(expect.arrayContaining(association))
    }
    template.hasResourceProperties('AWS::CloudFront::Function', {
      FunctionConfig: Match.objectLike({ Runtime: 'cloudfront-js-2.0' }),
    })
  })

  it("answers the old site's /feed.xml, /emnews/ and /category/{name}.html with the redirect function, at viewer request", () => {
    const redirects = {
      EventType: 'viewer-request',
      FunctionARN: { 'Fn::GetAtt': [logicalId(stack, stack.site.legacyRedirectsFunction), 'FunctionARN'] },
    }
    for (const path of ['/category/*', ...Object.keys(MOVED_PAGES)]) {
      expect(behavior(path).FunctionAssociations).toEqual(expect.arrayContaining([redirects]))
    }
  })

  it('sends every old post URL pattern to the share function, after the S3 and share behaviours', () => {
    const share = behavior('/html_News/*').TargetOriginId
    const paths = config().CacheBehaviors.map((b) => b.PathPattern)
    for (const pattern of OLD_POST_PATTERNS) {
      expect(behavior(pattern)).toMatchObject({ TargetOriginId: share, AllowedMethods: ['GET', 'HEAD'] })
      expect(paths.indexOf(pattern)).toBeGreaterThan(paths.indexOf('/category/*'))
    }
  })

  describe('routes each path as CloudFront does (the first behaviour in order whose pattern matches)', () => {
    // CloudFront's `*` matches any characters, `/` included; `?` exactly one (taken here as any one, `/` too: the
    // widest reading, so a bucket key that passes here cannot reach the share function in AWS either).
    const behaviorOf = (path: string) => {
      const matches = (pattern: string) =>
        new RegExp(
          `^${pattern
            .replace(/[.+^${}()|[\]\\]/g, '\\$&')
            .replace(/\*/g, '.*')
            .replace(/\?/g, '.')}$`,
        ).test(path)
      return config().CacheBehaviors.find((b) => matches(String(b.PathPattern))) ?? config().DefaultCacheBehavior
    }
    const originOf = (path: string) => String(behaviorOf(path).TargetOriginId)
    const s3 = () => String(config().DefaultCacheBehavior.TargetOriginId)
    const share = () => String(behavior('/html_News/*').TargetOriginId)
    const served = (key: string) => encodeURI(`/${key}`)
    const boundary = '2022-05-31T09:00:00.000Z#NW202205312398034850'

    it.each(
      [undefined, 'markets', '上海证券报', '2022']
        .flatMap((slug) => Object.values(feedObjectKeys(slug)))
        .concat(
          [SITE_FEED, 'markets', '2022'].flatMap((feed) =>
            ['first', archivePageId(boundary)].flatMap((id) => Object.values(archivePageKeys(feed, id))),
          ),
          Object.values(SITEMAP_KEYS),
          [OPML_KEY, CATEGORIES_PAGE_KEY, NOT_FOUND_PAGE_KEY],
        )
        .map(served),
    )('sends %s, a key the feeds function writes, to the bucket', (path) => {
      expect(originOf(path)).toBe(s3())
      // npm start's share app, mounted before the static site (local/pipeline.ts), leaves it alone too.
      expect(legacyPostTarget(path)).toBeUndefined()
    })

    it.each([
      '/cailianshe/2022/05/31/NW202205312398034850.html',
      '/cailianshe/2022/05/31/NW202205312398034850',
      '/emnews/2022/05/26/202205262391921712.html',
      '/career/in/touxingpevc/2022/05/20/x.html',
      encodeURI('/anxinguojizhengquan(xianggang)/2022/05/20/开.html'),
      '/2021/12/01/init.html',
      '/2021/12/01/init',
    ])('sends the old post URL %s to the share function', (path) => {
      expect(originOf(path)).toBe(share())
      expect(legacyPostTarget(path)).toBeDefined()
    })

    it.each([...Object.keys(MOVED_PAGES), '/category/Wind.html'])(
      'sends %s to the bucket behind the redirect function',
      (path) => {
        expect(originOf(path)).toBe(s3())
        expect(behaviorOf(path).FunctionAssociations).toContainEqual({
          EventType: 'viewer-request',
          FunctionARN: { 'Fn::GetAtt': [logicalId(stack, stack.site.legacyRedirectsFunction), 'FunctionARN'] },
        })
      },
    )
  })

  it('sends /api/* uncached, with every method and every viewer header but Host (Authorization included)', () => {
    expect(behavior('/api/*')).toMatchObject({
      AllowedMethods: ['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'POST', 'DELETE'],
      CachePolicyId: managedCachingDisabled,
      OriginRequestPolicyId: managedAllViewerExceptHost,
      ViewerProtocolPolicy: 'https-only',
    })
  })

  it('sends /s/* uncached to the share function URL through Origin Access Control', () => {
    expect(behavior('/s/*')).toMatchObject({
      AllowedMethods: ['GET', 'HEAD'],
      CachePolicyId: managedCachingDisabled,
      OriginRequestPolicyId: managedAllViewerExceptHost,
    })
    template.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: Match.objectLike({ OriginAccessControlOriginType: 'lambda' }),
    })
    template.hasResourceProperties('AWS::Lambda::Url', { AuthType: 'AWS_IAM' })
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunctionUrl',
      Principal: 'cloudfront.amazonaws.com',
    })
  })

  it('caches /html_News/* keyed on the infoCode query string only, with no cookies and no headers', () => {
    const policyId = logicalId(stack, stack.site.sharePageCachePolicy)
    expect(behavior('/html_News/*')).toMatchObject({
      CachePolicyId: { Ref: policyId },
      AllowedMethods: ['GET', 'HEAD'],
    })
    expect(behavior('/html_News/*').OriginRequestPolicyId).toBeUndefined()
    template.hasResourceProperties('AWS::CloudFront::CachePolicy', {
      CachePolicyConfig: Match.objectLike({
        ParametersInCacheKeyAndForwardedToOrigin: Match.objectLike({
          QueryStringsConfig: { QueryStringBehavior: 'whitelist', QueryStrings: ['infoCode'] },
          CookiesConfig: { CookieBehavior: 'none' },
          HeadersConfig: { HeaderBehavior: 'none' },
        }),
      }),
    })
  })

  it('adds security headers to every behaviour', () => {
    const policyId = { Ref: logicalId(stack, stack.site.responseHeadersPolicy) }
    expect(config().DefaultCacheBehavior.ResponseHeadersPolicyId).toEqual(policyId)
    for (const b of config().CacheBehaviors) expect(b.ResponseHeadersPolicyId).toEqual(policyId)
    template.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: Match.objectLike({
        SecurityHeadersConfig: Match.objectLike({
          ContentTypeOptions: { Override: true },
          FrameOptions: { FrameOption: 'DENY', Override: true },
          StrictTransportSecurity: Match.objectLike({ AccessControlMaxAgeSec: 31_536_000 }),
          ContentSecurityPolicy: Match.objectLike({
            ContentSecurityPolicy: Match.stringLikeRegexp("default-src 'none'"),
          }),
          ReferrerPolicy: Match.objectLike({ ReferrerPolicy: 'strict-origin-when-cross-origin' }),
        }),
      }),
    })
  })

  it('with a custom domain: the alias, the certificate and TLS 1.2 at least', () => {
    domainTemplate.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        Aliases: ['news.example.com'],
        ViewerCertificate: {
          AcmCertificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-aaaa-bbbb-cccc-123456789abc',
          MinimumProtocolVersion: 'TLSv1.2_2021',
          SslSupportMethod: 'sni-only',
        },
      }),
    })
  })

  it('the upload API stage is throttled and logs access', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
      AccessLogSettings: Match.objectLike({ DestinationArn: Match.anyValue() }),
    })
  })
})

describe('secret and outputs', () => {
  it('generates the API key and outputs where everything is', () => {
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: Match.objectLike({ PasswordLength: 48, ExcludePunctuation: true }),
    })
    for (const name of ['DistributionUrl', 'ApiKeySecretName', 'TableName', 'BucketName']) {
      template.hasOutput(name, Match.anyValue())
    }
  })

  it('only the api function may read the secret', () => {
    const readers = Object.values(template.findResources('AWS::IAM::Policy')).filter((policy) =>
      JSON.stringify(policy.Properties.PolicyDocument).includes('secretsmanager:'),
    )
    expect(readers).toHaveLength(1)
    expect(readers[0]!.Properties.Roles).toEqual([{ Ref: logicalId(stack, stack.api.role) }])
  })
})

describe('context', () => {
  it('rejects settings that cannot deploy, naming the key', () => {
    expect(() => buildStack({ domainName: 'news.example.com' })).toThrow(SettingsError)
    expect(() =>
      buildStack({
        domainName: 'news.example.com',
        certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/0f1e2d3c',
      }),
    ).toThrow(/us-east-1/)
    expect(() => buildStack({ feedSize: '0' })).toThrow(/feedSize/)
    expect(() => buildStack({ websubHubUrl: 'http://hub.example.com' })).toThrow(/websubHubUrl/)
  })
})

describe('observability (Powertools metrics in EMF)', () => {
  it('names each function’s Powertools service', () => {
    for (const name of ['api', 'feeds', 'share'] as const) {
      expect(functionOf(template, name).Environment.Variables.POWERTOOLS_SERVICE_NAME).toBe(`finews-${name}`)
    }
  })

  it('alarms on failed stream records and failed uploads from the functions’ own metrics, to the topic', () => {
    for (const [name, dimensions] of [
      ['StreamRecordsFailed', [{ Name: 'service', Value: 'finews-feeds' }]],
      [
        'Uploads',
        [
          { Name: 'outcome', Value: 'failed' },
          { Name: 'service', Value: 'finews-api' },
        ],
      ],
    ] as const) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'finews',
        MetricName: name,
        Dimensions: dimensions,
        AlarmActions: Match.anyValue(),
      })
    }
  })

  it('has a dashboard of uploads by outcome, feeds, short links, render time and every alarm', () => {
    const dashboards = Object.values(template.findResources('AWS::CloudWatch::Dashboard'))
    expect(dashboards).toHaveLength(1)
    const body = JSON.stringify(dashboards[0]!.Properties.DashboardBody)
    for (const text of [
      'Uploads',
      'unchanged',
      'FeedsRegenerated',
      'RegenerationTime',
      'RenderTime',
      'ClicksCounted',
      'CrawlersIgnored',
      'StreamRecordsFailed',
    ]) {
      expect(body).toContain(text)
    }
    // Bodies shown by their summary, as the metric helper files them: by the service that rendered them.
    for (const service of ['finews-share', 'finews-feeds']) {
      expect(body).toContain(`\\"RenderFallback\\",\\"service\\",\\"${service}\\"`)
    }
    const alarms = Object.keys(template.findResources('AWS::CloudWatch::Alarm'))
    for (const alarm of alarms) expect(body).toContain(alarm)
  })
})
