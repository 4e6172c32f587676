import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/** The reference post: a real Jekyll post from the site we serve. */
export const FIXTURE_POST = readFileSync(
  fileURLToPath(new URL('../fixtures/2022-04-16-psbc-digital-small-business.md', import.meta.url)),
  'utf8',
)
export const FIXTURE_INFO_CODE = 'NW202204162345423378'
export const FIXTURE_TITLE = '“数字化+专业化”：邮储银行纾困171万普惠小微客户'

/** A small valid Jekyll post with the given front-matter lines replaced or added. */
export function post(front: Record<string, string>, body = '<p>正文内容。</p>'): string {
  const fields: Record<string, string> = {
    title: '"测试文章"',
    date: '2024-01-02 10:00:00 +0800',
    categories: 'markets',
    tags: '测试',
    ...front,
  }
  const lines = Object.entries(fields)
    .filter(([, v]) => v !== '')
    .map(([k, v]) => `${k}: ${v}`)
  return `---\n${lines.join('\n')}\n---\n${body}\n`
}
