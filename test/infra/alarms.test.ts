import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ALARM_RUNBOOK,
  type AlarmRunbookEntry,
  SCHEDULED_RULES_ALARM_RUNBOOK,
} from '../../infra/constructs/alarm-runbook';
import { deliveryErrorLogsMetricName } from '../../infra/constructs/alarms';
import { SAVED_LOG_QUERIES } from '../../infra/constructs/log-queries';
import { FAILURES_WITH_OWN_ALARM } from '../../shared/collector/run/run-report';
import { EVENT_TYPES } from '../../shared/contracts/event-types';
import { METRICS_NAMESPACE, Metric } from '../../shared/contracts/metric-names';
import { logicalIds, onlyLogicalId, resource, synthApp } from './helpers';

// One synthesis of the default deployment: every alarm of every type, the delivery-error metric filters
// and the saved Logs Insights queries.
let template: Template;
/** `<stack>-<pipeline path>-<hash>` (infra/defaults/physical-names.ts). */
let namePrefix: string;
type Props = Record<string, unknown>;
const props = (id: string) => resource(template, id).Properties as Props;
const alarm = (name: string) =>
  props(onlyLogicalId(template, 'AWS::CloudWatch::Alarm', `"AlarmName":"${namePrefix}-${name}"`));
const ofType = (type: string) => [{ Name: 'EventType', Value: type }];

beforeAll(() => {
  const synthesized = synthApp();
  template = synthesized.template;
  namePrefix = synthesized.stack.pipeline.namePrefix;
  expect(namePrefix).toMatch(/^OnePasswordEvents-Pipeline-[0-9A-F]{8}$/);
});

const describedAs = (entry: AlarmRunbookEntry) =>
  `${entry.meaning} First step: ${entry.firstStep} (docs/deploy.md, Alarms)`;

