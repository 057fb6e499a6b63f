import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ATHENA, CLOUDWATCH, FIREHOSE, LAMBDA, SCHEDULER } from '../../shared/contracts/aws-limits';
import { synthApp } from './helpers';

// The synthesized template against the AWS limits CloudFormation would only enforce at deploy time
// (shared/contracts/aws-limits.ts cites each). One synthesis with the longest alarm window a user may set.
type Props = Record<string, unknown>;
let template: Template;

function propertiesOf(type: string): Props[] {
  return Object.values(template.findResources(type)).map((r) => (r as { Properties: Props }).Properties);
}

beforeAll(() => {
  template = synthApp({ noEventsWindowHours: '168' }).template;
});

/** The longest text an expression can evaluate to in a prefix (dates, error output types). */
function evaluatedLength(prefix: string): number {
  return prefix
    .replaceAll(/!\{partitionKeyFromQuery:[^}]+\}/g, 'YYYY-MM-DD')
    .replaceAll('!{firehose:error-output-type}', 'format-conversion-failed')
    .replaceAll(/!\{timestamp:([^}]+)\}/g, (_, format: string) => format).length;
}

describe('Firehose delivery streams', () => {
  it('partition with de-aggregation, within the buffering bounds of dynamic partitioning', () => {
    const streams = propertiesOf('AWS::KinesisFirehose::DeliveryStream');
    expect(streams).toHaveLength(3);
    for (const stream of streams) {
      const s3 = stream.ExtendedS3DestinationConfiguration as Props;
      expect(s3.DynamicPartitioningConfiguration).toMatchObject({ Enabled: true });
      const processors = (s3.ProcessingConfiguration as { Processors: { Type: string }[] }).Processors;
      expect(processors.map((p) => p.Type)).toContain('RecordDeAggregation');
      const hints = s3.BufferingHints as { IntervalInSeconds: number; SizeInMBs: number };
      expect(hints.IntervalInSeconds).toBeGreaterThanOrEqual(FIREHOSE.minBufferSeconds);
      expect(hints.IntervalInSeconds).toBeLessThanOrEqual(FIREHOSE.maxBufferSeconds);
      expect(hints.SizeInMBs).toBeGreaterThanOrEqual(FIREHOSE.minBufferMiB);
      expect(hints.SizeInMBs).toBeLessThanOrEqual(FIREHOSE.maxBufferMiB);
    }
  });

  it('follow the prefix rules: partition key in Prefix, error output type in ErrorOutputPrefix, 512 characters', () => {
    for (const stream of propertiesOf('AWS::KinesisFirehose::DeliveryStream')) {
      const s3 = stream.ExtendedS3DestinationConfiguration as { Prefix: string; ErrorOutputPrefix: string };
      expect(s3.Prefix).toMatch(/!\{partitionKeyFromQuery:\w+\}/);
      expect(s3.Prefix).not.toContain(FIREHOSE.errorOutputTypeExpression);
      expect(s3.ErrorOutputPrefix).toContain(FIREHOSE.errorOutputTypeExpression);
      expect(s3.Prefix.includes('!{') && s3.Prefix.replaceAll(/!\{\w+:[^}]+\}/g, '').includes('!{')).toBe(
        false,
      );
      expect(evaluatedLength(s3.Prefix)).toBeLessThanOrEqual(FIREHOSE.maxPrefixChars);
      expect(evaluatedLength(s3.ErrorOutputPrefix)).toBeLessThanOrEqual(FIREHOSE.maxPrefixChars);
    }
  });
});

