import { DomainError } from '#shared/domain/errors'

/** The command line or the options of an import cannot be used (unknown option, missing path, bad number). */
export class ImportUsageError extends DomainError {
  constructor(detail: string) {
    super(400, 'import-usage', 'Unusable import options', detail)
  }
}

/** The API cannot be used at all (not reachable, key refused): nothing would succeed, so the run stops. */
export class ImportApiError extends DomainError {
  constructor(status: number, detail: string, cause?: unknown) {
    super(status, 'import-api', 'API unusable', detail, { cause })
  }
}
