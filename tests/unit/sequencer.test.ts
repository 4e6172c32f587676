import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { SLOW_FILES, slowFilesFirst } from '../support/sequencer.ts'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))

describe('the test order (tests/support/sequencer.ts)', () => {
  it('names only files that exist, each once', () => {
    expect(SLOW_FILES.filter((file) => !existsSync(`${ROOT}${file}`))).toEqual([])
    expect(new Set(SLOW_FILES).size).toBe(SLOW_FILES.length)
  })

  it('puts the slow files first in the list order and keeps the order of the others', () => {
    const [first, second] = SLOW_FILES
    const files = ['/p/tests/unit/a.test.ts', `/p/${second}`, '/p/tests/unit/b.test.ts', `/p/${first}`]

    expect(slowFilesFirst(files, (file) => file)).toEqual([
      `/p/${first}`,
      `/p/${second}`,
      '/p/tests/unit/a.test.ts',
      '/p/tests/unit/b.test.ts',
    ])
  })
})
