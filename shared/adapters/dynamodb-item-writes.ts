import { UpdateCommand } from '@aws-sdk/lib-dynamodb'
import type { Category } from '../domain/model.ts'
import type { ArticleStore } from '../ports/article-store.ts'
import { keys } from '../table.ts'
import { toCategory } from './dynamodb-article-items.ts'
import { type TableAccess, TOTAL } from './dynamodb-table-access.ts'

// The article store's writes of one small item each, outside any transaction: a click counter, a category's
// editor-set title.

/** The single-item writes of `ArticleStore`. */
export type ItemWrites = Pick<ArticleStore, 'countClick' | 'putCategory'>

/**
 * The store's single-item writes on one table; `now` stamps a category's update.
 * @example const writes = itemWrites(access, () => new Date())
 */
export function itemWrites(access: TableAccess, now: () => Date): ItemWrites {
  const { client, tableName, metered } = access
  return {
    async countClick(infoCode, count = 1) {
      if (!Number.isSafeInteger(count) || count < 1)
        throw new RangeError(`click count must be a whole number ≥ 1, got ${count}`)
      try {
        await metered(
          'write',
          client.send(
            new UpdateCommand({
              TableName: tableName,
              // The counter item; the share route only counts links it resolved to a live article.
              Key: keys.clicks(infoCode),
              UpdateExpression: 'ADD clicks :count',
              ConditionExpression: 'attribute_not_exists(deletedAt)',
              ExpressionAttributeValues: { ':count': count },
              ...TOTAL,
            }),
          ),
        )
        return true
      } catch (error) {
        if (error instanceof Error && error.name === 'ConditionalCheckFailedException') return false
        throw error
      }
    },

    async putCategory({ slug, title, description }): Promise<Category> {
      const out = await metered(
        'write',
        client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: keys.category(slug),
            UpdateExpression:
              'SET title = :title, description = :description, titleSet = :true, createdAt = if_not_exists(createdAt, :now), updatedAt = :now',
            ExpressionAttributeValues: {
              ':title': title,
              ':description': description,
              ':true': true,
              ':now': now().toISOString(),
            },
            ReturnValues: 'ALL_NEW',
            ...TOTAL,
          }),
        ),
      )
      return toCategory(out.Attributes ?? { sk: slug, title, description, titleSet: true })
    },
  }
}
