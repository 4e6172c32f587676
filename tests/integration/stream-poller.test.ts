import { PutCommand } from '@aws-sdk/lib-dynamodb'
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type StreamPoller, startStreamPoller } from '../../local/stream-poller.ts'
import { testStack } from '../support/stack.ts'

let stack: Awaited<ReturnType<typeof testStack>>
let poller: StreamPoller | undefined

beforeEach(async () => {
  stack = await testStack()
})
afterEach(async () => {
  await poller?.stop()
  poller = undefined
  await stack.dispose()
})

const put = (pk: string, fields: Record<string, unknown> = {}) =>
  stack.documentClient.send(new PutCommand({ TableName: stack.tableName, Item: { pk, sk: 'X', ...fields } }))

async function start(handler: (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse>, maxAttempts = 10) {
  poller = await startStreamPoller({
    endpoint: stack.settings.dynamoEndpoint,
    tableName: stack.tableName,
    handler,
    batchWindowMs: 300,
    idlePollMs: 50,
    maxAttempts,
    log: () => undefined,
  })
  return poller
}

describe('the local stream poller', () => {
  it('hands the handler real DynamoDBStreamEvent records, gathered in a batch', async () => {
    const batches: DynamoDBRecord[][] = []
    const running = await start(async (event) => {
      batches.push(event.Records)
      return { batchItemFailures: [] }
    })

    await Promise.all([put('ART#A', { title: '一', categories: ['x'] }), put('ART#B'), put('ART#C')])
    await put('ART#A', { title: '二', categories: ['y'] })
    await running.drained()

    const records = batches.flat()
    expect(records.map((r) => r.dynamodb?.Keys?.pk?.S).sort()).toEqual(['ART#A', 'ART#A', 'ART#B', 'ART#C'])
    // Three puts at once: the batching window gathers them into one event rather than one each.
    expect(Math.max(...batches.map((b) => b.length))).toBeGreaterThanOrEqual(3)
    const edit = records.find((r) => r.eventName === 'MODIFY')
    expect(edit).toMatchObject({
      eventSource: 'aws:dynamodb',
      eventVersion: expect.any(String),
      awsRegion: expect.any(String),
      eventSourceARN: expect.stringContaining(`table/${stack.tableName}/stream/`),
      dynamodb: {
        Keys: { pk: { S: 'ART#A' }, sk: { S: 'X' } },
        OldImage: { title: { S: '一' }, categories: { L: [{ S: 'x' }] } },
        NewImage: { title: { S: '二' }, categories: { L: [{ S: 'y' }] } },
        StreamViewType: 'NEW_AND_OLD_IMAGES',
        ApproximateCreationDateTime: expect.any(Number),
      },
    })
    const sequences = records.map((r) => BigInt(r.dynamodb?.SequenceNumber ?? '0'))
    expect([...sequences].sort((a, b) => (a < b ? -1 : 1))).toEqual(sequences)
  })

  it('re-delivers from the reported record on batchItemFailures, never the ones before it', async () => {
    const seen: string[] = []
    let failOnce = true
    const running = await start(async (event) => {
      seen.push(...event.Records.map((r) => r.dynamodb?.Keys?.pk?.S ?? '?'))
      const poison = event.Records.find((r) => r.dynamodb?.Keys?.pk?.S === 'ART#2')
      if (poison && failOnce) {
        failOnce = false
        return { batchItemFailures: [{ itemIdentifier: poison.dynamodb?.SequenceNumber ?? '' }] }
      }
      return { batchItemFailures: [] }
    })

    for (const pk of ['ART#1', 'ART#2', 'ART#3']) await put(pk)
    await running.drained()

    expect(seen).toEqual(['ART#1', 'ART#2', 'ART#3', 'ART#2', 'ART#3'])
  })

  it('sets a record aside after the bounded retries and goes on with the rest', async () => {
    const handled: string[] = []
    const running = await start(async (event) => {
      const poison = event.Records.find((r) => r.dynamodb?.Keys?.pk?.S === 'ART#bad')
      for (const r of event.Records) {
        if (r === poison) break
        handled.push(r.dynamodb?.Keys?.pk?.S ?? '?')
      }
      return { batchItemFailures: poison ? [{ itemIdentifier: poison.dynamodb?.SequenceNumber ?? '' }] : [] }
    }, 3)

    for (const pk of ['ART#ok1', 'ART#bad', 'ART#ok2']) await put(pk)
    await running.drained()

    expect(handled).toEqual(['ART#ok1', 'ART#ok2'])
  })

  it('retries the whole batch when the handler throws', async () => {
    let calls = 0
    const running = await start(async () => {
      calls++
      if (calls === 1) throw new Error('boom')
      return { batchItemFailures: [] }
    })

    await put('ART#thrown')
    await running.drained()

    expect(calls).toBe(2)
  })
})
