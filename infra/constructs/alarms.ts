import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { FAILURES_WITH_OWN_ALARM } from '../../shared/collector/run/run-report';
import type { EventType } from '../../shared/contracts/event-types';
import { METRICS_NAMESPACE, Metric, type MetricName } from '../../shared/contracts/metric-names';
import { ALARM_RUNBOOK, type AlarmRunbookEntry, alarmDescription, runbookEntry } from './alarm-runbook';

/** What the alarms of one collector are set to (validated by the pipeline). */
export interface AlarmSettings {
  /** The pipeline's name prefix: alarms are named `<prefix>-<type>-<alarm>`. */
  readonly namePrefix: string;
  readonly topic: sns.ITopic;
  readonly noEventsWindow: Duration;
  readonly freshnessThreshold: Duration;
  readonly failedRunsPer5Minutes: number;
  /** Runs stopped by throttling in every 5 minutes for this many minutes (a multiple of 5). */
  readonly throttledMinutes: number;
  /** The token expires within this many days. */
  readonly tokenExpiryDays: number;
  readonly functionErrorsPer15Minutes: number;
}

/** What the alarms watch of one collector. */
export interface AlarmedCollector {
  readonly type: EventType;
  readonly function: { metricErrors(props?: cloudwatch.MetricOptions): cloudwatch.Metric };
  /** Name of the collector's Firehose stream. */
  readonly deliveryStreamName: string;
  /** The stream's error log group (Firehose logs each record it could not deliver or partition). */
  readonly deliveryLogGroup: logs.ILogGroup;
  metric(name: MetricName, statistic: string, period?: Duration): cloudwatch.Metric;
}

const FIVE_MINUTES = Duration.minutes(5);

/**
 * Metric the delivery log group's filter counts, one name per event type (the filter cannot set a dimension).
 */
export function deliveryErrorLogsMetricName(type: EventType): string {
  return `DeliveryErrorLogs.${type}`;
}

/** What an alarm watches and when it fires; its maker sets its name, description and actions. */
export type AlarmCondition = Omit<
  cloudwatch.AlarmProps,
  'alarmName' | 'alarmDescription' | 'treatMissingData'
> &
  Partial<Pick<cloudwatch.AlarmProps, 'treatMissingData'>>;

/**
 * Makes alarms named `<namePrefix>-<suffix>` that notify one topic on ALARM and on OK: the
 * collectors' and the scheduled window rules'. Each suffix must have an entry in the maker's runbook,
 * which becomes the alarm's description, so no alarm lands without its row in docs/deploy.md. Missing
 * data is not breaching unless an alarm says otherwise, since the count metrics are emitted only when
 * non-zero.
 */
export class AlarmMaker {
  readonly alarms: cloudwatch.Alarm[] = [];
  private readonly action: cwActions.SnsAction;

  constructor(
    private readonly scope: Construct,
    private readonly namePrefix: string,
    topic: sns.ITopic,
    private readonly runbook: readonly AlarmRunbookEntry[],
  ) {
    this.action = new cwActions.SnsAction(topic);
  }

  add(id: string, suffix: string, condition: AlarmCondition): cloudwatch.Alarm {
    const alarm = new cloudwatch.Alarm(this.scope, id, {
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      ...condition,
      alarmName: `${this.namePrefix}-${suffix}`,
      alarmDescription: alarmDescription(runbookEntry(this.runbook, suffix)),
    });
    alarm.addAlarmAction(this.action);
    alarm.addOkAction(this.action);
    this.alarms.push(alarm);
    return alarm;
  }
}

/**
 * The alarms of one collector, each notifying the topic on ALARM and OK, with its runbook line as the
 * description. Count metrics the collector emits only when non-zero treat missing data as not breaching.
 */
export function createCollectorAlarms(
  scope: Construct,
  collector: AlarmedCollector,
  settings: AlarmSettings,
): cloudwatch.Alarm[] {
  const maker = new AlarmMaker(
    scope,
    `${settings.namePrefix}-${collector.type}`,
    settings.topic,
    ALARM_RUNBOOK,
  );
  const add = (id: string, suffix: string, condition: AlarmCondition) => maker.add(id, suffix, condition);
  /** At least one in each of `periods` five-minute periods. */
  const anyIn = (name: MetricName, periods = 1): AlarmCondition => ({
    metric: collector.metric(name, 'Sum'),
    threshold: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    evaluationPeriods: periods,
    datapointsToAlarm: periods,
  });
  add('TokenMissingAlarm', 'token-missing', anyIn(Metric.TokenMissing));
  add('AuthFailuresAlarm', 'auth-failures', anyIn(Metric.AuthFailures));
  add('TokenExpiringAlarm', 'token-expiring', {
    metric: collector.metric(Metric.TokenExpiresInSeconds, 'Minimum', Duration.hours(1)),
    threshold: Duration.days(settings.tokenExpiryDays).toSeconds(),
    comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
    evaluationPeriods: 1,
  });
  add('AccountChangedAlarm', 'account-changed', anyIn(Metric.AccountChanged));
  add('ApiUnavailableAlarm', 'api-unavailable', anyIn(Metric.ApiUnavailable, 3));
  add('ThrottledAlarm', 'throttled', anyIn(Metric.Throttles, settings.throttledMinutes / 5));
  add('DeliveryFailuresAlarm', 'delivery-failures', {
    metric: deliveryFailures(scope, collector),
    threshold: 0,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: 1,
  });
  add('FirehosePutFailuresAlarm', 'firehose-put-failures', anyIn(Metric.FirehosePutFailures));
  add('AlertPublishFailuresAlarm', 'alert-publish-failures', anyIn(Metric.AlertPublishFailures, 3));
  add('FailedRunsAlarm', 'failed-runs', {
    ...anyIn(Metric.RunFailed, 3),
    metric: failuresWithoutOwnAlarm(collector),
    threshold: settings.failedRunsPer5Minutes,
  });
  add('FunctionErrorsAlarm', 'function-errors', {
    metric: errorsNotCountedAsFailedRuns(collector),
    threshold: settings.functionErrorsPer15Minutes,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    evaluationPeriods: 1,
  });
  add('StuckPagesAlarm', 'stuck-pages', anyIn(Metric.StuckPages, 3));
  add('FreshnessAlarm', 'stale', {
    metric: collector.metric(Metric.LagSeconds, 'Maximum'),
    threshold: settings.freshnessThreshold.toSeconds(),
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: 3,
    datapointsToAlarm: 3,
  });
  const hours = settings.noEventsWindow.toHours();
  add('NoEventsAlarm', 'no-events', {
    metric: collector.metric(Metric.EventsDelivered, 'Sum', Duration.hours(1)),
    threshold: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
    evaluationPeriods: hours,
    datapointsToAlarm: hours,
    treatMissingData: cloudwatch.TreatMissingData.BREACHING,
  });
  return maker.alarms;
}

