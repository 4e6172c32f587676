// CloudFront Function (cloudfront-js-2.0), viewer response of the S3 behaviours.
// S3 cannot set arbitrary headers: the feeds function stores the WebSub `Link` header as user metadata
// (x-amz-meta-finews-link). Here it becomes a real `Link` header, and the internal metadata headers
// (digests, timestamps) are not shown to readers.
// The runtime knows ES 5.1 plus a few later features: no optional chaining, no for-of.

// biome-ignore lint/correctness/noUnusedVariables: CloudFront calls `handler` by name.
function handler(event) {
  const headers = event.response.headers
  const link = headers['x-amz-meta-finews-link']
  // biome-ignore lint/complexity/useOptionalChain: the CloudFront runtime has no optional chaining.
  if (link && link.value) headers.link = { value: link.value }
  Object.keys(headers).forEach((name) => {
    if (name.indexOf('x-amz-meta-') === 0) delete headers[name]
  })
  return event.response
}
