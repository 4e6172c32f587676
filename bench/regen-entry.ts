import { feedPublisherFor } from '../functions/feeds/wiring.ts'
import { localConfig } from '../local/config.ts'

// Bundled like a Lambda (bench/bundles.ts) and run by plain `node` for peak_rss_mb_feeds: builds the feeds
// publisher as the feeds handler does, then (REGEN_MODE=regen) regenerates one category, and prints the
// process's peak resident memory. REGEN_MODE=idle stops after building: the baseline.
const config = localConfig()
const publisher = feedPublisherFor(config, { log: () => undefined })
const slug = process.env.REGEN_SLUG ?? ''
let ms = 0
let written = 0
if (process.env.REGEN_MODE === 'regen') {
  const started = performance.now()
  const result = await publisher.regenerateCategory(slug)
  ms = performance.now() - started
  if (result.failed.size > 0)
    throw new Error(`regeneration of ${slug} failed: ${String([...result.failed.values()][0])}`)
  written = result.written.length
}
process.stdout.write(`${JSON.stringify({ maxRssMb: process.resourceUsage().maxRSS / 1024, ms, written })}\n`)
process.exit(0)
