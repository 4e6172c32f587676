/** The bench's baseline route in the share server (`bench/app-server.ts`): a constant page, what a perfect cache could answer. */
export const BARE_PATH = '/bench/bare'

/**
 * The bench's floor route in the api server (`bench/app-server.ts`): reads a POSTed article's JSON, makes the one
 * store read an unchanged upload makes (article and click count) through the same client, and answers its
 * version: what any route answering an unchanged upload must at least spend on this machine.
 */
export const READ_FLOOR_PATH = '/bench/read-floor'
