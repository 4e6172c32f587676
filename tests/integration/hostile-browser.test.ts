import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Pipeline } from '../../local/pipeline.ts'
import { HOSTILE_BODIES, SMALL_FLOODS } from '../fixtures/hostile-bodies.ts'
import { openChromium } from '../support/chromium.ts'
import { testPipeline, testStack } from '../support/stack.ts'

// The hostile-body corpus in Chromium, through npm start's pipeline, under the share app's real
// Content-Security-Policy (same browser setup as share-browser.test.ts). One article per class keeps it quick;
// each body is also checked alone with parse5 in tests/unit/hostile-bodies.test.ts.

let stack: Awaited<ReturnType<typeof testStack>>
let pipeline: Pipeline
const pages: { name: string; shareUrl: string }[] = []

beforeAll(async () => {
  stack = await testStack()
  pipeline = await testPipeline(stack)
  const classes: [string, readonly string[]][] = [...Object.entries(HOSTILE_BODIES), ['floods', SMALL_FLOODS]]
  for (const [i, [name, bodies]] of classes.entries()) {
    const response = await fetch(`${pipeline.url}/api/articles`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${pipeline.apiKey}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        infoCode: `NW2024030100000${String(i).padStart(5, '0')}`,
        title: name,
        date: '2024-03-01 10:00:00 +0800',
        categories: ['hostile'],
        // Each body in a block of its own (an unclosed quote or `<video>` may still swallow what follows, as in a browser).
        body: bodies.map((body) => `<div>\n\n${body}\n\n</div>`).join('\n\n'),
      }),
    })
    expect(response.status, name).toBe(201)
    pages.push({ name, shareUrl: ((await response.json()) as { shareUrl: string }).shareUrl })
  }
})
afterAll(async () => {
  await pipeline?.stop()
  await stack?.dispose()
})

describe('hostile bodies in Chromium under the real CSP', () => {
  it('run nothing, break nothing: no dialog, no console error (CSP reports), the page keeps its structure', async () => {
    const { context, close } = await openChromium()
    const events: string[] = []
    try {
      // Nothing leaves the machine: any request to another host is answered empty, and noted.
      await context.route('**/*', (route) => {
        const url = new URL(route.request().url())
        if (url.hostname === '127.0.0.1') return route.continue()
        return route.fulfill({ status: 204, body: '' })
      })
      const page = context.pages()[0] ?? (await context.newPage())
      page.on('dialog', (dialog) => {
        events.push(`dialog ${dialog.message()}`)
        void dialog.dismiss()
      })
      page.on('console', (message) => {
        // A CSP violation is reported here ("Refused to …"); an image whose relative src 404s locally is not.
        if (message.type() === 'error' && !message.text().startsWith('Failed to load resource'))
          events.push(`console ${message.text()}`)
      })
      page.on('pageerror', (error) => events.push(`pageerror ${error.message}`))
      for (const { name, shareUrl } of pages) {
        const response = await page.goto(shareUrl, { waitUntil: 'load' })
        expect(response?.status(), name).toBe(200)
        const shape = await page.evaluate(() => {
          const bodies = document.querySelectorAll('article .body')
          const body = bodies[0]
          const qr = document.querySelector('section.qr')
          return {
            bodies: bodies.length,
            qrOutside: qr !== null && body !== undefined && !body.contains(qr) && qr.closest('article') === null,
            // The template's own elements after the body are where it put them: the article closed.
            articleThenQr: document.querySelector('main > article + section.qr, body article + section.qr') !== null,
            inBody: body
              ? [...body.querySelectorAll('*')]
                  .filter((e) =>
                    /^(script|style|iframe|object|embed|form|input|button|svg|math|template|base|meta|link)$/i.test(
                      e.tagName,
                    ),
                  )
                  .map((e) => e.tagName)
              : [],
            handlers: body
              ? [...body.querySelectorAll('*')].flatMap((e) =>
                  [...e.attributes].filter((a) => /^on|^style$/i.test(a.name)).map((a) => a.name),
                )
              : [],
            scriptLinks: [...document.querySelectorAll('a[href], img[src]')]
              .map((e) => e.getAttribute('href') ?? e.getAttribute('src') ?? '')
              .filter((u) => !/^(https?:|mailto:)/i.test(u.trim())),
          }
        })
        expect(shape, name).toEqual({
          bodies: 1,
          qrOutside: true,
          articleThenQr: true,
          inBody: [],
          handlers: [],
          scriptLinks: [],
        })
      }
      expect(events).toEqual([])
    } finally {
      await close()
    }
  }, 240_000)
})
