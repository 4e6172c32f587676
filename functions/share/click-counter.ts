interface Lane {
  running: boolean
  queued: number
  batch: { promise: Promise<void>; resolve: () => void; reject: (error: unknown) => void } | undefined
}

/**
 * Counts clicks with at most one write in flight per article: a click that arrives while one is being
 * written joins the next write (`ADD n`), and each caller's promise settles once the write holding its click
 * is stored. A lone click is written at once; a burst on one viral link costs a few writes, not one each,
 * and never contends on its own item. (A Lambda instance serves one request at a time, so there it is
 * simply one write per click; the local server and any concurrent host gain.)
 * @example const click = coalescingClicks((code, n) => store.countClick(code, n)); await click('NW…')
 */
export function coalescingClicks(
  write: (infoCode: string, count: number) => Promise<unknown>,
): (infoCode: string) => Promise<void> {
  const lanes = new Map<string, Lane>()

  async function drain(infoCode: string, lane: Lane): Promise<void> {
    lane.running = true
    while (lane.queued > 0 && lane.batch) {
      const count = lane.queued
      const batch = lane.batch
      lane.queued = 0
      lane.batch = undefined
      try {
        await write(infoCode, count)
        batch.resolve()
      } catch (error) {
        batch.reject(error)
      }
    }
    lanes.delete(infoCode)
  }

  return (infoCode) => {
    let lane = lanes.get(infoCode)
    if (!lane) {
      lane = { running: false, queued: 0, batch: undefined }
      lanes.set(infoCode, lane)
    }
    if (!lane.batch) {
      let resolve!: () => void
      let reject!: (error: unknown) => void
      const promise = new Promise<void>((ok, fail) => {
        resolve = ok
        reject = fail
      })
      lane.batch = { promise, resolve, reject }
    }
    lane.queued++
    const mine = lane.batch.promise
    if (!lane.running) void drain(infoCode, lane)
    return mine
  }
}
