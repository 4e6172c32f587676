import { readConfig } from '#shared/config'
import { createStreamHandler } from './stream.ts'
import { feedPublisherFor } from './wiring.ts'

/** The feeds Lambda: DynamoDB Streams batches in, feeds and pages out to S3, partial batch failures back. */
export const handler = createStreamHandler(feedPublisherFor(readConfig()))
