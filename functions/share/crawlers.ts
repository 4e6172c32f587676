// Link-preview fetchers, search engines and archivers whose requests are not people clicking a link.
// Matched as case-insensitive substrings of the User-Agent; keep the list sorted by kind and add to it
// when a new preview fetcher shows up in the logs with a click count it should not have.
const NAMED_CRAWLERS = [
  // Social and chat link previews
  'facebookexternalhit',
  'facebookcatalog',
  'meta-externalagent',
  'twitterbot',
  'telegrambot',
  'whatsapp',
  'slackbot',
  'slack-imgproxy',
  'linkedinbot',
  'discordbot',
  'skypeuripreview',
  'microsoftpreview',
  'redditbot',
  'vkshare',
  'kakaotalk-scrap',
  'embedly',
  'iframely',
  'mastodon',
  'bluesky',
  'google-pagerenderer',
  'google-inspectiontool',
  'googleother',
  'feedfetcher',
  'mediapartners-google',
  'adsbot',
  // Search engines
  'googlebot',
  'bingbot',
  'bingpreview',
  'applebot',
  'duckduckbot',
  'yandex.com/bots',
  'baiduspider',
  '360spider',
  'haosouspider',
  'yisouspider',
  'bytespider',
  'petalbot',
  'seznambot',
  'yeti/',
  'qwantify',
  'ia_archiver',
  'archive.org_bot',
  // Tools that fetch pages for previews, checks or SEO
  'preview',
  'validator',
  'lighthouse',
  'pingdom',
  'uptimerobot',
  'headlesschrome',
  'phantomjs',
  'ahrefs',
  'semrush',
  'mj12bot',
  'dotbot',
  'ccbot',
  'gptbot',
  'chatgpt-user',
  'claudebot',
  'perplexity',
]

// Most crawlers not named above still say so: `…bot`, `spider`, `crawl(er)`, `slurp`, `scraper`.
// In-app browsers (WeChat's MicroMessenger, Pinterest, Snapchat, Naver, Sogou) are people and are not
// listed; the phone brand Cubot is not a bot.
const GENERIC = /(?<!cu)bot(?:\b|[/;_-])|spider|crawl|slurp|scraper|fetcher/i

/**
 * True when a request comes from a crawler or link-preview fetcher rather than a person; a missing or
 * blank User-Agent counts as a crawler, since every browser sends one.
 * @example isCrawler('Twitterbot/1.0') // true
 */
export function isCrawler(userAgent: string | undefined): boolean {
  if (!userAgent?.trim()) return true
  const ua = userAgent.toLowerCase()
  return GENERIC.test(ua) || NAMED_CRAWLERS.some((name) => ua.includes(name))
}
