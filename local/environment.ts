// Imported first by the local entry points (npm start, the bench's app server), before any module reads the
// environment: the lock pins an AWS SDK that runs on Node.js 20, and its notice about later releases needing
// Node.js 22 says nothing a local user can act on; Powertools' EMF metric lines mean nothing without
// CloudWatch. Set either variable to see them.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true'
