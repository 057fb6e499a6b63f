import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import type { EventType } from '../../shared/contracts/event-types';
import { METRICS_NAMESPACE, Metric, type MetricName } from '../../shared/contracts/metric-names';
import { ALERT_ENV } from '../../shared/detections/alert-config';
import { SCHEDULED_RULES_SOURCE } from '../../shared/detections/scheduled-rules';
import type { DetectionSettings } from '../../shared/detections/settings';
import { acknowledgeWildcardResources } from '../compliance/nag';
import {
  COLLECTOR_FUNCTION_DEFAULTS,
  defaultCollectorBundling,
  SCHEDULED_RULES_SERVICE_NAME,
} from '../defaults/lambda-defaults';
import { SCHEDULED_RULES_ALARM_RUNBOOK } from './alarm-runbook';
import { AlarmMaker } from './alarms';
import { alertStatements } from './detection-alerts';
import { emittedMetric } from './emitted-metric';
import { lambdaSchedule } from './lambda-schedule';
import { type QueryResourceArns, type QueryTargets, queryResourceArns } from './query-grant';

export interface ScheduledRulesProps {
  readonly entry: string;
  readonly eventTypes: readonly EventType[];
  /** Minutes between runs; each covers the last two periods (shared/detections/scheduled-rules.ts). */
  readonly periodMinutes: number;
  readonly eventBus: events.IEventBus;
  readonly table: dynamodb.ITable;
  /**
   * What the rules' queries touch: the workgroup, every Glue table and view they read (raw tables,
   * lookups, views), the event types' and the lookups' prefixes of the events bucket, and the
   * workgroup's result location.
   */
  readonly query: QueryTargets;
  readonly changedSettings: Partial<DetectionSettings>;
  readonly namePrefix: string;
  readonly alarmTopic: sns.ITopic;
  readonly sourceMaps: boolean;
}

/** The longest a run of the window rules may take: their queries start together, usually end in seconds. */
const TIMEOUT = Duration.minutes(5);

/**
 * The window rules on a schedule: a small function that starts each rule's Athena query over the
 * views (pruned by `dt`), waits, reads the rows, and publishes their detections to the alert bus
 * (functions/scheduled-rules.ts). Its role may run queries in the pipeline's workgroup only, read
 * the pipeline's Glue tables and views by name and the event objects under them, write query
 * results under the workgroup's prefix, put events on the one bus, and touch the alert rows only.
 */
