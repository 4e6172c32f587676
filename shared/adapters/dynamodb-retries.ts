import { TransactionCanceledException } from '@aws-sdk/client-dynamodb'
import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb'
import { DomainError } from '../domain/errors.ts'

/** One item of a `TransactWriteItems` call. */
export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number]

/** How many times the store tries a write that lost a race before it gives up with `StoreBusyError`. */
export const MAX_ATTEMPTS = 5

/** Thrown when the store gave up after its bounded retries: the caller may try again shortly. */
export class StoreBusyError extends DomainError {
  constructor(detail: string, cause?: unknown) {
    super('busy', 'Service busy', detail, { cause })
  }
}

/** Why DynamoDB cancelled a transaction, read per item rather than by position. */
export interface Cancellation {
  /** The reason code of that item (`ConditionalCheckFailed`, `TransactionConflict`, …); undefined when it had none. */
  reasonOf(item: TransactItem | undefined): string | undefined
  /** True when any item was cancelled for `code`. */
  has(code: string): boolean
}

/**
 * The cancellation of a transaction of `items`, or undefined when `error` is not one. DynamoDB reports reasons
 * in the order of the items sent; asking by item keeps a change of that order from misreading them.
 * @example if (cancellationOf(error, items)?.reasonOf(articlePut) === 'ConditionalCheckFailed') …
 */
export function cancellationOf(error: unknown, items: readonly TransactItem[]): Cancellation | undefined {
  if (!(error instanceof TransactionCanceledException)) return undefined
  const codes = (error.CancellationReasons ?? []).map((reason) => (reason.Code === 'None' ? undefined : reason.Code))
  return {
    reasonOf: (item) => (item === undefined ? undefined : codes[items.indexOf(item)]),
    has: (code) => codes.includes(code),
  }
}

/** What each named part of a transaction was cancelled for. */
export interface NamedCancellation<N extends string> {
  /** The first reason code among the part's items (`ConditionalCheckFailed`, …); undefined when none had one. */
  reasonOf(part: N): string | undefined
  /** True when any item was cancelled for `code`. */
  has(code: string): boolean
}

/** A transaction's items, sent in the order of its named parts, and how to read a cancellation by part name. */
export interface NamedTransaction<N extends string> {
  readonly items: TransactItem[]
  /** The cancellation of this transaction by part, or undefined when `error` is not one. */
  cancellationOf(error: unknown): NamedCancellation<N> | undefined
}

/**
 * A transaction from named parts (an item, a list of items, or none), sent in the order the parts are named:
 * the names map each position of the items to the part it belongs to, so a cancellation is read as "the
 * article's condition failed", never as "reason 0".
 * @example const tx = namedTransaction({ article: put, memberships: puts }); tx.cancellationOf(e)?.reasonOf('article')
 */
export function namedTransaction<N extends string>(
  parts: Readonly<Record<N, TransactItem | readonly TransactItem[] | undefined>>,
): NamedTransaction<N> {
  const named = Object.entries(parts) as [N, TransactItem | readonly TransactItem[] | undefined][]
  const byPart = new Map(named.map(([name, part]) => [name, ([] as TransactItem[]).concat(part ?? [])]))
  const items = [...byPart.values()].flat()
  return {
    items,
    cancellationOf(error) {
      const cancelled = cancellationOf(error, items)
      if (!cancelled) return undefined
      return {
        reasonOf: (part) => (byPart.get(part) ?? []).map((item) => cancelled.reasonOf(item)).find(Boolean),
        has: (code) => cancelled.has(code),
      }
    },
  }
}

/** Waits before retry `attempt` (0-based): exponential from 20 ms, capped at 400 ms, with jitter. */
export function pause(attempt: number): Promise<void> {
  const ms = Math.min(400, 20 * 2 ** attempt) * (0.5 + Math.random())
  return new Promise((resolve) => setTimeout(resolve, ms))
}
