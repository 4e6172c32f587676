import { Duration, RemovalPolicy } from 'aws-cdk-lib'
import { type AttributeType, BillingMode, type StreamViewType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb'
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3'
import { Construct } from 'constructs'
import { TABLE_SCHEMA } from '../../shared/table.ts'

/**
 * The data that outlives any deployment: the table (articles, feed memberships, short links, categories),
 * the site bucket (feeds and human pages) and the access-log bucket. All three are retained on delete.
 * @example const storage = new SiteStorage(this, 'Storage')
 */
export class SiteStorage extends Construct {
  readonly table: Table
  readonly bucket: Bucket
  readonly logBucket: Bucket

  constructor(scope: Construct, id: string) {
    super(scope, id)
    // The key layout is the one the local stack creates: shared/table.ts, never restated here.
    this.table = new Table(this, 'Table', {
      partitionKey: { name: TABLE_SCHEMA.partitionKey.name, type: TABLE_SCHEMA.partitionKey.type as AttributeType },
      sortKey: { name: TABLE_SCHEMA.sortKey.name, type: TABLE_SCHEMA.sortKey.type as AttributeType },
      stream: TABLE_SCHEMA.streamView as StreamViewType,
      // Idempotency claims expire (their removals are filtered out of the feeds function's stream).
      timeToLiveAttribute: TABLE_SCHEMA.ttlAttribute,
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      // Encrypted at rest with the AWS-owned key: no KMS request charges on every read and write.
      encryption: TableEncryption.DEFAULT,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    })

    // The site bucket's server access logs; S3 delivers them under a bucket policy, so ACLs stay off here too
    // (CloudFront's request logs do not come here: see SiteDistribution).
    this.logBucket = new Bucket(this, 'AccessLogs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ expiration: Duration.days(90), abortIncompleteMultipartUploadAfter: Duration.days(1) }],
      removalPolicy: RemovalPolicy.RETAIN,
    })

    this.bucket = new Bucket(this, 'Site', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      // SSE-S3: CloudFront's Origin Access Control reads it without a KMS key policy.
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      // Feeds are rewritten in place: versions let ops restore one, the rule keeps their cost bounded.
      versioned: true,
      lifecycleRules: [
        { noncurrentVersionExpiration: Duration.days(30), abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
      serverAccessLogsBucket: this.logBucket,
      serverAccessLogsPrefix: 's3/',
      removalPolicy: RemovalPolicy.RETAIN,
    })
  }
}
