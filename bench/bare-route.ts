/** The bench's baseline route in the share server (`bench/app-server.ts`): a constant page, what a perfect cache could answer. */
export const BARE_PATH = '/bench/bare'
