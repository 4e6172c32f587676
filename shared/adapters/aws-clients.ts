import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { S3Client } from '@aws-sdk/client-s3'
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import { clientOptions, DYNAMODB_LIMITS, LOCAL_SERVER_LIMITS, S3_LIMITS } from './client-limits.ts'

/** Where the AWS clients point: nothing in AWS; endpoints and static credentials for the local servers. */
export interface ClientSettings {
  readonly region: string
  readonly dynamoEndpoint?: string | undefined
  readonly s3Endpoint?: string | undefined
}

// Local servers accept any key; these are not secrets.
const LOCAL_DYNAMO_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' }
const LOCAL_S3_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' }

// The plain client paired with each document client (see plainClientOf).
const PLAIN_CLIENTS = new WeakMap<DynamoDBDocumentClient, DynamoDBClient>()

/** A DynamoDB document client; outbound calls give up within DYNAMODB_LIMITS rather than hang a Lambda. */
export function createDocumentClient(settings: ClientSettings): DynamoDBDocumentClient {
  const options = () => ({
    region: settings.region,
    ...clientOptions(settings.dynamoEndpoint ? LOCAL_SERVER_LIMITS : DYNAMODB_LIMITS),
    ...(settings.dynamoEndpoint ? { endpoint: settings.dynamoEndpoint, credentials: LOCAL_DYNAMO_CREDENTIALS } : {}),
  })
  const client = new DynamoDBClient(options())
  const document = DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertEmptyValues: false },
  })
  // Same settings and the same connections (its requestHandler; destroying the document client closes them),
  // but it resolves its middleware stack once per command type instead of on every call: lib-dynamodb refuses
  // `cacheMiddleware` (aws-sdk-js-v3 #7762), and resolving the stack is about a fifth of a read's SDK CPU.
  const plain = new DynamoDBClient({
    ...options(),
    requestHandler: client.config.requestHandler,
    credentials: client.config.credentials,
    cacheMiddleware: true,
  })
  PLAIN_CLIENTS.set(document, plain)
  return document
}

/**
 * The plain (marshalling-free) client for the hottest reads of `document`'s table: the one made beside it by
 * createDocumentClient, else `document` itself (a plain command sent through it is not marshalled either).
 */
export function plainClientOf(document: DynamoDBDocumentClient): Pick<DynamoDBClient, 'send'> {
  return PLAIN_CLIENTS.get(document) ?? (document as unknown as DynamoDBClient)
}

/** An S3 client; against s3rver it needs path style and checksums only when required (see PLATFORM.md). */
export function createS3Client(settings: ClientSettings): S3Client {
  return new S3Client({
    region: settings.region,
    ...clientOptions(settings.s3Endpoint ? LOCAL_SERVER_LIMITS : S3_LIMITS),
    ...(settings.s3Endpoint
      ? {
          endpoint: settings.s3Endpoint,
          forcePathStyle: true,
          credentials: LOCAL_S3_CREDENTIALS,
          requestChecksumCalculation: 'WHEN_REQUIRED' as const,
          responseChecksumValidation: 'WHEN_REQUIRED' as const,
        }
      : {}),
  })
}
