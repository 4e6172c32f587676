import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { LAMBDA_ENV } from '../support/lambda-env.ts'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))

const STACK_ENV = { ...LAMBDA_ENV, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' }

/** Starts a fresh node that imports a handler as the Lambda runtime does at init; its exit code and stderr. */
function init(
  fn: string,
  env: Record<string, string | undefined>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const script = `const m = await import('./functions/${fn}/handler.ts'); process.stdout.write(typeof m.handler)`
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script],
      { cwd: ROOT, env: { PATH: process.env.PATH, ...env }, timeout: 30_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0
        resolve({ code, stdout, stderr })
      },
    )
  })
}

describe('a Lambda started without a variable it needs', () => {
  it('exits at init naming it (api without TABLE_NAME, share without SITE_NAME, feeds without BUCKET_NAME); starts with all', async () => {
    const [api, share, feeds, apiOk] = await Promise.all([
      init('api', { ...STACK_ENV, TABLE_NAME: undefined }),
      init('share', { ...STACK_ENV, SITE_NAME: undefined }),
      init('feeds', { ...STACK_ENV, BUCKET_NAME: undefined }),
      init('api', STACK_ENV),
    ])

    expect(api.code).not.toBe(0)
    expect(api.stderr).toContain('ConfigError: TABLE_NAME is not set')
    expect(share.code).not.toBe(0)
    expect(share.stderr).toContain('ConfigError: SITE_NAME is not set')
    expect(feeds.code).not.toBe(0)
    expect(feeds.stderr).toContain('ConfigError: BUCKET_NAME is not set')
    expect(apiOk).toMatchObject({ code: 0, stdout: 'function' })
  }, 60_000)
})
