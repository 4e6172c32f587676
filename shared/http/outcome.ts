/**
 * Response header of POST and PUT saying what the write did: `created`, `replaced` or `unchanged` (both 200s
 * look alike otherwise). The api sets it, the importer reads it; a module of its own so the importer loads
 * nothing else of the API.
 */
export const OUTCOME_HEADER = 'X-Finews-Outcome'
