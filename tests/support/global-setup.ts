import type { TestProject } from 'vitest/node'
import { startDynamoLocal } from '../../local/dynamodb-local.ts'
import { startS3Local } from '../../local/s3-local.ts'

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string
    s3Endpoint: string
  }
}

/** One DynamoDB Local (in memory) and one s3rver (temporary folder) for the whole run, on random loopback ports. */
export default async function setup(project: TestProject) {
  const [dynamo, s3] = await Promise.all([startDynamoLocal({ shortLived: true }), startS3Local()])
  project.provide('dynamoEndpoint', dynamo.endpoint)
  project.provide('s3Endpoint', s3.endpoint)
  return async () => {
    await Promise.all([dynamo.stop(), s3.stop()])
  }
}
