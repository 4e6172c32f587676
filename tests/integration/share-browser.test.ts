import { randomUUID } from 'node:crypto'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import jsqr from 'jsqr'
import { PNG } from 'pngjs'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { type Pipeline, startPipeline } from '../../local/pipeline.ts'
import { openChromium, pageWithErrors, VIEWPORTS } from '../support/chromium.ts'
import { FIXTURE_POST } from '../support/fixture.ts'

// jsqr is CommonJS typed as an ES default export: under NodeNext its function is `.default` of the import.
const decodeQr = jsqr.default
const ARTIFACTS = fileURLToPath(new URL('../artifacts/', import.meta.url))
// The fixture's images live on other hosts; the machine is offline, so the browser gets a stand-in picture
// of the same size instead of a failed load (which Chromium would log as a console error).
const STAND_IN_IMAGE =
  '<svg xmlns="http://www.w3.org/2000/svg" width="578" height="276"><rect width="578" height="276" fill="#d9e2ec"/></svg>'

// Content that pushes a layout wider than a phone if the stylesheet lets it.
const WIDE_BODY = `<p>${'长'.repeat(10)}${'W'.repeat(300)}</p>
<p><a href="https://example.com/${'very-long-path-segment/'.repeat(12)}">https://example.com/${'very-long-path-segment/'.repeat(12)}</a></p>
<table><tr>${Array.from({ length: 14 }, (_, i) => `<td>第${i}列的数据单元格</td>`).join('')}</tr></table>
<pre><code>${'const aVeryLongLineOfCode = '.repeat(10)}</code></pre>
<p><img src="https://img.example.com/huge.png" width="2400" height="1200" alt="大图"></p>
<p>宽内容之后的正文仍然可见。</p>`

let pipeline: Pipeline
const articles: { shareUrl: string; shortUrl: string }[] = []

async function upload(body: string): Promise<{ shareUrl: string; shortUrl: string }> {
  const response = await fetch(`${pipeline.url}/api/articles`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${pipeline.apiKey}`, 'Content-Type': 'text/markdown' },
    body,
  })
  expect(response.status).toBe(201)
  return (await response.json()) as { shareUrl: string; shortUrl: string }
}

beforeAll(async () => {
  const id = randomUUID().slice(0, 8)
  pipeline = await startPipeline({
    servers: { dynamoEndpoint: inject('dynamoEndpoint'), s3Endpoint: inject('s3Endpoint') },
    env: { TABLE_NAME: `share-browser-${id}`, BUCKET_NAME: `share-browser-${id}`, RATE_LIMIT_PER_MINUTE: '0' },
  })
  articles.push(await upload(FIXTURE_POST))
  articles.push(
    await upload(
      `---\ninfoCode: NW202403010000000001\ntitle: "${'很长的标题'.repeat(12)}"\ndate: 2024-03-01 10:00:00 +0800\ncategories: markets wide-content\n---\n${WIDE_BODY}\n`,
    ),
  )
  mkdirSync(ARTIFACTS, { recursive: true })
})
afterAll(async () => {
  await pipeline?.stop()
})

describe.each(VIEWPORTS)('the share page in Chromium at $width×$height', (viewport) => {
  it('loads without console errors, without horizontal scroll, with its body text and a readable QR code', async () => {
    // Prepare
    const { context, close } = await openChromium(viewport)
    const errors: string[] = []
    try {
      await context.route('**/*', (route) => {
        const url = new URL(route.request().url())
        if (url.hostname === '127.0.0.1') return route.continue()
        return route.fulfill({ status: 200, contentType: 'image/svg+xml', body: STAND_IN_IMAGE })
      })
      const page = await pageWithErrors(context, errors)

      for (const [index, article] of articles.entries()) {
        // Act: through the short link, as a person following it would
        const response = await page.goto(article.shortUrl, { waitUntil: 'load' })

        // Assess
        expect(response?.status()).toBe(200)
        expect(page.url()).toBe(article.shareUrl)
        const widths = await page.evaluate(() => ({
          scroll: document.documentElement.scrollWidth,
          client: document.documentElement.clientWidth,
        }))
        expect(widths.scroll).toBeLessThanOrEqual(widths.client)
        const paragraph = page
          .locator('article .body p')
          .filter({ hasText: index === 0 ? '171万户普惠小微客户' : '宽内容之后' })
        await expect.poll(() => paragraph.first().isVisible()).toBe(true)
        const box = await paragraph.first().boundingBox()
        expect(box?.x).toBeGreaterThanOrEqual(0)
        expect((box?.x ?? 0) + (box?.width ?? 0)).toBeLessThanOrEqual(viewport.width)
        const qr = await page.locator('.qr svg').screenshot()
        const png = PNG.sync.read(qr)
        expect(decodeQr(new Uint8ClampedArray(png.data), png.width, png.height)?.data).toBe(article.shortUrl)
        const shot = `share-${index === 0 ? 'fixture' : 'wide'}-${viewport.width}x${viewport.height}`
        writeFileSync(join(ARTIFACTS, `${shot}.png`), await page.screenshot({ fullPage: true }))
        await page.evaluate(() => window.scrollTo(0, 0))
        writeFileSync(join(ARTIFACTS, `${shot}-top.png`), await page.screenshot())
      }
      expect(errors).toEqual([])
    } finally {
      await close()
    }
  }, 90_000)
})
