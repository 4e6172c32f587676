import { describe, expect, it } from 'vitest'
import { nextLastModified } from '#shared/http/last-modified'

const at = (iso: string) => new Date(iso)

describe('nextLastModified (a changed representation moves Last-Modified forward, to the second)', () => {
  it('is the time the content says, to the second, when nothing was stored or it is later', () => {
    const now = at('2024-06-01T00:00:00Z')
    expect(nextLastModified(at('2024-01-01T10:00:00.750Z'), undefined, now)).toEqual(at('2024-01-01T10:00:00Z'))
    expect(nextLastModified(at('2024-01-02T00:00:00Z'), at('2024-01-01T00:00:00Z'), now)).toEqual(
      at('2024-01-02T00:00:00Z'),
    )
  })

  it('is the write time when the content says no later time, and never within the stored second', () => {
    const stored = at('2024-01-01T00:00:00Z')
    expect(nextLastModified(at('2023-12-01T00:00:00Z'), stored, at('2024-06-01T00:00:00.900Z'))).toEqual(
      at('2024-06-01T00:00:00Z'),
    )
    // A clock behind the stored time (or the same second) still moves one second on.
    expect(nextLastModified(stored, stored, at('2023-01-01T00:00:00Z'))).toEqual(at('2024-01-01T00:00:01Z'))
  })
})
