/**
 * The `Last-Modified` of a representation whose bytes changed. HTTP dates have one-second precision, so a
 * change must move `Last-Modified` forward by at least one second, or `If-Modified-Since` would hide it: the
 * time the content says (`wanted`, to the second) when it is later than the stored one, else the write time,
 * at least one second past the stored one (a deletion or a renamed category changes bytes, not content times).
 * @example nextLastModified(new Date('2024-01-01T00:00:00.5Z'), undefined, now) // 2024-01-01T00:00:00Z
 */
export function nextLastModified(wanted: Date, previous: Date | undefined, now: Date): Date {
  const candidate = floorToSecond(wanted)
  if (!previous || candidate.getTime() > previous.getTime()) return candidate
  return floorToSecond(new Date(Math.max(now.getTime(), previous.getTime() + 1000)))
}

function floorToSecond(date: Date): Date {
  return new Date(Math.floor(date.getTime() / 1000) * 1000)
}
