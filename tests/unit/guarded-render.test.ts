import { describe, expect, it } from 'vitest'
import { BODY_UNAVAILABLE, guardedRenderer } from '#shared/content/guarded-render'

const BASE = 'https://news.example.com'
const subject = { infoCode: 'NW202403010000000001', summary: '摘要 <b>&', updatedAt: '2024-03-01T02:00:00.000Z' }

describe('guardedRenderer', () => {
  it('renders a body within budget as the renderer does', () => {
    const logs: Record<string, unknown>[] = []
    const render = guardedRenderer({ baseUrl: BASE, log: (e) => logs.push(e) })
    expect(render('**hi**', subject)).toBe('<p><strong>hi</strong></p>')
    expect(logs).toEqual([])
  })

  it('shows the summary and logs it when the render throws', () => {
    const logs: Record<string, unknown>[] = []
    const render = guardedRenderer({
      baseUrl: BASE,
      log: (e) => logs.push(e),
      render: () => {
        throw new RangeError('Maximum call stack size exceeded')
      },
    })
    expect(render('body', subject)).toBe('<p>摘要 &lt;b&gt;&amp;</p>')
    expect(logs).toHaveLength(1)
    // The RenderFallback count goes through the metric helper (tests/integration/observability.test.ts reads it).
    expect(logs[0]).toMatchObject({
      level: 'warn',
      infoCode: subject.infoCode,
      reason: expect.stringContaining('failed'),
    })
  })

  it('shows a notice, never nothing, when the body fails and has no summary', () => {
    const render = guardedRenderer({
      baseUrl: BASE,
      log: () => undefined,
      render: () => {
        throw new Error('boom')
      },
    })
    // An empty result would send the share page or the feed back to the unguarded renderer.
    expect(render('<img src=x>', { ...subject, summary: '' })).toBe(`<p>${BODY_UNAVAILABLE}</p>`)
  })

  it('shows the summary for a render over budget, and skips rendering that version again', () => {
    let clock = 0
    let renders = 0
    const logs: Record<string, unknown>[] = []
    const render = guardedRenderer({
      baseUrl: BASE,
      budgetMs: 1000,
      now: () => clock,
      log: (e) => logs.push(e),
      render: () => {
        renders++
        clock += 1500
        return '<p>slow</p>'
      },
    })
    expect(render('body', subject)).toBe('<p>摘要 &lt;b&gt;&amp;</p>')
    expect(render('body', subject)).toBe('<p>摘要 &lt;b&gt;&amp;</p>')
    expect(renders).toBe(1)
    expect(logs.map((e) => e.reason)).toEqual(['over budget', 'over budget before'])
    // A new version of the article is rendered again.
    expect(render('body', { ...subject, updatedAt: '2024-03-02T02:00:00.000Z' })).toContain('摘要')
    expect(renders).toBe(2)
  })
})
