import { startS3Local } from '../local/s3-local.ts'

// s3rver in a process of its own, so its work does not share the bench's event loop with what is timed
// (in AWS, S3 is another machine). Prints its endpoint as one JSON line; stops when stdin closes.
const s3 = await startS3Local()
process.stdout.write(`${JSON.stringify({ endpoint: s3.endpoint })}\n`)
const stop = async () => {
  await s3.stop()
  process.exit(0)
}
process.stdin.on('end', stop)
process.stdin.resume()
process.on('SIGTERM', stop)
