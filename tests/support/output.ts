import { vi } from 'vitest'

/** Every line written to stdout and stderr while `work` runs (the Powertools logger and metrics write there). */
export async function output(work: () => Promise<unknown>): Promise<string[]> {
  const written: string[] = []
  const keep = (chunk: unknown) => {
    written.push(String(chunk))
    return true
  }
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(keep)
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(keep)
  try {
    await work()
  } finally {
    out.mockRestore()
    err.mockRestore()
  }
  return written.join('').split('\n').filter(Boolean)
}
