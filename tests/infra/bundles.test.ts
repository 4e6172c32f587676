import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { Template } from 'aws-cdk-lib/assertions'
import { afterAll, describe, expect, it } from 'vitest'
import { LAMBDA_ENV } from '../support/lambda-env.ts'
import { buildStack, logicalId } from './synth.ts'

const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url))
const LIMIT = 150 * 1024
// Inside the project, so the bundles find @aws-sdk in node_modules as they find it in the Lambda runtime.
const cacheDir = join(PROJECT_ROOT, 'node_modules', '.cache')
mkdirSync(cacheDir, { recursive: true })
const outdir = mkdtempSync(join(cacheDir, 'finews-synth-'))
afterAll(() => rmSync(outdir, { recursive: true, force: true }))

describe('function bundles (real esbuild bundling, one synth)', () => {
  it('each bundle is ESM, minified, under 150 KB with @aws-sdk/* left to the runtime, and loads', () => {
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

      // THEN it is small, the SDK is imported rather than bundled, the map has no sources
      expect(sizes[name], `${name} bundle`).toBeLessThan(LIMIT)
      // (booleans, so a failure does not print a whole bundle)
      expect(/\n {2}\S/.test(text), `${name} is minified`).toBe(false)
      expect(map.sourcesContent).toBeUndefined()
      expect(/from\s*"@aws-sdk\/client-/.test(text), `${name} imports the SDK from the runtime`).toBe(true)

      // AND it loads as an ES module in Node with only node_modules/@aws-sdk beside it (no network at load)
      const loaded = execFileSync(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          `const m = await import(${JSON.stringify(pathToFileURL(bundle).href)}); process.stdout.write(typeof m.handler)`,
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
      `bundle sizes (minified, @aws-sdk/* external): ${Object.entries(sizes)
        .map(([name, size]) => `${name} ${(size / 1024).toFixed(1)} KB`)
        .join(', ')}`,
    )
  }, 120_000)
})
