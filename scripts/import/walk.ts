import { readdir, stat } from 'node:fs/promises'
import { extname, join, resolve } from 'node:path'
import { ImportUsageError } from './errors.ts'

/** File name endings a Jekyll site uses for posts. */
export const POST_EXTENSIONS: readonly string[] = ['.md', '.markdown', '.html', '.txt']

/** One file to import. */
export interface PostFile {
  /** Absolute path. */
  readonly path: string
  /** Named on the command line: imported even without front matter (and then reported as invalid). */
  readonly explicit: boolean
}

/**
 * Lists the posts under the given files and folders, sorted, each once. Folders are walked for
 * {@link POST_EXTENSIONS}; hidden entries and `node_modules` are left out, symbolic links to folders are
 * not followed (no loops). A path that does not exist is a usage error: better said before than after.
 * @example const files = await findPosts(['site/_posts'])
 */
export async function findPosts(paths: readonly string[]): Promise<PostFile[]> {
  const found = new Map<string, PostFile>()
  for (const given of paths) {
    const path = resolve(given)
    const info = await stat(path).catch(() => undefined)
    if (!info) throw new ImportUsageError(`${given}: no such file or folder`)
    if (info.isDirectory()) {
      for (const file of await walk(path)) if (!found.has(file)) found.set(file, { path: file, explicit: false })
    } else {
      found.set(path, { path, explicit: true })
    }
  }
  return [...found.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
}

/** True for a name the walk takes as a post. */
export function isPostName(name: string): boolean {
  return !name.startsWith('.') && POST_EXTENSIONS.includes(extname(name).toLowerCase())
}

async function walk(folder: string): Promise<string[]> {
  const out: string[] = []
  const pending = [folder]
  while (pending.length > 0) {
    const current = pending.pop() as string
    const entries = await readdir(current, { withFileTypes: true })
    for (const entry of entries) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue
      const path = join(current, entry.name)
      if (entry.isDirectory()) pending.push(path)
      else if (isPostName(entry.name) && (entry.isFile() || (entry.isSymbolicLink() && (await isFile(path))))) {
        out.push(path)
      }
    }
  }
  return out
}

async function isFile(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isFile() ?? false
}