export class ScheduledRules extends Construct {
  readonly function: NodejsFunction;
  readonly role: iam.Role;
  readonly schedule: scheduler.Schedule;
  readonly alarms: cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: ScheduledRulesProps) {
    super(scope, id);
    const arns = queryResourceArns(this, props.query);
    const logGroup = new logs.LogGroup(this, 'LogGroup', {
      retention: COLLECTOR_FUNCTION_DEFAULTS.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.role = new iam.Role(this, 'Role', {
      description: '1Password detections: scheduled window rules',
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      inlinePolicies: {
        ScheduledRules: new iam.PolicyDocument({ statements: this.statements(props, arns, logGroup) }),
      },
    });
    this.acknowledgeWildcards(props.query, arns);
    const environment: Record<string, string> = {
      WORK_GROUP: props.query.workGroupName,
      GLUE_DATABASE: props.query.glueDatabaseName,
      CURSOR_TABLE: props.table.tableName,
      PERIOD_MINUTES: String(props.periodMinutes),
      COLLECTED_TYPES: props.eventTypes.join(','),
      [ALERT_ENV.eventBus]: props.eventBus.eventBusName,
      POWERTOOLS_SERVICE_NAME: SCHEDULED_RULES_SERVICE_NAME,
      POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
    };
    if (Object.keys(props.changedSettings).length > 0) {
      environment[ALERT_ENV.settings] = JSON.stringify(props.changedSettings);
    }
    if (props.sourceMaps) environment.NODE_OPTIONS = '--enable-source-maps';
    this.function = new NodejsFunction(this, 'Function', {
      description: 'Runs the 1Password window detection rules on Athena and publishes their alerts',
      entry: props.entry,
      handler: 'handler',
      runtime: COLLECTOR_FUNCTION_DEFAULTS.runtime,
      architecture: COLLECTOR_FUNCTION_DEFAULTS.architecture,
      // It waits on Athena; it does not compute.
      memorySize: 256,
      timeout: TIMEOUT,
      retryAttempts: 0,
      maxEventAge: COLLECTOR_FUNCTION_DEFAULTS.maxEventAge,
      bundling: defaultCollectorBundling(props.sourceMaps),
      role: this.role,
      logGroup,
      environment,
    });
    this.schedule = this.buildSchedule(props.periodMinutes);
    this.alarms = this.buildAlarms(props);
  }

  /** A metric the function emits (dimension EventType = scheduled-rules). */
  metric(name: MetricName, statistic: string, period: Duration): cloudwatch.Metric {
    return emittedMetric(SCHEDULED_RULES_SOURCE, name, statistic, period);
  }

  private statements(
    props: ScheduledRulesProps,
    arns: QueryResourceArns,
    logGroup: logs.LogGroup,
  ): iam.PolicyStatement[] {
    return [
      new iam.PolicyStatement({
        sid: 'OwnLogGroup',
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [logGroup.logGroupArn],
      }),
      new iam.PolicyStatement({
        sid: 'QueriesInTheWorkgroup',
        actions: ['athena:StartQueryExecution', 'athena:GetQueryExecution', 'athena:GetQueryResults'],
        resources: [arns.workGroup],
      }),
      new iam.PolicyStatement({
        sid: 'TheTablesAndViewsTheRulesRead',
        actions: ['glue:GetDatabase', 'glue:GetTable', 'glue:GetPartitions'],
        resources: arns.catalogEntries,
      }),
      new iam.PolicyStatement({
        sid: 'EventsBucketLevel',
        actions: ['s3:GetBucketLocation', 's3:ListBucket'],
        resources: [arns.dataBucket],
      }),
      new iam.PolicyStatement({
        sid: 'ReadTheEventObjects',
        actions: ['s3:GetObject'],
        resources: arns.dataObjects,
      }),
      new iam.PolicyStatement({
        sid: 'ResultsBucketLevel',
        actions: ['s3:GetBucketLocation', 's3:ListBucket'],
        resources: [arns.resultsBucket],
      }),
      new iam.PolicyStatement({
        sid: 'WriteAndReadQueryResults',
        actions: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
        resources: [arns.resultObjects],
      }),
      ...alertStatements(props.eventBus, props.table, SCHEDULED_RULES_SOURCE),
    ];
  }

  private acknowledgeWildcards(query: QueryTargets, arns: QueryResourceArns): void {
    const reasons = [
      ...arns.dataObjects.map((arn, i) => ({
        arn,
        reason:
          `Athena reads the objects under ${query.dataPrefixes[i]} for the window rules' queries; ` +
          'Firehose (or op-events lookups load) names them, so the rules cannot.',
      })),
      {
        arn: arns.resultObjects,
        reason: "Athena names each query's result objects itself, under the workgroup's result prefix only.",
      },
    ];
    acknowledgeWildcardResources(this.role, reasons);
  }

  /** Every `periodMinutes`; one attempt per tick, the next tick covers the window again. */
  private buildSchedule(periodMinutes: number): scheduler.Schedule {
    return lambdaSchedule(this, this.function, {
      description: 'Runs the 1Password window detection rules',
      roleDescription: 'EventBridge Scheduler: invoke the scheduled detection rules',
      schedule: scheduler.ScheduleExpression.rate(Duration.minutes(periodMinutes)),
    });
  }

  /**
   * One cause each: a rule's query failed; alerts could not be published; the function failed otherwise.
   * Their descriptions are their runbook lines (SCHEDULED_RULES_ALARM_RUNBOOK).
   */
  private buildAlarms(props: ScheduledRulesProps): cloudwatch.Alarm[] {
    const period = Duration.minutes(Math.max(5, props.periodMinutes));
    const maker = new AlarmMaker(
      this,
      `${props.namePrefix}-scheduled-rules`,
      props.alarmTopic,
      SCHEDULED_RULES_ALARM_RUNBOOK,
    );
    const alarm = (id: string, suffix: string, metric: cloudwatch.IMetric) =>
      maker.add(id, suffix, {
        metric,
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
      });
    return [
      alarm('RuleFailuresAlarm', 'rule-failures', this.metric(Metric.WindowRuleFailures, 'Sum', period)),
      alarm(
        'AlertPublishFailuresAlarm',
        'alert-publish-failures',
        this.metric(Metric.AlertPublishFailures, 'Sum', period),
      ),
      alarm(
        'FunctionErrorsAlarm',
        'function-errors',
        new cloudwatch.MathExpression({
          expression: 'errors - FILL(failed, 0)',
          usingMetrics: {
            errors: this.function.metricErrors({ period, statistic: 'Sum' }),
            // A run throws once however many of its rules failed, and records WindowRuleFailures (the
            // number of rules) once: so the metric's SampleCount, not its Sum, is the runs to subtract.
            // With Sum, two failed rules in one run would hide a crash in the same period.
            failed: this.metric(Metric.WindowRuleFailures, 'SampleCount', period),
          },
          label: 'Errors other than failed rules',
          period,
        }),
      ),
    ];
  }
}
