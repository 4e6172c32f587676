import { Duration } from 'aws-cdk-lib'
import {
  Alarm,
  AlarmStatusWidget,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IAlarm,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch'
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions'
import type { ITopic } from 'aws-cdk-lib/aws-sns'
import { Construct } from 'constructs'
import { METRIC, type MetricName } from '../../shared/metric-names.ts'

/** The namespace the functions' Powertools metrics are written to (EMF, shared/observability.ts). */
const METRICS_NAMESPACE = 'finews'

/** The Powertools service name of a function: a dimension of each of its metrics, a key of each log line. */
export function serviceName(fn: 'api' | 'feeds' | 'share'): string {
  return `finews-${fn}`
}

/** Outcomes of an upload, as the api records them (`Uploads` by `outcome`). */
const UPLOAD_OUTCOMES = ['created', 'replaced', 'unchanged', 'rejected', 'failed'] as const

/** What the dashboard shows beside the metrics: the stack's alarms. */
export interface ObservabilityProps {
  readonly alarmTopic: ITopic
  /** The stack's other alarms (function errors, feed failures, iterator age), shown in one status widget. */
  readonly alarms: readonly IAlarm[]
}

/**
 * The CloudWatch dashboard and alarms built on the functions' EMF metrics: uploads by outcome, feeds
 * regenerated, regeneration and render time, bodies shown by their summary, clicks counted and crawlers ignored,
 * stream records failed.
 */
export class Observability extends Construct {
  readonly dashboard: Dashboard
  readonly streamRecordsFailedAlarm: Alarm
  readonly failedUploadsAlarm: Alarm

  constructor(scope: Construct, id: string, props: ObservabilityProps) {
    super(scope, id)
    const metric = (fn: 'api' | 'feeds' | 'share', name: MetricName, statistic: string, extra = {}) =>
      new Metric({
        namespace: METRICS_NAMESPACE,
        metricName: name,
        dimensionsMap: { service: serviceName(fn), ...extra },
        statistic,
        period: Duration.minutes(5),
      })
    const uploads = (outcome: string) => metric('api', METRIC.uploads, 'Sum', { outcome }).with({ label: `${outcome}` })

    this.streamRecordsFailedAlarm = new Alarm(this, 'StreamRecordsFailedAlarm', {
      alarmDescription: 'finews feeds: stream records failed (unreadable, or their feed could not be written)',
      metric: metric('feeds', METRIC.streamRecordsFailed, 'Sum'),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    })
    this.failedUploadsAlarm = new Alarm(this, 'FailedUploadsAlarm', {
      alarmDescription: 'finews api: uploads failed on our side (5xx) in 3 of the last 5 periods of 5 minutes',
      metric: metric('api', METRIC.uploads, 'Sum', { outcome: 'failed' }),
      threshold: 1,
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    })
    for (const alarm of [this.streamRecordsFailedAlarm, this.failedUploadsAlarm]) {
      alarm.addAlarmAction(new SnsAction(props.alarmTopic))
    }

    this.dashboard = new Dashboard(this, 'Dashboard', { defaultInterval: Duration.days(1) })
    this.dashboard.addWidgets(
      new AlarmStatusWidget({
        title: 'Alarms',
        alarms: [...props.alarms, this.streamRecordsFailedAlarm, this.failedUploadsAlarm],
        width: 24,
      }),
    )
    this.dashboard.addWidgets(
      new GraphWidget({ title: 'Uploads by outcome', left: UPLOAD_OUTCOMES.map(uploads), stacked: true, width: 12 }),
      new GraphWidget({
        title: 'Feeds',
        left: [metric('feeds', METRIC.feedsRegenerated, 'Sum'), metric('feeds', METRIC.streamRecordsFailed, 'Sum')],
        right: [metric('feeds', METRIC.regenerationTime, 'p50'), metric('feeds', METRIC.regenerationTime, 'p99')],
        width: 12,
      }),
    )
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Short links',
        left: [metric('share', METRIC.clicksCounted, 'Sum'), metric('share', METRIC.crawlersIgnored, 'Sum')],
        width: 12,
      }),
      new GraphWidget({
        title: 'Share page render time (ms); bodies shown by their summary',
        left: [metric('share', METRIC.renderTime, 'p50'), metric('share', METRIC.renderTime, 'p99')],
        // Counted by shared/content/guarded-render.ts, in the share pages and in the feeds alike.
        right: (['share', 'feeds'] as const).map((fn) =>
          metric(fn, METRIC.renderFallback, 'Sum').with({ label: `${METRIC.renderFallback} (${fn})` }),
        ),
        width: 12,
      }),
    )
  }
}
