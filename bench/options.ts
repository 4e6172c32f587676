/** How big each benchmark runs. */
export interface Scale {
  readonly quick: boolean
  /** Articles stored for the large side of regen_flatness and for regen_vs_full_rebuild. */
  readonly articlesLarge: number
  /** Articles stored for the small side of regen_flatness. */
  readonly articlesSmall: number
  readonly categories: number
  /** Timed regenerations per table size (the median is reported). */
  readonly regenRepeats: number
  /** Uploads timed from POST to visible in the feed. */
  readonly uploads: number
  /** Uploads through the HTTP API for ingest_rps, and raw PutItem calls for its baseline. */
  readonly ingestRequests: number
  /** Seconds of load per share run (share page, then bare route). */
  readonly shareSeconds: number
  /** Items rendered for render_items_per_s (in feeds of FEED_SIZE). */
  readonly renderItems: number
  /** Fresh processes per bundle for cold init (the median is reported). */
  readonly coldRuns: number
  /** Post files of the real site's templates written to a folder and imported for import_posts_per_s. */
  readonly importPosts: number
  /** Category names (shaped like the real site's) those posts spread over. */
  readonly importCategories: number
}

/** The parsed command line. */
export interface BenchOptions {
  readonly scale: Scale
  /** Benchmarks to run; all when undefined. */
  readonly only: ReadonlySet<string> | undefined
}

/** The benchmark groups, in the order they run. */
export const GROUPS = [
  'bundles',
  'render',
  'share',
  'ingest',
  'capacity',
  'import',
  'latency',
  'regen',
  'archive',
] as const

const FULL: Scale = {
  quick: false,
  articlesLarge: 50_000,
  articlesSmall: 1_000,
  categories: 50,
  regenRepeats: 15,
  uploads: 200,
  ingestRequests: 2_000,
  shareSeconds: 10,
  renderItems: 5_000,
  coldRuns: 10,
  importPosts: 10_000,
  importCategories: 2_000,
}

const QUICK: Scale = {
  quick: true,
  articlesLarge: 2_500,
  articlesSmall: 500,
  categories: 50,
  regenRepeats: 5,
  uploads: 20,
  ingestRequests: 200,
  shareSeconds: 2,
  renderItems: 1_000,
  coldRuns: 5,
  importPosts: 300,
  importCategories: 60,
}

/** Thrown for a command line that cannot run; the message is the usage. */
export class UsageError extends Error {}

/** Usage text of `npm run bench`. */
export const USAGE = `usage: npm run bench [-- --quick] [-- --only ${GROUPS.join(',')}] [-- --articles N]
  --quick        smaller counts (under 2 minutes); every figure is still printed
  --only LIST    run only these groups (the JSON line then holds only their figures)
  --articles N   articles stored for the large regeneration figures (default 50000, quick 2500)`

/**
 * Reads `--quick`, `--only a,b` and `--articles N`.
 * @example parseOptions(['--quick']).scale.articlesLarge // 2500
 */
export function parseOptions(argv: readonly string[]): BenchOptions {
  let quick = false
  let only: Set<string> | undefined
  let articles: number | undefined
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string
    const [flag, inline] = arg.includes('=') ? (arg.split('=', 2) as [string, string]) : [arg, undefined]
    const value = () => {
      const v = inline ?? argv[++i]
      if (v === undefined) throw new UsageError(`${flag} needs a value\n${USAGE}`)
      return v
    }
    if (flag === '--quick') quick = true
    else if (flag === '--only') {
      only = new Set(
        value()
          .split(',')
          .map((s) => s.trim()),
      )
      const unknown = [...only].filter((g) => !(GROUPS as readonly string[]).includes(g))
      if (unknown.length > 0) throw new UsageError(`unknown group ${unknown.join(', ')}\n${USAGE}`)
    } else if (flag === '--articles') {
      articles = Number(value())
    } else if (flag === '--help' || flag === '-h') throw new UsageError(USAGE)
    else throw new UsageError(`unknown argument ${arg}\n${USAGE}`)
  }
  const base = quick ? QUICK : FULL
  if (articles !== undefined && (!Number.isInteger(articles) || articles < base.articlesSmall)) {
    throw new UsageError(`--articles must be a whole number of at least ${base.articlesSmall}\n${USAGE}`)
  }
  return { scale: articles ? { ...base, articlesLarge: articles } : base, only }
}