describe('collector functions', () => {
  it('time out well within Lambda’s 900 s and keep their environment under 4 KB', () => {
    const functions = propertiesOf('AWS::Lambda::Function').filter((f) =>
      JSON.stringify(f.Environment ?? {}).includes('EVENT_TYPE'),
    );
    expect(functions).toHaveLength(3);
    for (const fn of functions) {
      expect(fn.Timeout as number).toBeLessThanOrEqual(LAMBDA.maxTimeoutSeconds);
      const variables = (fn.Environment as { Variables: Record<string, unknown> }).Variables;
      // Values CloudFormation resolves later (ARNs, names) are counted at 256 bytes each.
      const bytes = Object.entries(variables).reduce(
        (sum, [name, value]) => sum + name.length + (typeof value === 'string' ? value.length : 256),
        0,
      );
      expect(bytes).toBeLessThanOrEqual(LAMBDA.maxEnvironmentBytes);
    }
  });

  it('are invoked asynchronously with a retry policy Lambda accepts', () => {
    // The three collectors and the scheduled detection rules.
    const configs = propertiesOf('AWS::Lambda::EventInvokeConfig');
    expect(configs).toHaveLength(4);
    for (const config of configs) {
      expect(config.MaximumRetryAttempts as number).toBeLessThanOrEqual(LAMBDA.maxAsyncRetryAttempts);
      expect(config.MaximumEventAgeInSeconds as number).toBeGreaterThanOrEqual(
        LAMBDA.minMaximumEventAgeSeconds,
      );
      expect(config.MaximumEventAgeInSeconds as number).toBeLessThanOrEqual(LAMBDA.maxMaximumEventAgeSeconds);
    }
  });

  it('are scheduled with a retry policy EventBridge Scheduler accepts', () => {
    const schedules = propertiesOf('AWS::Scheduler::Schedule');
    expect(schedules).toHaveLength(4);
    for (const schedule of schedules) {
      const policy = (schedule.Target as { RetryPolicy: Props }).RetryPolicy;
      expect(policy.MaximumRetryAttempts as number).toBeLessThanOrEqual(SCHEDULER.maxRetryAttempts);
      expect(policy.MaximumEventAgeInSeconds as number).toBeGreaterThanOrEqual(
        SCHEDULER.minMaximumEventAgeSeconds,
      );
      expect(policy.MaximumEventAgeInSeconds as number).toBeLessThanOrEqual(
        SCHEDULER.maxMaximumEventAgeSeconds,
      );
    }
  });
});

describe('Athena and Glue', () => {
  it('name the database, tables and columns in lower case without dots', () => {
    const database = propertiesOf('AWS::Glue::Database')[0]!.DatabaseInput as { Name: string };
    expect(database.Name).toMatch(ATHENA.namePattern);
    for (const table of propertiesOf('AWS::Glue::Table')) {
      const input = table.TableInput as {
        Name: string;
        StorageDescriptor: { Columns: { Name: string }[] };
        PartitionKeys?: { Name: string }[];
      };
      expect(input.Name).toMatch(ATHENA.namePattern);
      for (const column of [...input.StorageDescriptor.Columns, ...(input.PartitionKeys ?? [])]) {
        expect(column.Name).toMatch(ATHENA.namePattern);
      }
    }
  });

  it('keep saved queries within CreateNamedQuery’s lengths', () => {
    const queries = propertiesOf('AWS::Athena::NamedQuery');
    expect(queries.length).toBeGreaterThan(0);
    for (const query of queries) {
      expect((query.Name as string).length).toBeLessThanOrEqual(ATHENA.maxNamedQueryNameChars);
      expect((query.Description as string).length).toBeGreaterThan(0);
      expect((query.Description as string).length).toBeLessThanOrEqual(ATHENA.maxNamedQueryDescriptionChars);
      expect(Buffer.byteLength(query.QueryString as string)).toBeLessThanOrEqual(ATHENA.maxQueryStringBytes);
    }
  });
});

describe('CloudWatch alarms', () => {
  it('evaluate at most 7 days (1 day under hourly periods), with names and descriptions within bounds', () => {
    const alarms = propertiesOf('AWS::CloudWatch::Alarm');
    expect(alarms.length).toBeGreaterThan(0);
    // A metric-math alarm has its period on each metric of the expression.
    const periodOf = (alarm: Props): number =>
      (alarm.Period as number | undefined) ??
      Math.max(
        ...(alarm.Metrics as { Period?: number; MetricStat?: { Period: number } }[]).map(
          (m) => m.MetricStat?.Period ?? m.Period ?? 0,
        ),
      );
    const windows = alarms.map((alarm) => periodOf(alarm) * (alarm.EvaluationPeriods as number));
    expect(Math.max(...windows)).toBe(168 * 3600);
    for (const alarm of alarms) {
      const period = periodOf(alarm);
      expect(period).toBeGreaterThan(0);
      const bound =
        period >= 3600 ? CLOUDWATCH.maxEvaluationSeconds : CLOUDWATCH.maxEvaluationSecondsShortPeriod;
      expect(period * (alarm.EvaluationPeriods as number)).toBeLessThanOrEqual(bound);
      const name = JSON.stringify(alarm.AlarmName);
      expect(name.length).toBeLessThanOrEqual(CLOUDWATCH.maxAlarmNameChars);
      expect((alarm.AlarmDescription as string).length).toBeLessThanOrEqual(
        CLOUDWATCH.maxAlarmDescriptionChars,
      );
    }
  });
});
