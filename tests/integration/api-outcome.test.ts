import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { OUTCOME_HEADER } from '#shared/http/outcome'
import type { createApiApp } from '../../functions/api/app.ts'
import { post } from '../support/fixture.ts'
import { TEST_KEY, testApiApp, testStack } from '../support/stack.ts'

let stack: Awaited<ReturnType<typeof testStack>>
let app: ReturnType<typeof createApiApp>

beforeAll(async () => {
  stack = await testStack()
  app = testApiApp(stack.articles)
})
afterAll(() => stack.dispose())

const send = (method: string, path: string, body: string) =>
  app.request(path, {
    method,
    headers: { Authorization: `Bearer ${TEST_KEY}`, 'Content-Type': 'text/markdown' },
    body,
  })

describe('the X-Finews-Outcome header', () => {
  it('tells created, replaced and unchanged apart on PUT, where the last two are both 200', async () => {
    // Prepare
    const path = '/api/articles/NW202401021000000777'
    const first = post({ title: '"第一版"' })
    const second = post({ title: '"第二版"' })

    // Act
    const created = await send('PUT', path, first)
    const replaced = await send('PUT', path, second)
    const unchanged = await send('PUT', path, second)

    // Assess
    expect([created.status, replaced.status, unchanged.status]).toEqual([201, 200, 200])
    expect(created.headers.get(OUTCOME_HEADER)).toBe('created')
    expect(replaced.headers.get(OUTCOME_HEADER)).toBe('replaced')
    expect(unchanged.headers.get(OUTCOME_HEADER)).toBe('unchanged')
  })

  it('says created and unchanged on POST', async () => {
    // Prepare
    const body = post({ infoCode: 'NW202401021000000778' })

    // Act
    const created = await send('POST', '/api/articles', body)
    const again = await send('POST', '/api/articles', body)

    // Assess
    expect(created.headers.get(OUTCOME_HEADER)).toBe('created')
    expect(again.status).toBe(200)
    expect(again.headers.get(OUTCOME_HEADER)).toBe('unchanged')
  })
})
