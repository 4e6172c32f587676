#!/usr/bin/env tsx
// npm run check:xss -- DIR|FILE…: every payload of the given corpus files through the real rendering path
// (renderHtml, then the share page), checked with parse5 for dangerous output and for structure breakouts.
// The corpora are other projects' files: fetch them outside the repository (README, Security).
import { renderHtml } from '#shared/content/render-body'
import type { Article } from '#shared/domain/model'
import { renderSharePage } from '../functions/share/page.ts'
import { checkFragment, checkPage } from './xss/checks.ts'
import { readPayloads } from './xss/payloads.ts'

const BASE = 'https://news.example.com'
const SITE = { baseUrl: BASE, siteName: '财经新闻', siteOffsetMinutes: 480 }

function article(body: string): Article {
  return {
    infoCode: 'NW202403010000000001',
    title: '检查',
    date: '2024-03-01 10:00:00 +0800',
    publishedAt: Date.UTC(2024, 2, 1, 2),
    updatedAt: '2024-03-01T02:00:00.000Z',
    categories: ['markets'],
    categoryNames: ['markets'],
    tags: [],
    body,
    summary: '摘要',
    source: undefined,
    shortCode: 'Ab3dE5g',
    published: true,
    extra: {},
    createdAt: '2024-03-01T02:00:00.000Z',
    clicks: 0,
    version: 1,
    contentHash: '',
  }
}

const paths = process.argv.slice(2)
if (paths.length === 0) {
  console.error('usage: npm run check:xss -- DIR|FILE…  (payload files: .mjs/.js data files, Markdown cheat sheets)')
  process.exit(2)
}
const payloads = readPayloads(paths)
let dangerous = 0
let breakouts = 0
const bySource = new Map<string, number>()
for (const { source, payload } of payloads) {
  bySource.set(source, (bySource.get(source) ?? 0) + 1)
  const html = renderHtml(payload, BASE)
  const findings = checkFragment(html)
  const page = checkPage(await renderSharePage(article(payload), [], SITE, () => html), html)
  if (findings.dangerous.length > 0) {
    dangerous++
    console.log(`DANGEROUS ${JSON.stringify(payload.slice(0, 120))}: ${findings.dangerous.join(', ')}`)
  }
  if (findings.breakout || page) {
    breakouts++
    console.log(`BREAKOUT ${JSON.stringify(payload.slice(0, 120))}: ${findings.breakout ?? page}`)
  }
}
for (const [source, count] of bySource) console.log(`${count}\t${source}`)
console.log(`payloads ${payloads.length}, dangerous outputs ${dangerous}, structure breakouts ${breakouts}`)
process.exit(dangerous + breakouts > 0 ? 1 : 0)
