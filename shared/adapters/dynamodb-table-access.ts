import type { ConsumedCapacity } from '@aws-sdk/client-dynamodb'
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'

// How the article store's modules (queries, writes) reach the table: one client, one table, every call metered.

/**
 * What one DynamoDB call consumed: a read (Get, Query, BatchGet) or a write (the rest), and its capacity units,
 * undefined when the call failed (DynamoDB bills a failed conditional write but does not say how much).
 */
export interface CapacityUse {
  readonly kind: 'read' | 'write'
  readonly units: number | undefined
}

/** Asks a call for the units it consumed (a few bytes more in each answer, no charge). */
export const TOTAL = { ReturnConsumedCapacity: 'TOTAL' } as const

/** Awaits one call and reports what it consumed (or that it failed, units unknown). */
export type Metered = <T extends { ConsumedCapacity?: ConsumedCapacity | ConsumedCapacity[] | undefined }>(
  kind: CapacityUse['kind'],
  call: Promise<T>,
) => Promise<T>

/**
 * A `Metered` that tells `onCapacity` (when given) what each call consumed, from its `ConsumedCapacity`.
 * @example const metered = meter(options.onCapacity); await metered('read', client.send(query))
 */
export function meter(onCapacity: ((use: CapacityUse) => void) | undefined): Metered {
  return async function metered<T extends { ConsumedCapacity?: ConsumedCapacity | ConsumedCapacity[] | undefined }>(
    kind: CapacityUse['kind'],
    call: Promise<T>,
  ): Promise<T> {
    let out: T
    try {
      out = await call
    } catch (error) {
      onCapacity?.({ kind, units: undefined })
      throw error
    }
    const units = [out.ConsumedCapacity ?? []].flat().reduce((sum, c) => sum + (c.CapacityUnits ?? 0), 0)
    onCapacity?.({ kind, units })
    return out
  }
}

/** What the store's queries and writes share: the client, the table, and the meter every call goes through. */
export interface TableAccess {
  readonly client: DynamoDBDocumentClient
  readonly tableName: string
  readonly metered: Metered
}