/**
 * Failed runs less those whose cause has an alarm of its own (shared/collector/run/run-report.ts
 * FAILURES_WITH_OWN_ALARM), per 5 minutes: one auth failure raises auth-failures, not failed-runs too.
 * Each run counts at most one cause, so the difference never goes below 0. Metric math: "Using math
 * expressions with CloudWatch metrics" (FILL), Amazon CloudWatch User Guide,
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/using-metric-math.html.
 */
function failuresWithoutOwnAlarm(collector: AlarmedCollector): cloudwatch.MathExpression {
  const causes = Object.fromEntries(
    FAILURES_WITH_OWN_ALARM.map((name, i) => [`cause${i}`, collector.metric(name, 'Sum')]),
  );
  return new cloudwatch.MathExpression({
    expression: ['failed', ...Object.keys(causes).map((id) => `FILL(${id}, 0)`)].join(' - '),
    usingMetrics: { failed: collector.metric(Metric.RunFailed, 'Sum'), ...causes },
    label: 'Failed runs without an alarm of their own',
    period: FIVE_MINUTES,
  });
}

/**
 * Lambda's Errors less the failed runs the collector counted, per 15 minutes: what is left are
 * invocations that ended in error without a run report (timeouts, crashes, out of memory), since the
 * handler rethrows every failed run.
 */
function errorsNotCountedAsFailedRuns(collector: AlarmedCollector): cloudwatch.MathExpression {
  const fifteenMinutes = Duration.minutes(15);
  return new cloudwatch.MathExpression({
    expression: 'errors - FILL(failed, 0)',
    usingMetrics: {
      errors: collector.function.metricErrors({ period: fifteenMinutes, statistic: 'Sum' }),
      failed: collector.metric(Metric.RunFailed, 'Sum', fifteenMinutes),
    },
    label: 'Function errors not counted as failed runs',
    period: fifteenMinutes,
  });
}

/**
 * Above 0 when Firehose failed some of the stream's deliveries in a period: S3 puts that failed
 * (DeliveryToS3.Success below 1), the partition limit exceeded (PartitionCountExceeded), or error log
 * entries (each record Firehose wrote under errors/ is logged to the stream's error log group).
 * Source: Amazon Data Firehose developer guide, "Monitor Amazon Data Firehose with CloudWatch metrics"
 * (data delivery and dynamic partitioning metrics) and "Monitor with CloudWatch Logs".
 */
function deliveryFailures(scope: Construct, collector: AlarmedCollector): cloudwatch.MathExpression {
  const errorLogs = deliveryErrorLogsMetricName(collector.type);
  new logs.MetricFilter(scope, 'DeliveryErrorLogsFilter', {
    logGroup: collector.deliveryLogGroup,
    filterPattern: logs.FilterPattern.allEvents(),
    metricNamespace: METRICS_NAMESPACE,
    metricName: errorLogs,
    metricValue: '1',
  });
  const firehose = (metricName: string, statistic: string) =>
    new cloudwatch.Metric({
      namespace: 'AWS/Firehose',
      metricName,
      dimensionsMap: { DeliveryStreamName: collector.deliveryStreamName },
      statistic,
      period: FIVE_MINUTES,
    });
  return new cloudwatch.MathExpression({
    // Plain arithmetic: each term is 0 when all is well (FILL covers periods without deliveries).
    expression: '(1 - FILL(s3success, 1)) + FILL(partitions, 0) + FILL(errorlogs, 0)',
    usingMetrics: {
      s3success: firehose('DeliveryToS3.Success', 'Minimum'),
      partitions: firehose('PartitionCountExceeded', 'Maximum'),
      errorlogs: new cloudwatch.Metric({
        namespace: METRICS_NAMESPACE,
        metricName: errorLogs,
        statistic: 'Sum',
        period: FIVE_MINUTES,
      }),
    },
    label: 'Firehose delivery failures',
    period: FIVE_MINUTES,
  });
}
