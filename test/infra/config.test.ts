import { Duration, Size } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/app';
import { configFromContext, DEFAULT_STACK_NAME } from '../../infra/config';
import { ConfigurationError, resolvePipelineProps } from '../../infra/onepassword-events-pipeline';

const fromContext = (context: Record<string, unknown>) =>
  configFromContext((key) => context[key], Object.keys(context));

function errorOf(fn: () => unknown): ConfigurationError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigurationError) return error;
    throw error;
  }
  throw new Error('expected a ConfigurationError');
}

describe('context: defaults', () => {
  it('with no context: stack OnePasswordEvents and no pipeline settings (construct defaults apply)', () => {
    expect(fromContext({})).toEqual({ stackName: DEFAULT_STACK_NAME, pipeline: {} });
  });
});

describe('context: valid values', () => {
  it('parses command-line strings into typed props', () => {
    const config = fromContext({
      stackName: 'OpEventsProd',
      eventTypes: 'auditevents, itemusages',
      schedule: 'rate(5 minutes)',
      eventsApiUrl: 'https://events.ent.1password.com/',
      startLookbackHours: '720',
      maxEventsPerRun: '5000',
      pageSize: '500',
      requestBudgetPerMinute: '120',
      firehoseQuotaMiBPerSecond: '10',
      firehoseBufferSeconds: '60',
      firehoseBufferMiB: '64',
      retentionDays: '90',
      alarmEmail: 'soc@example.com',
      noEventsWindowHours: '48',
      freshnessThresholdMinutes: '240',
      existingSecretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:op/token-a1B2c3',
      existingBucketName: 'corp-logs.security',
      glueDatabaseName: 'op_events_prod',
    });
    expect(config.stackName).toBe('OpEventsProd');
    expect(config.pipeline).toEqual({
      eventTypes: ['auditevents', 'itemusages'],
      schedule: 'rate(5 minutes)',
      eventsApiUrl: 'https://events.ent.1password.com',
      startLookbackHours: 720,
      maxEventsPerRun: 5000,
      pageSize: 500,
      requestBudgetPerMinute: 120,
      firehoseQuotaMiBPerSecond: 10,
      firehoseBufferInterval: Duration.seconds(60),
      firehoseBufferSize: Size.mebibytes(64),
      retentionDays: 90,
      alarmEmail: 'soc@example.com',
      noEventsWindow: Duration.hours(48),
      freshnessThreshold: Duration.minutes(240),
      existingSecretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:op/token-a1B2c3',
      existingBucketName: 'corp-logs.security',
      glueDatabaseName: 'op_events_prod',
    });
  });

  it('accepts JSON values from cdk.json (numbers, arrays)', () => {
    const config = fromContext({
      pageSize: 250,
      eventTypes: ['signinattempts'],
      startTime: '2026-01-01T00:00:00Z',
    });
    expect(config.pipeline).toEqual({
      pageSize: 250,
      eventTypes: ['signinattempts'],
      startTime: '2026-01-01T00:00:00Z',
    });
  });

  it('accepts cron schedules', () => {
    expect(fromContext({ schedule: 'cron(0/5 * * * ? *)' }).pipeline.schedule).toBe('cron(0/5 * * * ? *)');
  });
});

