interface Frame {
  readonly path: string
  readonly keys: Set<string> | undefined
  index: number
  expectKey: boolean
  key: string
}

/**
 * The path of the first key an object of this JSON text repeats, or undefined. `JSON.parse` keeps the
 * last of two equal keys silently, so `{"title":"a","title":"b"}` would reach us as `b` with no trace:
 * a reviewer reading the first wins, the server stores the second. Call it only on text `JSON.parse`
 * accepted: it trusts the syntax and walks the text once, with an explicit stack (no recursion).
 * @example findDuplicateKey('{"a":{"b":1,"b":2}}') // 'a.b'
 */
export function findDuplicateKey(text: string): string | undefined {
  const stack: Frame[] = []
  const childPath = (top: Frame | undefined): string => {
    if (!top) return ''
    const step = top.keys ? top.key : `[${top.index}]`
    return top.keys ? (top.path ? `${top.path}.${step}` : step) : `${top.path}${step}`
  }
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i)
    if (ch === 0x22 /* " */) {
      const start = i
      let escaped = false
      for (i++; i < text.length; i++) {
        const c = text.charCodeAt(i)
        if (c === 0x5c /* \ */) {
          escaped = true
          i++
        } else if (c === 0x22) break
      }
      const top = stack[stack.length - 1]
      if (top?.keys && top.expectKey) {
        const raw = text.slice(start, i + 1)
        const key = escaped ? (JSON.parse(raw) as string) : raw.slice(1, -1)
        top.key = key
        if (top.keys.has(key)) return childPath(top)
        top.keys.add(key)
        top.expectKey = false
      }
    } else if (ch === 0x7b /* { */ || ch === 0x5b /* [ */) {
      const path = childPath(stack[stack.length - 1])
      stack.push({ path, keys: ch === 0x7b ? new Set() : undefined, index: 0, expectKey: ch === 0x7b, key: '' })
    } else if (ch === 0x7d /* } */ || ch === 0x5d /* ] */) {
      stack.pop()
    } else if (ch === 0x2c /* , */) {
      const top = stack[stack.length - 1]
      if (top?.keys) top.expectKey = true
      else if (top) top.index++
    }
  }
  return undefined
}
