import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
// @ts-expect-error s3rver ships no types
import S3rver from 's3rver'
import { freePort } from './ports.ts'

/** A running s3rver. */
export interface S3Local {
  readonly endpoint: string
  readonly port: number
  stop(): Promise<void>
}

/** Starts s3rver in this process on loopback; in a temporary folder (removed at stop) unless `directory` is given. */
export async function startS3Local(options: { directory?: string; port?: number } = {}): Promise<S3Local> {
  const temporary = options.directory === undefined
  const directory = options.directory ?? mkdtempSync(join(tmpdir(), 'finews-s3-'))
  mkdirSync(directory, { recursive: true })
  const port = options.port ?? (await freePort())
  const server = new S3rver({ address: '127.0.0.1', port, silent: true, directory, vhostBuckets: false })
  await server.run()
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    async stop() {
      await server.close()
      if (temporary) rmSync(directory, { recursive: true, force: true })
    },
  }
}
