import type { S3Client } from '@aws-sdk/client-s3'
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import type { Scale } from './options.ts'
import type { BenchServers } from './servers.ts'

/** What every benchmark group gets: the scale, the bench's own local servers and clients, a progress log. */
export interface BenchContext {
  readonly scale: Scale
  readonly servers: BenchServers
  readonly documentClient: DynamoDBDocumentClient
  readonly s3Client: S3Client
  /** A progress line (not part of the result table). */
  log(message: string): void
}
