import { TransactionCanceledException } from '@aws-sdk/client-dynamodb'
import { describe, expect, it } from 'vitest'
import { cancellationOf, namedTransaction, type TransactItem } from '#shared/adapters/dynamodb-retries'

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

describe('namedTransaction (a cancelled transaction read by part name)', () => {
  const cancelledWith = (...codes: string[]) =>
    new TransactionCanceledException({
      message: 'cancelled',
      $metadata: {},
      CancellationReasons: codes.map((Code) => ({ Code })),
    })

  it('sends the parts in the order named, skipping absent ones, and reads each reason by its part', () => {
    const [article, memberA, memberB, counter] = [item('ART#1'), item('FEED#_site'), item('FEED#m'), item('CLICKS')]
    const tx = namedTransaction({ article, shortCode: undefined, memberships: [memberA, memberB], clicks: counter })

    expect(tx.items).toEqual([article, memberA, memberB, counter])
    const cancelled = tx.cancellationOf(cancelledWith('None', 'None', 'TransactionConflict', 'None'))
    expect(cancelled?.reasonOf('article')).toBeUndefined()
    expect(cancelled?.reasonOf('shortCode')).toBeUndefined()
    expect(cancelled?.reasonOf('memberships')).toBe('TransactionConflict')
    expect(cancelled?.reasonOf('clicks')).toBeUndefined()
    expect(cancelled?.has('TransactionConflict')).toBe(true)
  })

  it('moves a reason with its part when the parts are reordered', () => {
    const [article, code] = [item('ART#1'), item('SHORT#a')]
    const tx = namedTransaction({ shortCode: code, article })
    const cancelled = tx.cancellationOf(cancelledWith('ConditionalCheckFailed', 'None'))
    expect(cancelled?.reasonOf('shortCode')).toBe('ConditionalCheckFailed')
    expect(cancelled?.reasonOf('article')).toBeUndefined()
  })

  it('is undefined for any other error', () => {
    expect(namedTransaction({ article: item('ART#1') }).cancellationOf(new Error('timeout'))).toBeUndefined()
  })
})
