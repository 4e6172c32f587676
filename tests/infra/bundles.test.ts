import { execFileSync } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { Template } from 'aws-cdk-lib/assertions'
import { afterAll, describe, expect, it } from 'vitest'
import { LAMBDA_ENV } from '../support/lambda-env.ts'
import { buildStack, logicalId } from './synth.ts'

const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url))
// The AWS SDK is inside (~450 KB of each); the limit catches a dependency that drags in far more.
const LIMIT = 700 * 1024
const cacheDir = join(PROJECT_ROOT, 'node_modules', '.cache')
mkdirSync(cacheDir, { recursive: true })
const outdir = mkdtempSync(join(cacheDir, 'finews-synth-'))
// Outside the project: a bundle copied here finds no node_modules, as in Lambda with no SDK of the runtime's.
const alone = mkdtempSync(join(tmpdir(), 'finews-bundle-alone-'))
afterAll(() => {
  rmSync(outdir, { recursive: true, force: true })
  rmSync(alone, { recursive: true, force: true })
})

describe('function bundles (real esbuild bundling, one synth)', () => {
  it('bundle the @smithy/node-http-handler the lock pins, one that has throwOnRequestTimeout (4.4.0 or later)', () => {
    const lock = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { version?: string }>
    }
    const versions = Object.entries(lock.packages)
      .filter(([path]) => path.endsWith('node_modules/@smithy/node-http-handler'))
      .map(([, entry]) => entry.version ?? '0.0.0')
    expect(versions.length).toBeGreaterThan(0)
    for (const version of versions) {
      const [major = 0, minor = 0] = version.split('.').map(Number)
      expect(major > 4 || (major === 4 && minor >= 4), `@smithy/node-http-handler ${version}`).toBe(true)
    }
  })

  it('each bundle is ESM, minified, carries the tested AWS SDK inside, and loads with no node_modules', () => {
    // GIVEN the stack synthesized with bundling, as `cdk synth` does
    const stack = buildStack({}, { bundle: true, outdir })
    const template = Template.fromStack(stack)
    const sizes: Record<string, number> = {}

    for (const [name, fn] of [
      ['api', stack.api],
      ['feeds', stack.feeds],
      ['share', stack.share],
    ] as const) {
      // WHEN we find the function's asset folder by the key its code points to
      const code = template.toJSON().Resources[logicalId(stack, fn.function)].Properties.Code
      const hash = String(code.S3Key).replace(/\.zip$/, '')
      const bundle = join(outdir, `asset.${hash}`, 'index.mjs')
      sizes[name] = statSync(bundle).size
      const text = readFileSync(bundle, 'utf8')
      const map = JSON.parse(readFileSync(`${bundle}.map`, 'utf8')) as { sourcesContent?: unknown }

      // THEN it is bounded, minified, the map has no sources (booleans, so a failure does not print a bundle)
      expect(sizes[name], `${name} bundle`).toBeLessThan(LIMIT)
      // (minified code runs to hundreds of thousands of characters in a few lines; the SDK keeps a few multi-line strings)
      expect(text.length / text.split('\n').length > 2000, `${name} is minified`).toBe(true)
      expect(map.sourcesContent).toBeUndefined()
      // AND it imports nothing but Node's own modules: no @aws-sdk or @smithy package is left to the runtime
      // (static and dynamic imports, require calls; not the SDK's message that quotes `[require("…crt")]`)
      const specifiers =
        /(?<!\[)\bimport\s*(?:[\w$*{},\s]*?\bfrom\s*)?"([^"]+)"|\bimport\(\s*"([^"]+)"\s*\)|(?<!\[)\brequire\(\s*"([^"]+)"\s*\)/g
      const imported = [...text.matchAll(specifiers)].map((m) => m[1] ?? m[2] ?? m[3])
      expect(
        imported.filter((spec) => !spec?.startsWith('node:')),
        `${name} imports only node: modules`,
      ).toEqual([])
      // AND the HTTP handler inside is the one package-lock pins, which honours throwOnRequestTimeout (>= 4.4.0)
      expect(text.includes('Init client requestHandler with throwOnRequestTimeout=true'), `${name} handler`).toBe(true)
      expect(text.includes('@smithy/node-http-handler - ['), `${name} bundles @smithy/node-http-handler`).toBe(true)

      // AND it loads as an ES module in Node from a folder with no node_modules (no network at load)
      const copy = join(alone, name, 'index.mjs')
      mkdirSync(join(alone, name), { recursive: true })
      copyFileSync(bundle, copy)
      const loaded = execFileSync(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          `const m = await import(${JSON.stringify(pathToFileURL(copy).href)}); process.stdout.write(typeof m.handler)`,
        ],
        {
          env: { PATH: process.env.PATH, ...LAMBDA_ENV },
          encoding: 'utf8',
          timeout: 20_000,
        },
      )
      expect(loaded, `${name} exports handler`).toBe('function')
    }

    console.log(
      `bundle sizes (minified, AWS SDK inside): ${Object.entries(sizes)
        .map(([name, size]) => `${name} ${(size / 1024).toFixed(1)} KB`)
        .join(', ')}`,
    )
  }, 120_000)
})