describe('collector alarms', () => {
  it('are the runbook entries, per type, each notifying the topic on ALARM and OK with its meaning and first step', () => {
    const topic = onlyLogicalId(template, 'AWS::SNS::Topic');
    // And those of the scheduled detection rules (below).
    expect(logicalIds(template, 'AWS::CloudWatch::Alarm')).toHaveLength(
      ALARM_RUNBOOK.length * EVENT_TYPES.length + SCHEDULED_RULES_ALARM_RUNBOOK.length,
    );
    for (const type of EVENT_TYPES) {
      for (const entry of ALARM_RUNBOOK) {
        const a = alarm(`${type}-${entry.suffix}`);
        expect(a.AlarmActions).toEqual([{ Ref: topic }]);
        expect(a.OKActions).toEqual([{ Ref: topic }]);
        expect(a.AlarmDescription).toBe(describedAs(entry));
      }
    }
  });

  it("the scheduled detection rules' alarms are their runbook entries, notifying the same topic", () => {
    const topic = onlyLogicalId(template, 'AWS::SNS::Topic');
    for (const entry of SCHEDULED_RULES_ALARM_RUNBOOK) {
      const a = alarm(`scheduled-rules-${entry.suffix}`);
      expect(a.AlarmActions).toEqual([{ Ref: topic }]);
      expect(a.OKActions).toEqual([{ Ref: topic }]);
      expect(a.AlarmDescription).toBe(describedAs(entry));
    }
    // Names and thresholds as before their descriptions came from the runbook.
    expect(alarm('scheduled-rules-rule-failures')).toMatchObject({
      MetricName: Metric.WindowRuleFailures,
      Dimensions: ofType('scheduled-rules'),
      Period: 900,
      Threshold: 1,
      EvaluationPeriods: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
    expect(alarm('scheduled-rules-alert-publish-failures')).toMatchObject({
      MetricName: Metric.AlertPublishFailures,
      Dimensions: ofType('scheduled-rules'),
      Period: 900,
      Threshold: 1,
    });
    expect(alarm('scheduled-rules-function-errors')).toMatchObject({ Threshold: 1, EvaluationPeriods: 1 });
  });

  it('scheduled rules: function-errors subtracts the runs with failed rules, not the rules that failed', () => {
    const metrics = alarm('scheduled-rules-function-errors').Metrics as {
      Id: string;
      Expression?: string;
      MetricStat?: Props;
    }[];
    const stat = (id: string) => metrics.find((m) => m.Id === id)?.MetricStat as Props;
    expect(metrics.find((m) => m.Expression)?.Expression).toBe('errors - FILL(failed, 0)');
    expect(stat('errors')).toMatchObject({ Metric: { MetricName: 'Errors' }, Stat: 'Sum', Period: 900 });
    // One data point per run that had failed rules (the handler records the metric once, when non-zero,
    // and throws once): SampleCount counts those runs, where Sum would count their rules.
    expect(stat('failed')).toMatchObject({
      Metric: { MetricName: Metric.WindowRuleFailures, Dimensions: ofType('scheduled-rules') },
      Stat: 'SampleCount',
      Period: 900,
    });
  });

  it('fires on one run without a usable token, and separately on one refused or under-scoped token', () => {
    for (const [suffix, metric] of [
      ['token-missing', Metric.TokenMissing],
      ['auth-failures', Metric.AuthFailures],
      ['account-changed', Metric.AccountChanged],
    ] as const) {
      expect(alarm(`itemusages-${suffix}`)).toMatchObject({
        Namespace: METRICS_NAMESPACE,
        MetricName: metric,
        Dimensions: ofType('itemusages'),
        Statistic: 'Sum',
        Period: 300,
        Threshold: 1,
        EvaluationPeriods: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
      });
    }
  });

  it('warns 14 days before the token expires', () => {
    expect(alarm('auditevents-token-expiring')).toMatchObject({
      MetricName: Metric.TokenExpiresInSeconds,
      Dimensions: ofType('auditevents'),
      Statistic: 'Minimum',
      Period: 3600,
      Threshold: 14 * 86_400,
      ComparisonOperator: 'LessThanThreshold',
      EvaluationPeriods: 1,
      TreatMissingData: 'notBreaching',
    });
  });

  it('fires when the API is unavailable, or throttles the runs, for a sustained time', () => {
    expect(alarm('signinattempts-api-unavailable')).toMatchObject({
      MetricName: Metric.ApiUnavailable,
      Threshold: 1,
      EvaluationPeriods: 3,
      DatapointsToAlarm: 3,
      TreatMissingData: 'notBreaching',
    });
    // Throttled for 30 minutes: a throttled run in each of six 5-minute periods.
    expect(alarm('signinattempts-throttled')).toMatchObject({
      MetricName: Metric.Throttles,
      Period: 300,
      Threshold: 1,
      EvaluationPeriods: 6,
      DatapointsToAlarm: 6,
      TreatMissingData: 'notBreaching',
    });
    expect(alarm('signinattempts-stuck-pages')).toMatchObject({
      MetricName: Metric.StuckPages,
      EvaluationPeriods: 3,
      DatapointsToAlarm: 3,
    });
  });

  it('fires on any Firehose delivery failure: S3 puts, error-prefix records, partition count', () => {
    const a = alarm('auditevents-delivery-failures');
    expect(a).toMatchObject({
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 1,
    });
    const metrics = a.Metrics as {
      Id: string;
      Expression?: string;
      MetricStat?: Props;
      ReturnData?: boolean;
    }[];
    const expression = metrics.find((m) => m.Expression);
    expect(expression?.Expression).toBe(
      '(1 - FILL(s3success, 1)) + FILL(partitions, 0) + FILL(errorlogs, 0)',
    );
    const stat = (id: string) => metrics.find((m) => m.Id === id)?.MetricStat as Props;
    const streamRef = { Ref: onlyLogicalId(template, 'AWS::KinesisFirehose::DeliveryStream', 'auditevents') };
    expect(stat('s3success')).toMatchObject({
      Metric: {
        Namespace: 'AWS/Firehose',
        MetricName: 'DeliveryToS3.Success',
        Dimensions: [{ Name: 'DeliveryStreamName', Value: streamRef }],
      },
      Stat: 'Minimum',
    });
    expect(stat('partitions')).toMatchObject({
      Metric: { Namespace: 'AWS/Firehose', MetricName: 'PartitionCountExceeded' },
      Stat: 'Maximum',
    });
    expect(stat('errorlogs')).toMatchObject({
      Metric: { Namespace: METRICS_NAMESPACE, MetricName: deliveryErrorLogsMetricName('auditevents') },
      Stat: 'Sum',
    });
    // The error-log count comes from a filter on the stream's own error log group.
    const stream = props(streamRef.Ref);
    const logGroupName = (
      stream.ExtendedS3DestinationConfiguration as { CloudWatchLoggingOptions: { LogGroupName: unknown } }
    ).CloudWatchLoggingOptions.LogGroupName;
    const filter = props(
      onlyLogicalId(template, 'AWS::Logs::MetricFilter', deliveryErrorLogsMetricName('auditevents')),
    );
    expect(filter).toMatchObject({
      LogGroupName: logGroupName,
      FilterPattern: '',
      MetricTransformations: [
        {
          MetricNamespace: METRICS_NAMESPACE,
          MetricName: deliveryErrorLogsMetricName('auditevents'),
          MetricValue: '1',
        },
      ],
    });
  });

  it('fires on one run whose records Firehose did not take (PutRecordBatch), on its own metric', () => {
    expect(alarm('signinattempts-firehose-put-failures')).toMatchObject({
      Namespace: METRICS_NAMESPACE,
      MetricName: Metric.FirehosePutFailures,
      Dimensions: ofType('signinattempts'),
      Statistic: 'Sum',
      Period: 300,
      Threshold: 1,
      EvaluationPeriods: 1,
    });
  });

  it('one cause, one alarm: failed-runs leaves out the failures with an alarm of their own', () => {
    const a = alarm('itemusages-failed-runs');
    expect(a).toMatchObject({ Threshold: 3, EvaluationPeriods: 3, DatapointsToAlarm: 3 });
    const metrics = a.Metrics as { Id: string; Expression?: string; MetricStat?: Props }[];
    const stat = (id: string) => metrics.find((m) => m.Id === id)?.MetricStat as Props;
    const expression = metrics.find((m) => m.Expression)?.Expression ?? '';
    expect(expression).toBe(
      ['failed', ...FAILURES_WITH_OWN_ALARM.map((_, i) => `FILL(cause${i}, 0)`)].join(' - '),
    );
    expect(stat('failed')).toMatchObject({
      Metric: {
        Namespace: METRICS_NAMESPACE,
        MetricName: Metric.RunFailed,
        Dimensions: ofType('itemusages'),
      },
      Period: 300,
      Stat: 'Sum',
    });
    const subtracted = FAILURES_WITH_OWN_ALARM.map((_, i) => (stat(`cause${i}`).Metric as Props).MetricName);
    expect(subtracted.sort()).toEqual(
      [
        Metric.TokenMissing,
        Metric.AuthFailures,
        Metric.ApiUnavailable,
        Metric.AccountChanged,
        Metric.FirehosePutFailures,
      ].sort(),
    );
    // Each of those has its own alarm.
    for (const name of subtracted) {
      expect(logicalIds(template, 'AWS::CloudWatch::Alarm', `"MetricName":"${name}"`).length).toBeGreaterThan(
        0,
      );
    }
  });

  it('one cause, one alarm: function-errors counts only errors that no failed run explains', () => {
    const a = alarm('auditevents-function-errors');
    expect(a).toMatchObject({ Threshold: 3, EvaluationPeriods: 1 });
    const metrics = a.Metrics as { Id: string; Expression?: string; MetricStat?: Props }[];
    const stat = (id: string) => metrics.find((m) => m.Id === id)?.MetricStat as Props;
    expect(metrics.find((m) => m.Expression)?.Expression).toBe('errors - FILL(failed, 0)');
    expect(stat('errors')).toMatchObject({
      Metric: { Namespace: 'AWS/Lambda', MetricName: 'Errors' },
      Period: 900,
      Stat: 'Sum',
    });
    expect(stat('failed')).toMatchObject({
      Metric: {
        Namespace: METRICS_NAMESPACE,
        MetricName: Metric.RunFailed,
        Dimensions: ofType('auditevents'),
      },
      Period: 900,
      Stat: 'Sum',
    });
  });

  it('keeps the stale and no-events alarms', () => {
    expect(alarm('auditevents-stale')).toMatchObject({
      MetricName: Metric.LagSeconds,
      Statistic: 'Maximum',
      Threshold: 7200,
      ComparisonOperator: 'GreaterThanThreshold',
    });
    expect(alarm('signinattempts-no-events')).toMatchObject({
      MetricName: Metric.EventsDelivered,
      Period: 3600,
      EvaluationPeriods: 24,
      DatapointsToAlarm: 24,
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'breaching',
    });
  });
});

describe('saved Logs Insights queries', () => {
  it('ask the common questions over every collector log group', () => {
    const functionLogGroups = EVENT_TYPES.map((type) => {
      const fn = props(onlyLogicalId(template, 'AWS::Lambda::Function', `"EVENT_TYPE":"${type}"`));
      return (fn.LoggingConfig as { LogGroup: unknown }).LogGroup;
    });
    for (const saved of SAVED_LOG_QUERIES) {
      const query = props(onlyLogicalId(template, 'AWS::Logs::QueryDefinition', saved.name));
      expect(query).toMatchObject({ Name: `${namePrefix}/${saved.name}`, QueryString: saved.query });
      expect(query.LogGroupNames).toEqual(functionLogGroups);
    }
    expect(SAVED_LOG_QUERIES.map((q) => q.name)).toEqual([
      'failed runs and why',
      'events per run',
      'throttling',
      'slowest runs',
    ]);
  });
});

/** What a docs file says, from the repository root. */
const readDoc = (path: string) =>
  readFileSync(fileURLToPath(new URL(`../../${path}`, import.meta.url)), 'utf8');

/** The template's alarms: name with `<prefix>` and `<type>` in place, description, metrics read. */
function synthesizedAlarms(): { name: string; description: string; metrics: number }[] {
  return Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((resource) => {
    const p = resource.Properties as Props;
    let name = String(p.AlarmName).replace(`${namePrefix}-`, '<prefix>-');
    for (const type of EVENT_TYPES) name = name.replace(`<prefix>-${type}-`, '<prefix>-<type>-');
    const math = p.Metrics as { MetricStat?: unknown }[] | undefined;
    const metrics = math ? math.filter((m) => m.MetricStat).length : 1;
    return { name, description: String(p.AlarmDescription), metrics };
  });
}

describe('docs/deploy.md', () => {
  const deploy = readDoc('docs/deploy.md');
  /** The Alarms tables' rows: name, meaning, first step. */
  const rows = deploy
    .split('\n')
    .filter((line) => line.startsWith('| `<prefix>-'))
    .map((line) => line.split(' | ').map((cell) => cell.replace(/^\| |\s*\|$/g, '')));

  it('has a runbook row (name, meaning, first step) for every alarm, and no other', () => {
    const runbook = [
      ...ALARM_RUNBOOK.map((e) => ({ ...e, name: `\`<prefix>-<type>-${e.suffix}\`` })),
      ...SCHEDULED_RULES_ALARM_RUNBOOK.map((e) => ({
        ...e,
        name: `\`<prefix>-scheduled-rules-${e.suffix}\``,
      })),
    ];
    expect(rows.map(([name]) => name)).toEqual(runbook.map((e) => e.name));
    for (const [index, entry] of runbook.entries()) {
      expect(rows[index]?.slice(1)).toEqual([entry.meaning, entry.firstStep]);
    }
  });

  it("lists every alarm of the synthesized template, with the alarm's description as its meaning and first step", () => {
    const documented = new Map(rows.map(([name, meaning, firstStep]) => [name, { meaning, firstStep }]));
    const synthesized = synthesizedAlarms();
    expect(new Set(synthesized.map((a) => `\`${a.name}\``))).toEqual(new Set(documented.keys()));
    for (const a of synthesized) {
      const row = documented.get(`\`${a.name}\``);
      expect(a.description, a.name).toBe(
        `${row?.meaning} First step: ${row?.firstStep} (docs/deploy.md, Alarms)`,
      );
    }
  });

  it("gives the synthesized template's alarm counts and what they cost, wherever it counts them", () => {
    const synthesized = synthesizedAlarms();
    const perType =
      synthesized.filter((a) => a.name.startsWith('<prefix>-<type>-')).length / EVENT_TYPES.length;
    const scheduled = synthesized.filter((a) => a.name.startsWith('<prefix>-scheduled-rules-')).length;
    const total = synthesized.length;
    const metrics = synthesized.reduce((sum, a) => sum + a.metrics, 0);
    expect(Number.isInteger(perType) && perType > 0 && scheduled > 0).toBe(true);
    // Each count is a number in the text: a stale one written out in words does not match `\d+` and fails.
    const claims: [file: string, pattern: RegExp, expected: string][] = [
      ['docs/deploy.md', /(\S+) CloudWatch alarms per event type/g, `${perType}`],
      ['docs/deploy.md', /(\S+) per event type, named/g, `${perType}`],
      ['docs/deploy.md', /(\S+) (?:CloudWatch alarms )?for the scheduled detection rules/g, `${scheduled}`],
      ['docs/deploy.md', /(\S+) in a\s+stack of the three types/g, `${total}`],
      ['docs/deploy.md', /none of (\S+) in ALARM/g, `${total}`],
      ['docs/deploy.md', /(\S+) alarms reading (\S+) metrics/g, `${total} ${metrics}`],
      ['docs/deploy.md', /each metric it reads: about \$(\S+)\)/g, (metrics * 0.1).toFixed(2)],
      ['infra/constructs/README.md', /(\S+) per event type and/g, `${perType}`],
      ['infra/constructs/README.md', /(\S+) for the scheduled detection rules/g, `${scheduled}`],
      ['docs/detections.md', /their own (\S+) alarms/g, `${scheduled}`],
    ];
    for (const [file, pattern, expected] of claims) {
      const found = [...readDoc(file).matchAll(pattern)].map((m) => m.slice(1).join(' '));
      expect(found.length, `${file}: ${pattern}`).toBeGreaterThan(0);
      expect(new Set(found), `${file}: ${pattern}`).toEqual(new Set([expected]));
    }
    for (const file of ['README.md', 'docs/deploy.md', 'infra/constructs/README.md', 'docs/detections.md']) {
      expect(readDoc(file), file).not.toMatch(/\b(?:twelve|thirteen|fourteen|thirty-six)\b.{0,20}alarms?/i);
    }
  });
});
