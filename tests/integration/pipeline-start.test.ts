// `npm start` (startPipeline) failing part-way leaves nothing running: DynamoDB Local is a child process that
// `process.exit` after the error message would leave behind, listening on every interface.
import { execFileSync } from 'node:child_process'
import { createServer, type Server } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { startPipeline } from '../../local/pipeline.ts'

/** The DynamoDB Local processes this test process started and still has. */
function dynamoChildren(): number[] {
  let listing: string
  try {
    listing = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(process.pid)], { encoding: 'utf8' })
  } catch {
    return [] // ps exits 1 when no process matches
  }
  return listing
    .split('\n')
    .filter((line) => line.includes('DynamoDBLocal'))
    .map((line) => Number.parseInt(line, 10))
}

let blocker: Server | undefined
const before = dynamoChildren()
afterEach(async () => {
  // A failing run must not leave its strays to the next test or the machine.
  for (const pid of dynamoChildren().filter((pid) => !before.includes(pid))) process.kill(pid, 'SIGKILL')
  await new Promise((resolve) => (blocker ? blocker.close(resolve) : resolve(undefined)))
  blocker = undefined
})

describe('starting the local pipeline', () => {
  it('fails on a port in use with EADDRINUSE before starting any server', async () => {
    // Prepare: the port taken by another listener
    blocker = createServer()
    await new Promise<void>((resolve) => blocker?.listen(0, '127.0.0.1', resolve))
    const port = (blocker.address() as { port: number }).port

    // Act and assess
    await expect(startPipeline({ port, env: { API_KEY: 'k' } })).rejects.toMatchObject({ code: 'EADDRINUSE' })
    expect(dynamoChildren()).toEqual(before)
  })

  it('stops the servers it started when a later step fails', async () => {
    // Act: a table name DynamoDB refuses (under 3 characters), so creating the table fails after both servers run
    const start = startPipeline({ env: { API_KEY: 'k', TABLE_NAME: 'x' } })

    // Assess
    await expect(start).rejects.toThrow(/table|TableName/i)
    expect(dynamoChildren()).toEqual(before)
  }, 60_000)
})
