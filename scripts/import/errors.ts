/** The command line or the options of an import cannot be used (unknown option, missing path, bad number). */
export class ImportUsageError extends Error {
  override readonly name = 'ImportUsageError'
}

/** The API cannot be used at all (not reachable, key refused): nothing would succeed, so the run stops. */
export class ImportApiError extends Error {
  override readonly name = 'ImportApiError'
  /** The HTTP status the API answered (0 when it did not answer). */
  readonly status: number

  constructor(status: number, detail: string, cause?: unknown) {
    super(detail, { cause })
    this.status = status
  }
}
