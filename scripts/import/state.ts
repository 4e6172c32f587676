import { access, appendFile, constants, readFile, stat } from 'node:fs/promises'
import { dirname, join, relative, resolve, sep } from 'node:path'
import { ImportUsageError } from './errors.ts'

/** Name of the state file the importer looks for and creates. */
export const STATE_FILE_NAME = '.finews-import.jsonl'

/** One line of the state file: a post the server gave an infoCode to. */
export interface StateEntry {
  readonly key: string
  readonly infoCode: string
  readonly at: string
}

/**
 * What earlier runs learned: the infoCode the server generated for each post that had none, by the post's
 * key (its path relative to the state file's folder). A JSON Lines journal: one line appended per new
 * infoCode, so a crash loses at most the line being written and a large import never rewrites the file.
 */
export interface ImportState {
  /** The state file. */
  readonly path: string
  /** The stable key of a post file: its path relative to the state file's folder, with `/` separators. */
  keyOf(file: string): string
  get(key: string): string | undefined
  /** Remembers an infoCode; written to the file before the promise settles (unless read-only). */
  record(key: string, infoCode: string): Promise<void>
  readonly size: number
  /** Lines of the file that could not be read (a torn last line after a crash, a hand edit). */
  readonly unreadableLines: number
}

/**
 * Where the state of an import of `paths` lives when `--state` is not given: the nearest existing
 * {@link STATE_FILE_NAME} in the inputs' common folder or one of its parents (so importing `_posts/2022`
 * after `_posts` finds the state of the first run), else a new one in the common folder.
 */
export async function defaultStatePath(paths: readonly string[], isDirectory: (p: string) => Promise<boolean>) {
  const folders = await Promise.all(
    paths.map(async (p) => {
      const abs = resolve(p)
      return (await isDirectory(abs)) ? abs : dirname(abs)
    }),
  )
  const common = commonFolder(folders)
  for (let folder = common; ; folder = dirname(folder)) {
    const candidate = join(folder, STATE_FILE_NAME)
    if ((await stat(candidate).catch(() => undefined))?.isFile()) return candidate
    if (dirname(folder) === folder) break
  }
  return join(common, STATE_FILE_NAME)
}

/** The deepest folder that holds all the given absolute folders. */
export function commonFolder(folders: readonly string[]): string {
  if (folders.length === 0) return resolve('.')
  let parts = (folders[0] as string).split(sep)
  for (const folder of folders.slice(1)) {
    const other = folder.split(sep)
    let i = 0
    while (i < parts.length && i < other.length && parts[i] === other[i]) i++
    parts = parts.slice(0, i)
  }
  return parts.join(sep) || sep
}

/**
 * Opens (or starts) the state at `path`. With `readOnly` (dry runs) nothing is ever written.
 * @example const state = await openState('/site/_posts/.finews-import.jsonl')
 */
export async function openState(path: string, options: { readOnly?: boolean } = {}): Promise<ImportState> {
  const file = resolve(path)
  const root = dirname(file)
  const codes = new Map<string, string>()
  let unreadable = 0
  let exists = true
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error
    exists = false
    return ''
  })
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue
    const entry = parseEntry(line)
    if (entry) codes.set(entry.key, entry.infoCode)
    else unreadable++
  }
  if (!options.readOnly) await assertWritable(file, exists)
  // Appends are chained so two workers never interleave their lines.
  let writing: Promise<void> = Promise.resolve()
  return {
    path: file,
    keyOf: (p) => stateKey(root, p),
    get: (key) => codes.get(key),
    record(key, infoCode) {
      codes.set(key, infoCode)
      if (options.readOnly) return Promise.resolve()
      const line = `${JSON.stringify({ key, infoCode, at: new Date().toISOString() } satisfies StateEntry)}\n`
      writing = writing.then(() => appendFile(file, line, 'utf8'))
      return writing
    },
    get size() {
      return codes.size
    },
    unreadableLines: unreadable,
  }
}

/** The key of `file` under `root`: relative, `/`-separated and NFC-normalised, so it survives moving the site. */
export function stateKey(root: string, file: string): string {
  return relative(root, resolve(file)).split(sep).join('/').normalize('NFC')
}

// Found out before the first POST: a created article whose infoCode cannot be kept would be created again next run.
async function assertWritable(file: string, exists: boolean): Promise<void> {
  const target = exists ? file : dirname(file)
  try {
    await access(target, constants.W_OK)
  } catch {
    throw new ImportUsageError(`cannot write the state file ${file}: choose another place with --state FILE`)
  }
}

function parseEntry(line: string): StateEntry | undefined {
  try {
    const value = JSON.parse(line) as Partial<StateEntry>
    if (typeof value.key === 'string' && typeof value.infoCode === 'string') {
      return { key: value.key, infoCode: value.infoCode, at: String(value.at ?? '') }
    }
  } catch {
    // A torn line from a crash mid-append: counted, not fatal.
  }
  return undefined
}
