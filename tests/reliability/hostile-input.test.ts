import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { createApiApp } from '../../functions/api/app.ts'
import { TEST_KEY, testApiApp, testStack } from '../support/stack.ts'
import { HOSTILE_CORPUS, type HostileCase } from './support/hostile-corpus.ts'
import { measureMemory, report, reportMemory, scaled } from './support/memory.ts'

let stack: Awaited<ReturnType<typeof testStack>>
let app: ReturnType<typeof createApiApp>

beforeAll(async () => {
  stack = await testStack()
  app = testApiApp(stack.articles)
  // One stored article, so "unchanged" compares a table with content and the PUT cases hit a real item.
  const seeded = await app.request('/api/articles', {
    method: 'POST',
    headers: { Authorization: `Bearer ${TEST_KEY}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({
      infoCode: 'NW202204162345423378',
      title: '已有文章',
      date: '2024-01-01',
      categories: ['markets'],
      body: 'b',
    }),
  })
  expect(seeded.status).toBe(201)
})
afterAll(() => stack.dispose())

function send(c: HostileCase): Promise<Response> {
  const headers: Record<string, string> = { Authorization: `Bearer ${TEST_KEY}` }
  if (c.contentType !== undefined) headers['Content-Type'] = c.contentType
  const body = c.body()
  return Promise.resolve(
    app.request(c.path, { method: c.method, headers, ...(body === undefined ? {} : { body: body as BodyInit }) }),
  )
}

async function expectProblem(response: Response, status: number): Promise<{ errors?: { path: string }[] }> {
  expect(response.status).toBe(status)
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/)
  const problem = await response.json()
  expect(problem).toMatchObject({
    status,
    type: expect.stringMatching(/^urn:finews:problem:/),
    detail: expect.any(String),
  })
  return problem
}

describe('the hostile corpus through app.request() on DynamoDB Local', () => {
  it('holds at least 60 cases', () => {
    expect(HOSTILE_CORPUS.length).toBeGreaterThanOrEqual(60)
    expect(new Set(HOSTILE_CORPUS.map((c) => c.name)).size).toBe(HOSTILE_CORPUS.length)
  })

  it.each(HOSTILE_CORPUS.map((c) => [c.name, c] as const))('%s: 4xx problem, table unchanged', async (_name, c) => {
    // Prepare
    const before = await stack.allItems()

    // Act
    const response = await send(c)

    // Assess
    const problem = await expectProblem(response, c.status)
    if (c.field !== undefined) expect(problem.errors?.map((e) => e.path).join(' ')).toContain(c.field)
    expect(await stack.allItems()).toEqual(before)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('keeps memory bounded over repeated passes of the whole corpus', { timeout: 600_000 }, async () => {
    // Prepare: one pass warms up code paths and allocator pools
    for (const c of HOSTILE_CORPUS) await (await send(c)).arrayBuffer()
    const before = measureMemory()
    const passes = scaled(3, 20)

    // Act
    for (let i = 0; i < passes; i++) for (const c of HOSTILE_CORPUS) await (await send(c)).arrayBuffer()
    const after = measureMemory()

    // Assess: what is retained after a full collection does not grow with the number of passes
    const growth = reportMemory('hostile-memory', { requests: passes * HOSTILE_CORPUS.length }, before, after)
    expect(growth.heapMiB).toBeLessThan(16)
    expect(growth.rssMiB).toBeLessThan(256)
  })
})

const RAW = '\u{E000}raw\u{E000}'
const RAW_STRING = new RegExp(`"${RAW}(.*?)${RAW}"`, 'g')

/** JSON text of a value, with `${RAW}1e400${RAW}` strings written as the bare number they hold. */
function toJson(value: unknown): string {
  return (JSON.stringify(value) ?? '').replace(RAW_STRING, '$1')
}

describe('a fast-check fuzzer over POST /api/articles', () => {
  const runs = scaled(150, 3000)
  const hostileKey = fc.constantFrom(
    '__proto__',
    'constructor',
    'prototype',
    '',
    'title',
    'body',
    'a\u0000',
    'x'.repeat(300),
  )
  const anyValue = fc.oneof(
    fc.jsonValue({ maxDepth: 12 }),
    fc.string({ unit: 'binary' }),
    // Numbers JSON can say but a double or DynamoDB cannot hold; written raw by `toJson`
    fc
      .constantFrom('1e400', '-1e400', '1e-320', '123456789012345678901234567890', '-0', '1.7976931348623157e308')
      .map((n) => `${RAW}${n}${RAW}`),
    fc.array(fc.string({ unit: 'binary', maxLength: 200 }), { maxLength: 40 }),
  )
  const valid = {
    title: '测试',
    date: '2024-01-02',
    categories: ['markets'],
    body: 'b',
  }
  const mutated = fc
    .record({
      drop: fc.subarray(Object.keys(valid)),
      set: fc.dictionary(fc.oneof(fc.constantFrom(...Object.keys(valid), 'tags', 'infoCode'), hostileKey), anyValue, {
        maxKeys: 4,
      }),
    })
    .map(({ drop, set }) => {
      const out: Record<string, unknown> = { ...valid }
      for (const key of drop) delete out[key]
      for (const [key, value] of Object.entries(set)) Object.defineProperty(out, key, { value, enumerable: true })
      return out
    })
  const jsonText = fc.oneof(
    mutated.map(toJson),
    // Mostly valid: any Unicode title, so the fuzzer also walks the path that stores
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 60 }).map((title) => JSON.stringify({ ...valid, title })),
    fc.jsonValue().map((v) => JSON.stringify(v) ?? ''),
    fc.string({ unit: 'binary', maxLength: 400 }),
  )
  const markdown = fc.oneof(
    fc
      .tuple(
        fc.array(
          fc.tuple(
            fc.oneof(hostileKey, fc.constantFrom('title', 'date', 'categories', 'tags', 'x')),
            fc.string({ unit: 'grapheme', maxLength: 30 }),
          ),
          { maxLength: 8 },
        ),
        fc.string({ maxLength: 200 }),
      )
      .map(([pairs, body]) => `---\n${pairs.map(([k, v]) => `${k}: ${v}`).join('\n')}\n---\n${body}`),
    fc.string({ unit: 'binary', maxLength: 400 }),
  )
  const request = fc.oneof(
    fc.record({ type: fc.constant('application/json'), text: jsonText }),
    fc.record({ type: fc.constant('text/markdown'), text: markdown }),
    fc.record({
      type: fc.constantFrom('text/plain', 'application/json; charset=latin1', 'application/octet-stream', ''),
      text: jsonText,
    }),
  )
  const rawBytes = fc.uint8Array({ maxLength: 600 })

  it(`never answers 5xx; every rejection is problem+json and leaves the table unchanged (${runs} runs)`, {
    timeout: 600_000,
  }, async () => {
    let rejected = 0
    let accepted = 0
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          request,
          rawBytes.map((b) => ({ type: 'text/markdown', text: b })),
        ),
        async (r) => {
          const before = await stack.allItems()
          const headers: Record<string, string> = { Authorization: `Bearer ${TEST_KEY}` }
          if (r.type) headers['Content-Type'] = r.type
          const response = await app.request('/api/articles', { method: 'POST', headers, body: r.text })
          expect(response.status).toBeLessThan(500)
          if (response.status >= 400) {
            rejected++
            expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/)
            expect(await stack.allItems()).toEqual(before)
          } else {
            accepted++
            expect([200, 201]).toContain(response.status)
          }
          expect(({} as Record<string, unknown>).polluted).toBeUndefined()
        },
      ),
      { numRuns: runs },
    )
    report('fuzz', { runs, rejected, accepted })
    expect(rejected).toBeGreaterThan(runs / 2)
    expect(accepted).toBeGreaterThan(0)
  })
})
