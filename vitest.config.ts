import { defineConfig } from 'vitest/config'
import { SlowFilesFirst } from './tests/support/sequencer.ts'

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: files run two at a time against one shared DynamoDB Local and s3rver.
    pool: 'forks',
    maxWorkers: 2,
    // The longest files first, on a fresh clone too (tests/support/sequencer.ts).
    sequence: { sequencer: SlowFilesFirst },
    reporters: ['default'],
    // The lock pins the AWS SDK; its notice that later releases need Node.js 22 is noise in every test file.
    // Powertools: no EMF lines and no info lines on every request (tests/unit/observability.test.ts turns
    // metrics and info back on to read them).
    env: {
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      POWERTOOLS_METRICS_DISABLED: 'true',
      POWERTOOLS_LOG_LEVEL: 'WARN',
    },
  },
})
