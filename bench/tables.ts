import {
  CreateTableCommand,
  type DynamoDBClient,
  UpdateTableCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb'
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import { TABLE_SCHEMA } from '#shared/table'
import { tableDefinition } from '../local/resources.ts'

/**
 * Creates a bench table with the product's keys (`TABLE_SCHEMA`) but no stream: seeding 50,000 articles
 * then writes no stream records nobody reads. `enableStream` turns the stream on afterwards, so a pipeline
 * started then sees only what is written from there on.
 */
export async function createBenchTable(documentClient: DynamoDBDocumentClient, tableName: string): Promise<void> {
  // The document client passes table commands through unchanged.
  const client = documentClient as unknown as DynamoDBClient
  await client.send(new CreateTableCommand(tableDefinition(tableName, { stream: false }))).catch((error: unknown) => {
    // A CreateTable the SDK retried after a slow answer (a busy machine) finds its own table there.
    if (!(error instanceof Error && error.name === 'ResourceInUseException')) throw error
  })
  await waitUntilTableExists({ client, maxWaitTime: 30 }, { TableName: tableName })
}

/** Turns on the table's stream (new and old images, as the stack has it). */
export async function enableStream(documentClient: DynamoDBDocumentClient, tableName: string): Promise<void> {
  await (documentClient as unknown as DynamoDBClient).send(
    new UpdateTableCommand({
      TableName: tableName,
      StreamSpecification: { StreamEnabled: true, StreamViewType: TABLE_SCHEMA.streamView },
    }),
  )
}

/** The environment the bench wires a seeded table's store and publisher with (as `localConfig` reads it). */
export function benchTableEnv(
  servers: { dynamoEndpoint: string; s3Endpoint: string },
  table: string,
): Record<string, string> {
  return {
    TABLE_NAME: table,
    BUCKET_NAME: table,
    PUBLIC_BASE_URL: 'https://news.example.com',
    FEED_SIZE: '50',
    SITE_TIMEZONE: '+08:00',
    AWS_REGION: 'us-east-1',
    DYNAMODB_ENDPOINT: servers.dynamoEndpoint,
    S3_ENDPOINT: servers.s3Endpoint,
  }
}
