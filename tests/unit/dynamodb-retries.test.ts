import { TransactionCanceledException } from '@aws-sdk/client-dynamodb'
import { describe, expect, it } from 'vitest'
import { cancellationOf, type TransactItem } from '#shared/adapters/dynamodb-retries'

const item = (pk: string): TransactItem => ({ Put: { TableName: 't', Item: { pk, sk: 'x' } } })

describe('cancellationOf (a cancelled transaction read by item, not by position)', () => {
  it('gives each item its own reason, and none to an item not sent', () => {
    const [article, shortCode, member] = [item('ART#1'), item('SHORT#a'), item('FEED#_site')]
    const error = new TransactionCanceledException({
      message: 'cancelled',
      $metadata: {},
      CancellationReasons: [{ Code: 'None' }, { Code: 'ConditionalCheckFailed' }, { Code: 'TransactionConflict' }],
    })

    const cancelled = cancellationOf(error, [article, shortCode, member])

    expect(cancelled?.reasonOf(article)).toBeUndefined()
    expect(cancelled?.reasonOf(shortCode)).toBe('ConditionalCheckFailed')
    expect(cancelled?.reasonOf(member)).toBe('TransactionConflict')
    expect(cancelled?.reasonOf(undefined)).toBeUndefined()
    expect(cancelled?.reasonOf(item('CAT'))).toBeUndefined()
    expect(cancelled?.has('TransactionConflict')).toBe(true)
    expect(cancelled?.has('ThrottlingError')).toBe(false)
  })

  it('is undefined for any other error', () => {
    expect(cancellationOf(new Error('timeout'), [])).toBeUndefined()
  })
})
