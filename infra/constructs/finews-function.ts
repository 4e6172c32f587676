import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib'
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch'
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions'
import type { ITable } from 'aws-cdk-lib/aws-dynamodb'
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam'
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda'
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs'
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs'
import type { IBucket } from 'aws-cdk-lib/aws-s3'
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager'
import type { ITopic } from 'aws-cdk-lib/aws-sns'
import { Construct } from 'constructs'
import { serviceName } from './observability.ts'

const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url))

/** The Lambda runtime of every function: the newest Node.js Lambda offers (cdk-nag AwsSolutions-L1 asks for it). */
export const FUNCTION_RUNTIME = Runtime.NODEJS_24_X

/** DynamoDB actions a function may be granted on the table, without the `dynamodb:` prefix. */
export type TableAction =
  | 'GetItem'
  | 'BatchGetItem'
  | 'Query'
  | 'PutItem'
  | 'UpdateItem'
  | 'DeleteItem'
  | 'ConditionCheckItem'

/** S3 object actions a function may be granted under some key patterns. */
export type ObjectAction = 's3:GetObject' | 's3:PutObject'

/** How one of the project's Lambda functions is built and run. */
export interface FinewsFunctionProps {
  /** The folder under `functions/` whose `handler.ts` exports `handler`. */
  readonly name: 'api' | 'feeds' | 'share'
  readonly description: string
  /** @default 512 MB */
  readonly memorySize?: number
  /** @default 10 seconds */
  readonly timeout?: Duration
  /** Settings every handler reads with `readConfig()` (FEED_SIZE, SITE_TIMEZONE, …). */
  readonly environment: Readonly<Record<string, string>>
  /** Where the errors alarm notifies. */
  readonly alarmTopic: ITopic
  /** @default one month */
  readonly logRetention?: RetentionDays
}

/**
 * One handler of `functions/{name}/handler.ts` bundled by the local esbuild, with its own role (nothing but
 * its log group until a `bind…` method grants more), a log group with retention and an alarm on errors.
 * Each `bind…` method grants exactly the listed actions and sets the environment variable the handler reads.
 * @example const share = new FinewsFunction(this, 'Share', { name: 'share', description, environment, alarmTopic })
 */
export class FinewsFunction extends Construct {
  readonly function: NodejsFunction
  readonly role: Role
  readonly logGroup: LogGroup
  readonly errorsAlarm: Alarm

  constructor(scope: Construct, id: string, props: FinewsFunctionProps) {
    super(scope, id)
    this.logGroup = new LogGroup(this, 'Logs', {
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    })
    // An own role rather than AWSLambdaBasicExecutionRole: that managed policy may write to every log group.
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `finews ${props.name} function`,
    })
    this.logGroup.grantWrite(this.role)

    this.function = new NodejsFunction(this, 'Function', {
      entry: join(PROJECT_ROOT, 'functions', props.name, 'handler.ts'),
      handler: 'handler',
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: join(PROJECT_ROOT, 'package-lock.json'),
      description: props.description,
      runtime: FUNCTION_RUNTIME,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(10),
      role: this.role,
      logGroup: this.logGroup,
      // No NODE_OPTIONS=--enable-source-maps: Node reads and indexes the map at every cold start (~11 ms of CPU
      // for these bundles). The maps stay in the asset (no source text) to decode a logged stack offline.
      environment: {
        ...props.environment,
        // The Powertools service name: a dimension of every metric, a key of every log line.
        POWERTOOLS_SERVICE_NAME: serviceName(props.name),
      },
      bundling: {
        // ESM: the handlers may wait at top level (configuration read at cold start).
        format: OutputFormat.ESM,
        mainFields: ['module', 'main'],
        // Some CommonJS dependencies call require() for Node built-ins, which an ES module lacks.
        banner:
          "import{createRequire as __finewsCreateRequire}from'node:module';const require=__finewsCreateRequire(import.meta.url);",
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        // Nothing external: the AWS SDK is bundled and tree-shaken, so what runs is the version package-lock.json
        // pins and the tests ran (the runtime's own SDK may predate throwOnRequestTimeout, @smithy/node-http-handler
        // 4.4.0), and one file loads faster than the runtime's SDK does module by module (README, Performance).
        externalModules: [],
        target: 'node24',
      },
    })

    this.errorsAlarm = new Alarm(this, 'ErrorsAlarm', {
      alarmDescription: `finews ${props.name}: the function failed (unhandled error, timeout or crash)`,
      metric: this.function.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    })
    this.errorsAlarm.addAlarmAction(new SnsAction(props.alarmTopic))
  }

  /** Grants exactly `actions` on the table (no index, the table has none) and sets TABLE_NAME. */
  bindTable(table: ITable, actions: readonly TableAction[]): void {
    this.function.addEnvironment('TABLE_NAME', table.tableName)
    this.role.addToPrincipalPolicy(
      new PolicyStatement({ actions: actions.map((action) => `dynamodb:${action}`), resources: [table.tableArn] }),
    )
  }

  /**
   * Grants object actions under `keyPatterns` only and sets BUCKET_NAME; `listBucket` lets a HEAD or GET of a
   * missing key answer 404 rather than 403.
   */
  bindBucket(
    bucket: IBucket,
    access: { actions: readonly ObjectAction[]; keyPatterns: readonly string[]; listBucket: boolean },
  ): void {
    this.function.addEnvironment('BUCKET_NAME', bucket.bucketName)
    this.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: [...access.actions],
        resources: access.keyPatterns.map((pattern) => bucket.arnForObjects(pattern)),
      }),
    )
    if (access.listBucket) {
      this.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['s3:ListBucket'], resources: [bucket.bucketArn] }))
    }
  }

  /** Grants reading the one API-key secret (no describe, no list) and sets API_KEY_SECRET_ARN. */
  bindApiKeySecret(secret: ISecret): void {
    this.function.addEnvironment('API_KEY_SECRET_ARN', secret.secretArn)
    this.role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [secret.secretArn] }),
    )
  }

  /** Grants reading the secret CloudFront sends as the API's origin header and sets ORIGIN_SECRET_ARN. */
  bindOriginSecret(secret: ISecret): void {
    this.function.addEnvironment('ORIGIN_SECRET_ARN', secret.secretArn)
    this.role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [secret.secretArn] }),
    )
  }

  /**
   * Grants reading the SSM parameter that holds the public base URL and sets PUBLIC_BASE_URL_PARAMETER; the
   * name is a literal, so the function does not depend on the parameter (which depends on the distribution).
   */
  bindPublicBaseUrlParameter(parameterName: string): void {
    const stack = Stack.of(this)
    this.function.addEnvironment('PUBLIC_BASE_URL_PARAMETER', parameterName)
    this.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['ssm:GetParameter'],
        resources: [
          stack.formatArn({ service: 'ssm', resource: 'parameter', resourceName: parameterName.replace(/^\//, '') }),
        ],
      }),
    )
  }
}
