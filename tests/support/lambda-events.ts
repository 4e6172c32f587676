import type { APIGatewayProxyEventV2, DynamoDBRecord } from 'aws-lambda'
import { keys } from '#shared/table'

/**
 * A real-shaped API Gateway HTTP API (payload 2.0) / Function URL event, as AWS delivers it: raw path and
 * query string, lower-case headers, cookies apart, a base64 body when binary.
 */
export function httpApiEvent(options: {
  method: string
  path: string
  query?: string
  headers?: Record<string, string>
  body?: string
  base64?: boolean
}): APIGatewayProxyEventV2 {
  const headers = Object.fromEntries(Object.entries(options.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]))
  const body =
    options.body === undefined
      ? undefined
      : options.base64
        ? Buffer.from(options.body).toString('base64')
        : options.body
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: options.path,
    rawQueryString: options.query ?? '',
    headers: { host: 'abc123.lambda-url.eu-west-1.on.aws', 'x-forwarded-proto': 'https', ...headers },
    queryStringParameters: options.query ? Object.fromEntries(new URLSearchParams(options.query).entries()) : undefined,
    requestContext: {
      accountId: '123456789012',
      apiId: 'abc123',
      domainName: 'abc123.lambda-url.eu-west-1.on.aws',
      domainPrefix: 'abc123',
      http: {
        method: options.method,
        path: options.path,
        protocol: 'HTTP/1.1',
        sourceIp: '203.0.113.7',
        userAgent: headers['user-agent'] ?? 'curl/8.0',
      },
      requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
      routeKey: '$default',
      stage: '$default',
      time: '26/Nov/2026:10:00:00 +0000',
      timeEpoch: 1795687200000,
    },
    body,
    isBase64Encoded: options.base64 ?? false,
  }
}

/** A Lambda context good enough for adapters that only read it. */
export const lambdaContext = {
  callbackWaitsForEmptyEventLoop: true,
  functionName: 'finews-test',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:finews-test',
  memoryLimitInMB: '256',
  awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
  logGroupName: '/aws/lambda/finews-test',
  logStreamName: '2026/11/26/[$LATEST]abc',
  getRemainingTimeInMillis: () => 10_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
}

/** A DynamoDB Streams INSERT of an article as the event source delivers it: its keys and its categories. */
export function articleInserted(infoCode: string, categories: readonly string[], sequence = '1'): DynamoDBRecord {
  const { pk, sk } = keys.article(infoCode)
  return {
    eventID: sequence,
    eventName: 'INSERT',
    dynamodb: {
      SequenceNumber: sequence,
      Keys: { pk: { S: pk }, sk: { S: sk } },
      NewImage: { categories: { L: categories.map((slug) => ({ S: slug })) } },
    },
  }
}
