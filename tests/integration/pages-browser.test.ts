import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Pipeline } from '../../local/pipeline.ts'
import { openChromium, pageWithErrors, VIEWPORTS } from '../support/chromium.ts'
import { testPipeline, testStack } from '../support/stack.ts'

// The feeds' human pages as a reader sees them (home, a category, an archive page, the categories index),
// in Debian's Chromium at a phone's and a desktop's width. Screenshots go to tests/artifacts (not committed).
const ARTIFACTS = fileURLToPath(new URL('../artifacts/', import.meta.url))
// Many categories, some with long names: the home page must not list them all, the index must wrap them.
const CATEGORIES = Array.from({ length: 40 }, (_, i) => (i % 7 === 0 ? `很长的栏目名称第${i}号栏目` : `lanmu${i}`))

let stack: Awaited<ReturnType<typeof testStack>>
let pipeline: Pipeline

beforeAll(async () => {
  stack = await testStack()
  // A small head, so that 14 articles already make an archive page.
  pipeline = await testPipeline(stack, { FEED_SIZE: '5' })
  const start = Date.UTC(2024, 0, 1)
  for (let i = 0; i < 14; i++) {
    const response = await fetch(`${pipeline.url}/api/articles`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${pipeline.apiKey}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        title: `${'银行业数字化转型'.repeat(i % 3 === 0 ? 4 : 1)}第 ${i} 篇`,
        date: new Date(start + i * 86_400_000).toISOString(),
        categories: ['yinhang', ...CATEGORIES.slice((i * 3) % 40, ((i * 3) % 40) + 3)],
        body: `<p>第 ${i} 篇的正文。</p>`,
      }),
    })
    expect(response.status).toBe(201)
  }
  await pipeline.stream.drained()
  mkdirSync(ARTIFACTS, { recursive: true })
}, 120_000)
afterAll(async () => {
  await pipeline?.stop()
  await stack?.dispose()
})

describe.each(VIEWPORTS)('the feed pages in Chromium at $width×$height', (viewport) => {
  it('show titles and category links apart, page into the past, and index the categories without a wall of names', async () => {
    // Prepare
    const { context, close } = await openChromium(viewport)
    const errors: string[] = []
    try {
      // No stand-in for /favicon.ico: the pages name their own icon, so a browser asks for none (its 404 was an
      // error in the console of every first visit).
      const page = await pageWithErrors(context, errors)
      const noHorizontalScroll = async () => {
        const widths = await page.evaluate(() => ({
          scroll: document.documentElement.scrollWidth,
          client: document.documentElement.clientWidth,
        }))
        expect(widths.scroll).toBeLessThanOrEqual(widths.client)
      }
      const shot = async (name: string) =>
        writeFileSync(join(ARTIFACTS, `pages-${name}-${viewport.width}.png`), await page.screenshot({ fullPage: true }))

      // Act: the home page
      expect((await page.goto(`${pipeline.url}/`))?.status()).toBe(200)

      // Assess: no wall of category names, a link to the index instead
      await noHorizontalScroll()
      expect(await page.locator('main a[href$="/categories.html"]').first().textContent()).toContain('全部栏目')
      expect(await page.locator(`main a[href*="/category/lanmu"]:not(.category)`).count()).toBe(0)
      await shot('home')

      // Act: a category page, then its older page by rel=next
      expect((await page.goto(`${pipeline.url}/category/yinhang.html`))?.status()).toBe(200)

      // Assess: a title and the category links of its meta line are styled apart
      await noHorizontalScroll()
      const style = (selector: string) =>
        page
          .locator(selector)
          .first()
          .evaluate((element) => {
            const css = getComputedStyle(element)
            return { weight: css.fontWeight, color: css.color, size: Number.parseFloat(css.fontSize) }
          })
      const title = await style('ul.items a.title')
      const category = await style('ul.items .item-meta a.category')
      expect(Number(title.weight)).toBeGreaterThanOrEqual(600)
      expect(Number(category.weight)).toBeLessThan(600)
      expect(category.color).not.toBe(title.color)
      expect(category.size).toBeLessThan(title.size)
      await shot('category')
      const next = page.locator('a[rel="next"]')
      expect(await next.isVisible()).toBe(true)
      await next.click()
      await page.waitForLoadState('load')
      expect(page.url()).toMatch(/\/category\/yinhang\/[^/]+\.html$/)
      await noHorizontalScroll()
      expect(await page.locator('ul.items a.title').count()).toBe(9)
      expect(await page.locator('a[rel="next"]').count()).toBe(0)
      await shot('archive')

      // Act: the categories index
      expect((await page.goto(`${pipeline.url}/categories.html`))?.status()).toBe(200)

      // Assess: every category, linked, wrapping within the viewport
      await noHorizontalScroll()
      expect(await page.locator('.categories a').count()).toBe(CATEGORIES.length + 1)
      const last = await page.locator('.categories a').last().boundingBox()
      expect((last?.x ?? 0) + (last?.width ?? 0)).toBeLessThanOrEqual(viewport.width)
      await shot('categories')
      expect(errors).toEqual([])

      // Act: a mistyped link (CloudFront answers the bucket's miss with 404.html)
      expect((await page.goto(`${pipeline.url}/category/yinhang.htm`))?.status()).toBe(404)

      // Assess: the site's page, in Chinese, fitting the width, with its way back
      await noHorizontalScroll()
      expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN')
      expect(await page.locator('main h1').textContent()).toBe('页面不存在')
      expect(await page.locator('main a[href$="/categories.html"]').isVisible()).toBe(true)
      await shot('not-found')
    } finally {
      await close()
    }
  }, 90_000)
})