describe('context: invalid values fail with the key in the message', () => {
  const cases: [string, Record<string, unknown>, RegExp][] = [
    ['eventTypes', { eventTypes: 'auditevents,logins' }, /unknown event type "logins"/],
    ['eventTypes', { eventTypes: 'itemusages,itemusages' }, /twice/],
    ['eventTypes', { eventTypes: '' }, /empty/],
    ['schedule', { schedule: 'every minute' }, /EventBridge Scheduler expression/],
    ['schedule', { schedule: 'rate(1 minutes)' }, /singular/],
    ['schedule', { schedule: 'rate(0 minutes)' }, /at least 1/],
    ['eventsApiUrl', { eventsApiUrl: 'https://evil.example.com' }, /not a 1Password events host/],
    ['eventsApiUrl', { eventsApiUrl: 'http://events.1password.com' }, /https/],
    ['eventsApiUrl', { eventsApiUrl: 'http://127.0.0.1:8080' }, /loopback/],
    ['eventsApiUrl', { eventsApiUrl: 'https://events.1password.com/api/v2' }, /path/],
    ['startTime', { startTime: 'yesterday' }, /RFC 3339/],
    ['startTime', { startTime: '2026-01-01T00:00:00Z', startLookbackHours: '24' }, /not both/],
    ['startLookbackHours', { startLookbackHours: '2881' }, /1 to 2880/],
    ['maxEventsPerRun', { maxEventsPerRun: '1e4' }, /integer/],
    ['pageSize', { pageSize: '0' }, /1 to 1000/],
    ['pageSize', { pageSize: '1001' }, /1 to 1000/],
    ['pageSize', { pageSize: '600', maxEventsPerRun: '500' }, /must not exceed maxEventsPerRun/],
    ['requestBudgetPerMinute', { requestBudgetPerMinute: '601' }, /0 to 600/],
    ['firehoseQuotaMiBPerSecond', { firehoseQuotaMiBPerSecond: '0' }, /1 to 1000/],
    ['firehoseBufferSeconds', { firehoseBufferSeconds: '30' }, /60 to 900/],
    ['firehoseBufferMiB', { firehoseBufferMiB: '32' }, /64 to 128/],
    ['retentionDays', { retentionDays: '-1' }, /integer/],
    ['alarmEmail', { alarmEmail: 'soc-at-example.com' }, /e-mail/],
    ['noEventsWindowHours', { noEventsWindowHours: '169' }, /1 to 168/],
    ['freshnessThresholdMinutes', { freshnessThresholdMinutes: '0' }, /integer/],
    ['existingSecretArn', { existingSecretArn: 'op-events-token' }, /complete secret ARN/],
    [
      'existingSecretKmsKeyArn',
      { existingSecretKmsKeyArn: 'arn:aws:kms:us-east-1:123456789012:key/abc' },
      /together with existingSecretArn/,
    ],
    ['existingBucketName', { existingBucketName: 'Corp_Logs' }, /bucket name/],
    ['glueDatabaseName', { glueDatabaseName: 'op-events' }, /lower-case letters, digits and underscores/],
    ['stackName', { stackName: '1password' }, /stack name/],
    ['pagesize', { pagesize: '10' }, /did you mean "pageSize"/],
  ];

  it.each(cases)('%s: %j', (key, context, detail) => {
    const error = errorOf(() => fromContext(context));
    expect(error.key).toBe(key);
    expect(error.message).toMatch(new RegExp(`^Invalid "${key}": `));
    expect(error.message).toMatch(detail);
  });

  it('buildApp rejects bad context before creating any resource', () => {
    const error = errorOf(() => buildApp({ context: { retentionDays: 'forever' } }));
    expect(error.message).toBe('Invalid "retentionDays": must be an integer from 1 to 36500 (got "forever")');
  });
});

describe('construct props are validated too (errors name the prop)', () => {
  const cases: [string, Parameters<typeof resolvePipelineProps>[0]][] = [
    ['eventTypes', { eventTypes: [] }],
    ['pageSize', { pageSize: 2000 }],
    ['pageSize', { pageSize: 100, maxEventsPerRun: 50 }],
    ['firehoseBufferInterval', { firehoseBufferInterval: Duration.seconds(30) }],
    ['firehoseBufferSize', { firehoseBufferSize: Size.mebibytes(5) }],
    ['noEventsWindow', { noEventsWindow: Duration.minutes(90) }],
    ['startLookbackHours', { startLookbackHours: 0.5 }],
    ['schedule', { schedule: 'rate(30 seconds)' }],
    ['alarmThresholds.throttledMinutes', { alarmThresholds: { throttledMinutes: 7 } }],
    ['alarmThresholds.tokenExpiryDays', { alarmThresholds: { tokenExpiryDays: 0 } }],
  ];
  it.each(cases)('%s', (key, props) => {
    expect(errorOf(() => resolvePipelineProps(props)).key).toBe(key);
  });

  it('fills in the documented defaults', () => {
    expect(resolvePipelineProps({})).toMatchObject({
      eventTypes: ['auditevents', 'itemusages', 'signinattempts'],
      schedule: 'rate(1 minute)',
      startLookbackHours: 168,
      maxEventsPerRun: 10000,
      pageSize: 1000,
      requestBudgetPerMinute: 300,
      retentionDays: 400,
      glueDatabaseName: 'onepassword_events',
      alarmThresholds: {
        failedRunsPer5Minutes: 3,
        throttledMinutes: 30,
        tokenExpiryDays: 14,
        functionErrorsPer15Minutes: 3,
      },
    });
    const resolved = resolvePipelineProps({});
    expect(resolved.bufferInterval.toSeconds()).toBe(300);
    expect(resolved.bufferSize.toMebibytes()).toBe(128);
    expect(resolved.noEventsWindow.toHours()).toBe(24);
    expect(resolved.freshnessThreshold.toHours()).toBe(2);
    expect(resolved.eventsApiUrl).toBeUndefined();
  });
});
