import { describe, expect, it } from 'vitest'
import { isCrawler } from '../../functions/share/crawlers.ts'
import { BOTS, PEOPLE, PREVIEWS } from '../fixtures/user-agents.ts'

// The short link counts a click when isCrawler says false (functions/share/app.ts): people must be
// counted, preview fetchers and bots must not.
describe('crawler detection on labelled User-Agents', () => {
  it.each(PEOPLE.map((p) => [p.name, p.ua]))('counts a person: %s', (_name, ua) => {
    expect(isCrawler(ua)).toBe(false)
  })

  it.each(PREVIEWS.map((p) => [p.name, p.ua]))('does not count a link preview: %s', (_name, ua) => {
    expect(isCrawler(ua)).toBe(true)
  })

  it.each(BOTS.map((p) => [p.name, p.ua]))('does not count a bot: %s', (_name, ua) => {
    expect(isCrawler(ua)).toBe(true)
  })
})
