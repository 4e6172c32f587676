import { readFileSync } from 'node:fs'
import { runInNewContext } from 'node:vm'
import { describe, expect, it } from 'vitest'

type Headers = Record<string, { value: string }>
const code = readFileSync(new URL('../../infra/cloudfront/s3-response-headers.js', import.meta.url), 'utf8')

/** Runs the CloudFront Function's code on a viewer-response event, as CloudFront would. */
function viewerResponse(headers: Headers): Headers {
  const event = { response: { statusCode: 200, headers } }
  const context: { event: typeof event; result?: { headers: Headers } } = { event }
  runInNewContext(`${code}\nresult = handler(event)`, context)
  return context.result!.headers
}

describe('CloudFront Function on S3 answers', () => {
  it('turns the stored WebSub link into a Link header and hides the internal metadata', () => {
    // GIVEN an S3 answer for a feed written with a hub
    const link = '<https://hub.example.com/>; rel="hub", <https://news.example.com/feeds/rss.xml>; rel="self"'
    // WHEN
    const headers = viewerResponse({
      'content-type': { value: 'application/rss+xml; charset=utf-8' },
      etag: { value: '"abc"' },
      'x-amz-meta-finews-link': { value: link },
      'x-amz-meta-finews-digest': { value: 'deadbeef' },
      'x-amz-meta-finews-last-modified': { value: '2022-04-16T03:21:56.000Z' },
    })
    // THEN
    expect(headers).toEqual({
      'content-type': { value: 'application/rss+xml; charset=utf-8' },
      etag: { value: '"abc"' },
      link: { value: link },
    })
  })

  it('leaves an answer without metadata as it is', () => {
    const headers = { 'content-type': { value: 'text/html; charset=utf-8' } }
    expect(viewerResponse({ ...headers })).toEqual(headers)
  })
})
