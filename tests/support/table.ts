import { type DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb'

/**
 * Every item of a test table, all pages (one Scan stops at 1 MB): for asserting what was (not) written.
 * Tests only; never in product code.
 */
export async function scanAll(client: DynamoDBDocumentClient, tableName: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = []
  let start: Record<string, unknown> | undefined
  do {
    const page = await client.send(
      new ScanCommand({ TableName: tableName, ConsistentRead: true, ExclusiveStartKey: start }),
    )
    items.push(...(page.Items ?? []))
    start = page.LastEvaluatedKey
  } while (start)
  return items
}
