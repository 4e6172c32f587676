import { describe, expect, it } from 'vitest'
import type { ArticleStore } from '#shared/ports/article-store'
import { createShareApp } from '../../functions/share/app.ts'

/** A store whose every read fails the way the AWS SDK reports a throttled or unreachable DynamoDB. */
function failingStore(): ArticleStore {
  const fail = async () => {
    throw Object.assign(new Error('Service Unavailable'), {
      name: 'ServiceUnavailable',
      $metadata: { httpStatusCode: 503 },
    })
  }
  return new Proxy({} as ArticleStore, { get: () => fail })
}

describe('share pages while storage is down', () => {
  it('answer a 503 page with Retry-After, not a 500', async () => {
    const app = createShareApp({
      articles: failingStore(),
      publicBaseUrl: 'https://news.example.com',
      siteOffsetMinutes: 480,
    })

    const page = await app.request('/html_News/NewsShare.html?infoCode=NW202204162345423378')
    const link = await app.request('/s/Abc1234')

    for (const response of [page, link]) {
      expect(response.status).toBe(503)
      expect(response.headers.get('retry-after')).toBe('1')
      expect(response.headers.get('content-type')).toMatch(/^text\/html/)
      expect(await response.text()).toContain('lang="zh-CN"')
    }
  })
})
