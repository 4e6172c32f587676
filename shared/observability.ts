import { Logger } from '@aws-lambda-powertools/logger'
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics'
import type { MetricName } from './metric-names.ts'

// One logger and one metrics buffer per process. The service name (a dimension of every metric and a key of
// every log line) comes from POWERTOOLS_SERVICE_NAME, which the stack sets per function (finews-api, …).
const SERVICE = process.env.POWERTOOLS_SERVICE_NAME?.trim() || 'finews'

/** Every log line of the functions and shared code goes through this Powertools logger: one JSON line each. */
export const logger = new Logger({ serviceName: SERVICE })

/** The EMF metrics of this process (CloudWatch namespace `finews`); flushed per request and per stream batch. */
export const metrics = new Metrics({ namespace: 'finews', serviceName: SERVICE })

/** A structured log line: `level` (`debug`, `info`, `warn`, `error`) and `msg` pick the method and message. */
export type LogEntry = Record<string, unknown>

/** Where a component writes its log lines; injected so tests can read or silence them. */
export type Log = (entry: LogEntry) => void

/**
 * The default `Log`: writes through the Powertools logger. Callers pass identifiers and outcomes only, never a
 * key, a secret or a request body.
 * @example log({ level: 'warn', msg: 'click not counted', infoCode })
 */
export const log: Log = ({ level, msg, ...attributes }) => {
  const message = typeof msg === 'string' ? msg : ''
  if (level === 'error') logger.error(message, attributes)
  else if (level === 'warn') logger.warn(message, attributes)
  else if (level === 'debug') logger.debug(message, attributes)
  else logger.info(message, attributes)
}

/** A `Log` that keeps only warnings and errors (the local pipeline's, where `info` would flood the terminal). */
export const quietLog: Log = (entry) => {
  if (entry.level === 'warn' || entry.level === 'error') log(entry)
}

export { METRIC, type MetricName } from './metric-names.ts'

/**
 * Adds to a count. Dimensions apply to every metric of the current flush (a request or a batch), so only a
 * unit of work that records one kind of metric gives any (an upload request: its outcome).
 * @example count(METRIC.uploads, 1, { outcome: 'created' })
 */
export function count(name: MetricName, value = 1, dimensions?: Readonly<Record<string, string>>): void {
  if (dimensions) metrics.addDimensions({ ...dimensions })
  metrics.addMetric(name, MetricUnit.Count, value)
}

/** Records a duration in milliseconds. */
export function milliseconds(name: MetricName, ms: number): void {
  metrics.addMetric(name, MetricUnit.Milliseconds, Math.round(ms * 10) / 10)
}

/** Writes the buffered metrics as one EMF line, if there are any (an empty flush would log a warning). */
export function flushMetrics(): void {
  if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics()
}

/**
 * Runs `work` as one unit of correlated work (a request, a stream batch): its log lines carry `correlation_id`,
 * its metrics are flushed when it ends, whatever happens. In Lambda one unit runs at a time per instance; in
 * one local process, concurrent requests may label each other's lines.
 * @example await correlated(event.requestContext.requestId, () => next())
 */
export async function correlated<T>(correlationId: string, work: () => Promise<T>): Promise<T> {
  logger.setCorrelationId(correlationId)
  try {
    return await work()
  } finally {
    flushMetrics()
    logger.resetKeys()
  }
}
