/**
 * The environment the stack gives the functions (infra/finews-stack.ts), pointing nowhere a handler calls at
 * init: for tests that start a handler as the Lambda runtime does.
 */
export const LAMBDA_ENV: Readonly<Record<string, string>> = {
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'none',
  AWS_SECRET_ACCESS_KEY: 'none',
  PUBLIC_BASE_URL: 'https://news.example.com',
  TABLE_NAME: 'finews',
  BUCKET_NAME: 'finews-site',
  FEED_SIZE: '50',
  SITE_TIMEZONE: '+08:00',
  SITE_NAME: '财经新闻',
  RATE_LIMIT_PER_MINUTE: '600',
  API_KEY_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:finews-api-key',
  ORIGIN_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:finews-origin',
}
