import { readConfig } from '#shared/config'
import { createStreamHandler } from './stream.ts'
import { FEEDS_SETTINGS, feedPublisherFor } from './wiring.ts'

// A missing variable throws here, so the function fails at init naming it instead of running on a guess.
/** The feeds Lambda: DynamoDB Streams batches in, feeds and pages out to S3, partial batch failures back. */
export const handler = createStreamHandler(feedPublisherFor(readConfig(process.env, FEEDS_SETTINGS)))
