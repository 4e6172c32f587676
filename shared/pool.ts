/**
 * Runs `task(0…count-1)` with at most `width` in flight (at least one), taking no new index once `go()` says
 * stop; resolves when every started task has finished. Hand-written: ten lines, where `p-limit` and friends
 * queue a promise per task.
 * @example await pool(files.length, 16, (i) => upload(files[i]))
 */
export async function pool(
  count: number,
  width: number,
  task: (index: number) => Promise<void>,
  go: () => boolean = () => true,
): Promise<void> {
  let next = 0
  const worker = async () => {
    while (next < count && go()) await task(next++)
  }
  await Promise.all(Array.from({ length: Math.min(Math.max(1, width), count) }, worker))
}
