import { ArnFormat, CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib'
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway'
import { HttpApi, HttpStage, LogGroupLogDestination, PayloadFormatVersion } from 'aws-cdk-lib/aws-apigatewayv2'
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations'
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager'
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch'
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions'
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam'
import { FilterCriteria, FilterRule, FunctionUrlAuthType, StartingPosition } from 'aws-cdk-lib/aws-lambda'
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources'
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs'
import type { CfnBucket } from 'aws-cdk-lib/aws-s3'
import { Secret } from 'aws-cdk-lib/aws-secretsmanager'
import { Topic } from 'aws-cdk-lib/aws-sns'
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs'
import { StringParameter } from 'aws-cdk-lib/aws-ssm'
import type { Construct } from 'constructs'
import { API_ORIGIN_HEADER } from '../shared/http/origin.ts'
import { keys, TABLE_SCHEMA } from '../shared/table.ts'
import { FinewsFunction } from './constructs/finews-function.ts'
import { Observability } from './constructs/observability.ts'
import { SiteDistribution } from './constructs/site-distribution.ts'
import { SiteStorage } from './constructs/site-storage.ts'
import { acknowledgeFindings } from './nag-acknowledgements.ts'
import type { FinewsSettings } from './settings.ts'

/** The stack's inputs: the context settings; no account or region, so one template deploys anywhere. */
export interface FinewsStackProps extends StackProps {
  readonly settings: FinewsSettings
}

/** Where the site's time zone lives for every function: the publisher is in China. */
const SITE_TIMEZONE = '+08:00'
/** The site's name in pages and feeds; the functions require it (no default outside local/). */
const SITE_NAME = '财经新闻'

/** Stream settings of the feeds function; exported so tests and README quote the same numbers. */
export const FEEDS_STREAM = {
  batchSize: 100,
  // Lambda counts this window in whole seconds: 1 s is the shortest that still batches a burst of uploads.
  maxBatchingWindow: Duration.seconds(1),
  retryAttempts: 5,
  maxRecordAge: Duration.hours(6),
} as const

/**
 * The whole deployment: table and bucket, the api, feeds and share functions, the stream that drives the
 * feeds, one CloudFront distribution in front of everything, the API-key secret, alarms and outputs.
 * @example new FinewsStack(app, 'Finews', { settings: readSettings(app.node) })
 */
export class FinewsStack extends Stack {
  readonly storage: SiteStorage
  readonly api: FinewsFunction
  readonly feeds: FinewsFunction
  readonly share: FinewsFunction
  readonly site: SiteDistribution
  readonly apiKeySecret: Secret
  /** The value CloudFront sends to the API in the origin header (API_ORIGIN_HEADER). */
  readonly apiOriginSecret: Secret
  /** Where every alarm notifies. */
  readonly alarmTopic: Topic
  readonly failureQueue: Queue
  /** Name of the SSM parameter holding the base URL, when no custom domain gives it at synth. */
  readonly observability: Observability
  readonly publicBaseUrlParameterName: string | undefined

  constructor(scope: Construct, id: string, props: FinewsStackProps) {
    super(scope, id, props)
    const { settings } = props

    this.storage = new SiteStorage(this, 'Storage')
    const { table, bucket } = this.storage

    const alarmTopic = new Topic(this, 'Alarms', { displayName: 'finews alarms', enforceSSL: true })
    this.alarmTopic = alarmTopic
    // enforceSSL gives the topic a policy of its own, which replaces SNS's default one: without this Allow,
    // CloudWatch is refused when an alarm publishes, and no alarm ever notifies anyone.
    alarmTopic.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchAlarmsPublish',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [alarmTopic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': this.account },
          ArnLike: {
            'aws:SourceArn': this.formatArn({
              service: 'cloudwatch',
              resource: 'alarm',
              resourceName: '*',
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          },
        },
      }),
    )

    const common: Record<string, string> = {
      FEED_SIZE: String(settings.feedSize),
      SITE_TIMEZONE,
      SITE_NAME,
      ...(settings.websubHubUrl ? { WEBSUB_HUB_URL: settings.websubHubUrl } : {}),
    }

    // A custom domain is known at synth; otherwise the base is the distribution's own name, which api and
    // share (its origins) cannot take as an environment variable without a dependency cycle. They read it
    // from an SSM parameter written after the distribution, once per cold start.
    const fixedBaseUrl = settings.domainName ? `https://${settings.domainName}` : undefined
    this.publicBaseUrlParameterName = fixedBaseUrl ? undefined : `/finews/${this.stackName}/public-base-url`
    const baseUrlEnvironment: Record<string, string> = fixedBaseUrl ? { PUBLIC_BASE_URL: fixedBaseUrl } : {}

    this.apiKeySecret = new Secret(this, 'ApiKey', {
      description: 'finews upload API bearer keys: one key as text, or a JSON array of keys during a rotation',
      generateSecretString: { passwordLength: 48, excludePunctuation: true, includeSpace: false },
      removalPolicy: RemovalPolicy.DESTROY,
    })

    this.api = new FinewsFunction(this, 'Api', {
      name: 'api',
      description: 'finews api: upload API (Hono), articles and categories',
      memorySize: 1024,
      // Two secret reads (origin, keys) and a DynamoDB call that gives up, with time left to answer 503; under
      // the HTTP API's 30 s integration limit (tests/infra/timeout-budget.test.ts).
      timeout: Duration.seconds(25),
      environment: { ...common, ...baseUrlEnvironment, RATE_LIMIT_PER_MINUTE: '600' },
      alarmTopic,
    })
    // What the article store (shared/adapters/dynamodb-article-*.ts) sends for the API: Get, Query, BatchGet, and
    // TransactWriteItems made of Put, Update and Delete items (each authorised by its own action).
    this.api.bindTable(table, ['GetItem', 'BatchGetItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem'])
    this.api.bindApiKeySecret(this.apiKeySecret)

    // Only CloudFront knows this value: it sends it to the API as a header, and the api function refuses any
    // request without it, so the public execute-api URL leads nowhere.
    this.apiOriginSecret = new Secret(this, 'ApiOriginSecret', {
      description: `finews: value CloudFront sends to the API in the ${API_ORIGIN_HEADER} header`,
      generateSecretString: { passwordLength: 40, excludePunctuation: true, includeSpace: false },
      removalPolicy: RemovalPolicy.DESTROY,
    })
    this.api.bindOriginSecret(this.apiOriginSecret)

    this.share = new FinewsFunction(this, 'Share', {
      name: 'share',
      description: 'finews share: share pages and short links (Hono)',
      memorySize: 512,
      // A DynamoDB call that gives up, with time left to answer 503 (tests/infra/timeout-budget.test.ts).
      timeout: Duration.seconds(15),
      environment: { ...common, ...baseUrlEnvironment },
      alarmTopic,
    })
    // The page, its categories and short codes are GetItem; the click counter is UpdateItem (ADD).
    this.share.bindTable(table, ['GetItem', 'Query', 'UpdateItem'])

    if (this.publicBaseUrlParameterName) {
      this.api.bindPublicBaseUrlParameter(this.publicBaseUrlParameterName)
      this.share.bindPublicBaseUrlParameter(this.publicBaseUrlParameterName)
    }

    const shareUrl = this.share.function.addFunctionUrl({ authType: FunctionUrlAuthType.AWS_IAM })
    const httpApi = this.createHttpApi(this.api)

    this.site = new SiteDistribution(this, 'Cdn', {
      bucket,
      apiOriginHeader: { name: API_ORIGIN_HEADER, value: this.apiOriginSecret.secretValue.unsafeUnwrap() },
      apiDomainName: `${httpApi.apiId}.execute-api.${this.region}.${this.urlSuffix}`,
      shareUrl,
      customDomain:
        settings.domainName && settings.certificateArn
          ? {
              domainName: settings.domainName,
              certificate: Certificate.fromCertificateArn(this, 'Certificate', settings.certificateArn),
            }
          : undefined,
    })
    const baseUrl = fixedBaseUrl ?? `https://${this.site.distribution.distributionDomainName}`
    if (this.publicBaseUrlParameterName) {
      new StringParameter(this, 'PublicBaseUrl', {
        parameterName: this.publicBaseUrlParameterName,
        stringValue: baseUrl,
        description: 'finews: base of share links, feed ids and feed URLs (the CloudFront domain)',
      })
    }

    this.feeds = new FinewsFunction(this, 'Feeds', {
      name: 'feeds',
      description: 'finews feeds: regenerates RSS, Atom, JSON Feed and pages from the table stream',
      memorySize: 1024,
      timeout: Duration.seconds(60),
      // Not an origin of the distribution, so it may take the distribution's name directly.
      environment: { ...common, PUBLIC_BASE_URL: baseUrl },
      alarmTopic,
    })
    // Feeds read memberships (latest, archive ranges), categories and archive boundaries with bounded Query
    // calls; they read and write their own ARCH# items (page boundaries, where the head ended).
    this.feeds.bindTable(table, ['Query', 'GetItem', 'PutItem'])
    this.feeds.bindBucket(bucket, {
      actions: ['s3:GetObject', 's3:PutObject'],
      keyPatterns: [
        'feeds/*',
        'category/*',
        'archive/*',
        'sitemaps/*',
        'index.html',
        'categories.html',
        '404.html',
        'sitemap.xml',
        'robots.txt',
      ],
      listBucket: true,
    })
    this.failureQueue = this.subscribeFeedsToStream(this.feeds, alarmTopic)

    // The dashboard and alarms on the functions' own metrics (EMF through Powertools), beside the alarms above.
    this.observability = new Observability(this, 'Observability', {
      alarmTopic,
      alarms: this.node.findAll().filter((c): c is Alarm => c instanceof Alarm),
    })

    new CfnOutput(this, 'DistributionUrl', { value: baseUrl, description: 'The site: feeds, pages, share links, API' })
    new CfnOutput(this, 'CloudFrontDomainName', {
      value: this.site.distribution.distributionDomainName,
      description: 'Point the custom domain (CNAME or alias) here',
    })
    new CfnOutput(this, 'ApiKeySecretName', {
      value: this.apiKeySecret.secretName,
      description: 'aws secretsmanager get-secret-value --secret-id <this> gives the upload API key',
    })
    new CfnOutput(this, 'ApiOriginSecretName', {
      value: this.apiOriginSecret.secretName,
      description: 'The value CloudFront sends to the API as x-finews-origin (README: The API only through CloudFront)',
    })
    new CfnOutput(this, 'TableName', { value: table.tableName })
    new CfnOutput(this, 'BucketName', { value: bucket.bucketName })
    new CfnOutput(this, 'FeedFailureQueueUrl', {
      value: this.failureQueue.queueUrl,
      description: 'Stream batches the feeds function gave up on',
    })
    new CfnOutput(this, 'AlarmTopicArn', { value: alarmTopic.topicArn, description: 'Subscribe ops here' })

    acknowledgeFindings({
      apiKeySecret: this.apiKeySecret,
      apiOriginSecret: this.apiOriginSecret,
      httpApi,
      distribution: this.site.distribution,
      feedsRole: this.feeds.role,
      siteBucketLogicalId: this.getLogicalId(bucket.node.defaultChild as CfnBucket),
      customDomain: fixedBaseUrl !== undefined,
    })
  }

  /** An HTTP API in front of the api function: plain bodies (no client-side signing), throttling, access logs. */
  private createHttpApi(api: FinewsFunction): HttpApi {
    const httpApi = new HttpApi(this, 'HttpApi', {
      description: 'finews upload API, reached through CloudFront /api/*',
      defaultIntegration: new HttpLambdaIntegration('Api', api.function, {
        payloadFormatVersion: PayloadFormatVersion.VERSION_2_0,
      }),
      createDefaultStage: false,
    })
    const accessLogs = new LogGroup(this, 'HttpApiAccessLogs', {
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    })
    new HttpStage(this, 'HttpApiStage', {
      httpApi,
      stageName: '$default',
      autoDeploy: true,
      // Editors and the importer, not the public: beyond this a runaway client gets 429 before any Lambda runs.
      throttle: { rateLimit: 50, burstLimit: 100 },
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            ip: '$context.identity.sourceIp',
            time: '$context.requestTime',
            method: '$context.httpMethod',
            path: '$context.path',
            status: '$context.status',
            latencyMs: '$context.responseLatency',
            bytes: '$context.responseLength',
            error: '$context.integrationErrorMessage',
          }),
        ),
      },
    })
    return httpApi
  }

  /**
   * Drives the feeds function from the table's stream: only article and category records pass the filter,
   * failing records are retried in halves, then parked in an encrypted, TLS-only queue with its own DLQ.
   */
  private subscribeFeedsToStream(feeds: FinewsFunction, alarmTopic: Topic): Queue {
    const parked = new Queue(this, 'FeedFailuresDlq', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    })
    const failureQueue = new Queue(this, 'FeedFailures', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      deadLetterQueue: { queue: parked, maxReceiveCount: 5 },
    })

    const pk = TABLE_SCHEMA.partitionKey.name
    const sk = TABLE_SCHEMA.sortKey.name
    // Article keys from the one key layout: the partition prefix (`ART#`) and the article's sort key (`ART`).
    const article = keys.article('')
    const ARTICLE_PREFIX = article.pk
    feeds.function.addEventSource(
      new DynamoEventSource(this.storage.table, {
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: FEEDS_STREAM.batchSize,
        maxBatchingWindow: FEEDS_STREAM.maxBatchingWindow,
        bisectBatchOnError: true,
        retryAttempts: FEEDS_STREAM.retryAttempts,
        maxRecordAge: FEEDS_STREAM.maxRecordAge,
        reportBatchItemFailures: true,
        // One batch at a time per shard: two regenerations of one feed never race each other.
        parallelizationFactor: 1,
        onFailure: new SqsDlq(failureQueue),
        // Memberships and short links follow from article records; only these two kinds change a feed (click
        // counters share the article's partition under another sort key: a click invokes nothing).
        filters: [
          FilterCriteria.filter({
            dynamodb: {
              Keys: { [pk]: { S: FilterRule.beginsWith(ARTICLE_PREFIX) }, [sk]: { S: FilterRule.isEqual(article.sk) } },
            },
          }),
          FilterCriteria.filter({ dynamodb: { Keys: { [pk]: { S: FilterRule.isEqual(keys.categoryPartition) } } } }),
        ],
      }),
    )

    // A message in either queue is a record the feeds gave up on: one alarm each, to the topic.
    const queueHoldsMessage = (id: string, alarmDescription: string, queue: Queue) =>
      new Alarm(this, id, {
        alarmDescription,
        metric: queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }).addAlarmAction(new SnsAction(alarmTopic))
    queueHoldsMessage(
      'FeedFailuresAlarm',
      'finews feeds: stream records were given up on; see README (Deploy, failures)',
      failureQueue,
    )
    queueHoldsMessage(
      'FeedFailuresDlqAlarm',
      'finews feeds: failure records were received 5 times and parked in the dead-letter queue',
      parked,
    )

    new Alarm(this, 'FeedsIteratorAgeAlarm', {
      alarmDescription: 'finews feeds: the stream is read more than a minute late (feeds are stale)',
      metric: feeds.function.metric('IteratorAge', { period: Duration.minutes(1), statistic: 'Maximum' }),
      threshold: 60_000,
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    }).addAlarmAction(new SnsAction(alarmTopic))

    return failureQueue
  }
}
