#!/usr/bin/env tsx
// `npm run import -- PATH…`: the command line of the importer (scripts/import/); see --help.
import { runCli } from './import/cli.ts'

const controller = new AbortController()
let interrupts = 0
const onInterrupt = () => {
  interrupts++
  if (interrupts > 1) process.exit(130)
  process.stderr.write('\nstopping: finishing the uploads in flight (Ctrl-C again to quit now)\n')
  controller.abort()
}
process.on('SIGINT', onInterrupt)
// `npm run import … | head` closes the pipe early: that is not an error of the import.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error
})
process.on('SIGTERM', onInterrupt)

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  signal: controller.signal,
})
