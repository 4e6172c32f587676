import { access, appendFile, constants, mkdir, readFile, stat } from 'node:fs/promises'
import { homedir } from 'node:os'
import { basename, dirname, join, resolve, sep } from 'node:path'
import { ImportUsageError } from './errors.ts'

/** Name of the state file earlier versions kept beside the posts; still read (never written) when found. */
export const LEGACY_STATE_FILE_NAME = '.finews-import.jsonl'

/** One line of the state file: a post the server gave an infoCode to. */
export interface StateEntry {
  readonly key: string
  readonly infoCode: string
  readonly at: string
}

/**
 * What earlier runs learned: the infoCode the server generated for each post that had none, by the post's
 * key (its file name: what a Jekyll site keeps unique and stable across edits and moves). A JSON Lines
 * journal: one line appended per new infoCode, so a crash loses at most the line being written and a large
 * import never rewrites the file.
 */
export interface ImportState {
  /** The state file. */
  readonly path: string
  /** The stable key of a post file: its file name, NFC-normalised. */
  keyOf(file: string): string
  get(key: string): string | undefined
  /** Remembers an infoCode; written to the file before the promise settles (unless read-only). */
  record(key: string, infoCode: string): Promise<void>
  readonly size: number
  /** Lines of the file that could not be read (a torn last line after a crash, a hand edit). */
  readonly unreadableLines: number
}

/**
 * Where the state of imports into `api` lives when `--state` is not given: outside the folders imported
 * (they are someone's git repository), one file per API, under `$XDG_STATE_HOME/finews/` (else
 * `~/.local/state/finews/`): `import-127.0.0.1-3000.jsonl`.
 * @example defaultStatePath('http://127.0.0.1:3000', process.env) // '/home/me/.local/state/finews/import-127.0.0.1-3000.jsonl'
 */
export function defaultStatePath(api: string, env: NodeJS.ProcessEnv): string {
  const root = env.XDG_STATE_HOME?.trim() || join(env.HOME?.trim() || homedir(), '.local', 'state')
  const url = new URL(api)
  const port = url.port || (url.protocol === 'https:' ? '443' : '80')
  const site = `${url.hostname}-${port}${url.pathname.replace(/\/+$/, '')}`.replace(/[^A-Za-z0-9.-]+/g, '_')
  return join(resolve(root), 'finews', `import-${site}.jsonl`)
}

/**
 * The state file an earlier version left in the inputs' folders: the nearest {@link LEGACY_STATE_FILE_NAME}
 * in their common folder or one of its parents. Read, so its posts keep their infoCodes; never written.
 */
export async function findLegacyState(paths: readonly string[], isDirectory: (p: string) => Promise<boolean>) {
  const folders = await Promise.all(
    paths.map(async (p) => {
      const abs = resolve(p)
      return (await isDirectory(abs)) ? abs : dirname(abs)
    }),
  )
  for (let folder = commonFolder(folders); ; folder = dirname(folder)) {
    const candidate = join(folder, LEGACY_STATE_FILE_NAME)
    if ((await stat(candidate).catch(() => undefined))?.isFile()) return candidate
    if (dirname(folder) === folder) return undefined
  }
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
 * @example const state = await openState(defaultStatePath('http://127.0.0.1:3000', process.env))
 */
export async function openState(
  path: string,
  options: { readOnly?: boolean; legacy?: string | undefined } = {},
): Promise<ImportState> {
  const file = resolve(path)
  const codes = new Map<string, string>()
  let unreadable = 0
  // An earlier version's file first (keys were paths: their file names are today's keys), then this one.
  if (options.legacy) {
    const old = await readFile(options.legacy, 'utf8').catch(() => '')
    for (const line of old.split('\n')) {
      const entry = line.trim() === '' ? undefined : parseEntry(line)
      if (entry) codes.set(stateKey(entry.key), entry.infoCode)
    }
  }
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
    keyOf: stateKey,
    get: (key) => codes.get(key),
    record(key, infoCode) {
      codes.set(key, infoCode)
      if (options.readOnly) return Promise.resolve()
      const line = `${JSON.stringify({ key, infoCode, at: new Date().toISOString() } satisfies StateEntry)}\n`
      writing = writing.then(async () => {
        await mkdir(dirname(file), { recursive: true })
        await appendFile(file, line, 'utf8')
      })
      return writing
    },
    get size() {
      return codes.size
    },
    unreadableLines: unreadable,
  }
}

/** The key of a post file: its file name, NFC-normalised, so it survives moving the site or the state file. */
export function stateKey(file: string): string {
  return basename(file.split('\\').join('/')).normalize('NFC')
}

// Found out before the first POST: a created article whose infoCode cannot be kept would be created again next run.
async function assertWritable(file: string, exists: boolean): Promise<void> {
  const target = exists ? file : await nearestExisting(dirname(file))
  try {
    await access(target, constants.W_OK)
  } catch {
    throw new ImportUsageError(`cannot write the state file ${file}: choose another place with --state FILE`)
  }
}

async function nearestExisting(folder: string): Promise<string> {
  for (let current = folder; ; current = dirname(current)) {
    if (await stat(current).catch(() => undefined)) return current
    if (dirname(current) === current) return current
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
