import { createIsbotFromList, list } from 'isbot'

// Crawlers come from `isbot` (maintained, ~200 patterns, 7 KB minified), with three local changes, each
// held by a labelled User-Agent in tests/unit/crawlers.test.ts:
//
// 1. Chinese fetchers named even where isbot catches them only through a generic word today
//    (`spider`), so that a change of isbot's generic patterns cannot start counting them.
//    QQ's link preview says `QQ-URL-Manager`; WeChat's and Weibo's link-card fetchers name the app
//    without its in-app browser token (`MicroMessenger`, `__weibo__`), which every person's WeChat
//    or Weibo browser sends.
// 2. People isbot would call bots: Toutiao's in-app browser (`NewsArticle/…`, `NewsLite`) trips
//    isbot's `news` pattern.
// 3. `curl` stays a person: it is how someone tries a link by hand (and what the README's own check
//    uses); other command-line clients (`Wget`, `python-requests`, `Go-http-client`) are scripts.
const CHINESE_FETCHERS = [
  'qq-url-manager',
  '(?:wechat|weixin)(?!.*micromessenger)(?<!micromessenger.*)',
  '(?<!_)weibo(?!.*__weibo__)',
  'baiduspider',
  'bytespider',
  '360spider',
  'haosouspider',
  'yisouspider',
  'sogou',
  'toutiaospider',
]
const ISBOT_NEWS = '(?:^|[^g])news(?!sapphire)'
const patterns = list.map((p) => (p === ISBOT_NEWS ? '(?:^|[^g])news(?!sapphire|article|lite)' : p))
const isBot = createIsbotFromList([...patterns, ...CHINESE_FETCHERS])
const CURL = /^curl\/[\d.]+$/i

/**
 * True when a request comes from a crawler or link-preview fetcher rather than a person; a missing or
 * blank User-Agent counts as a crawler, since every browser sends one.
 * @example isCrawler('Twitterbot/1.0') // true
 */
export function isCrawler(userAgent: string | undefined): boolean {
  if (!userAgent?.trim()) return true
  if (CURL.test(userAgent.trim())) return false
  return isBot(userAgent)
}
