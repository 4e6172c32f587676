import './environment.ts'
import { resolve } from 'node:path'
import { ConfigError } from '#shared/config'
import { JavaMissingError } from './dynamodb-local.ts'
import { startPipeline } from './pipeline.ts'

const port = Number(process.env.PORT ?? 3000)
const host = process.env.HOST ?? '127.0.0.1'
const dataDir = resolve(process.env.DATA_DIR ?? '.data')

try {
  const pipeline = await startPipeline({ dataDir, host, port })
  const base = pipeline.config.publicBaseUrl
  console.log(`finews is running on ${pipeline.url}  (data in ${dataDir})

  API key:   ${pipeline.apiKey}${process.env.API_KEY ? '' : '   (development key; set API_KEY to choose one)'}
  Upload:    curl -H "Authorization: Bearer ${pipeline.apiKey}" -H "Content-Type: text/markdown" \\
               --data-binary @tests/fixtures/2022-04-16-psbc-digital-small-business.md ${base}/api/articles
  Feeds:     ${base}/feeds/rss.xml  ${base}/feeds/atom.xml  ${base}/feeds/feed.json
             ${base}/feeds/{category}/rss.xml …   OPML: ${base}/feeds/index.opml
  Home:      ${base}/
  Health:    ${base}/healthz

Ctrl-C stops it.`)
  let stopping = false
  const stop = async () => {
    if (stopping) return
    stopping = true
    console.log('\nstopping…')
    await pipeline.stop()
    process.exit(0)
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
} catch (error) {
  if (error instanceof JavaMissingError || error instanceof ConfigError) {
    console.error(error.message)
    process.exit(1)
  }
  if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
    console.error(`Port ${port} on ${host} is in use: stop what runs there or set PORT to another port.`)
    process.exit(1)
  }
  throw error
}
