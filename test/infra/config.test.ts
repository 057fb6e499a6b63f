import { App, Duration, Size, Stack, TimeZone } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/app/app';
import { configFromContext, DEFAULT_STACK_NAME } from '../../infra/app/context-settings';
import {
  OnePasswordEventsPipeline,
  resolvePipelineProps,
} from '../../infra/constructs/onepassword-events-pipeline';
import { toPropValue } from '../../infra/props/setting-props';
import { allSettings } from '../../shared/contracts/settings';
import { cdkJsonContext, errorOf, NO_BUNDLING } from './helpers';

const fromContext = (context: Record<string, unknown>) =>
  configFromContext((key) => context[key], Object.keys(context));

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
    expect(resolvePipelineProps(config.pipeline).collectorSettings.EVENTS_API_URL).toBe(
      'https://events.ent.1password.com',
    );
    expect(config.pipeline).toEqual({
      eventTypes: ['auditevents', 'itemusages'],
      collector: {
        schedule: 'rate(5 minutes)',
        // As given: the construct checks it and passes on its origin (EVENTS_API_URL, above).
        eventsApiUrl: 'https://events.ent.1password.com/',
        startLookbackHours: 720,
        maxEventsPerRun: 5000,
        pageSize: 500,
        requestBudgetPerMinute: 120,
        firehoseQuotaMiBPerSecond: 10,
      },
      storage: {
        firehoseBufferInterval: Duration.seconds(60),
        firehoseBufferSize: Size.mebibytes(64),
        retentionDays: 90,
        existingBucketName: 'corp-logs.security',
      },
      alarms: {
        email: 'soc@example.com',
        noEventsWindow: Duration.hours(48),
        freshnessThreshold: Duration.minutes(240),
      },
      token: { existingSecretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:op/token-a1B2c3' },
      query: { glueDatabaseName: 'op_events_prod' },
    });
  });

  it('accepts JSON values from cdk.json (numbers, arrays)', () => {
    const config = fromContext({
      pageSize: 250,
      eventTypes: ['signinattempts'],
      startTime: '2026-01-01T00:00:00Z',
    });
    expect(config.pipeline).toEqual({
      collector: { pageSize: 250, startTime: '2026-01-01T00:00:00Z' },
      eventTypes: ['signinattempts'],
    });
  });

  it('accepts cron schedules', () => {
    expect(fromContext({ schedule: 'cron(0/5 * * * ? *)' }).pipeline.collector?.schedule).toBe(
      'cron(0/5 * * * ? *)',
    );
  });
});

describe('context: every setting with a context key', () => {
  it.each(
    allSettings().flatMap(([key, setting]) =>
      setting.kind === 'wholeNumber' && setting.context !== undefined
        ? [{ key, setting, context: setting.context }]
        : [],
    ),
  )('$context reaches the prop the docs name, in its unit', ({ setting, context }) => {
    const value = setting.max - (setting.max % (setting.step ?? 1));
    const { pipeline } = fromContext({ [context]: String(value) });
    const [group, name] = (setting.prop as string).split('.');
    const atProp = name === undefined ? pipeline : (pipeline as Record<string, unknown>)[group as string];
    expect(atProp).toEqual({ [name ?? (group as string)]: toPropValue(setting, value) });
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
    ['maxEventsPerRun', { maxEventsPerRun: '1e4' }, /whole number from 1 to 1000000/],
    ['pageSize', { pageSize: '0' }, /1 to 1000/],
    ['pageSize', { pageSize: '1001' }, /1 to 1000/],
    [
      'pageSize',
      { pageSize: '600', maxEventsPerRun: '500' },
      /pageSize \(600\) must not exceed maxEventsPerRun \(500\)/,
    ],
    ['requestTimeoutMs', { requestTimeoutMs: '50' }, /milliseconds from 100 to 120000/],
    ['tokenCacheSeconds', { tokenCacheSeconds: '0x10' }, /seconds from 0 to 3600/],
    ['requestBudgetPerMinute', { requestBudgetPerMinute: '601' }, /0 to 600/],
    ['firehoseQuotaMiBPerSecond', { firehoseQuotaMiBPerSecond: '0' }, /1 to 1000/],
    ['firehoseBufferSeconds', { firehoseBufferSeconds: '30' }, /60 to 900/],
    ['firehoseBufferMiB', { firehoseBufferMiB: '32' }, /64 to 128/],
    ['retentionDays', { retentionDays: '-1' }, /whole number of days/],
    ['alarmEmail', { alarmEmail: 'soc-at-example.com' }, /e-mail/],
    ['noEventsWindowHours', { noEventsWindowHours: '169' }, /1 to 168/],
    ['freshnessThresholdMinutes', { freshnessThresholdMinutes: '0' }, /minutes from 1 to 20160/],
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
    expect(error.message).toBe(
      'Invalid "retentionDays": must be a whole number of days from 1 to 36500 (got "forever")',
    );
  });
});

describe('context: what the construct refuses is named by the context key, not the prop', () => {
  const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:op/token-a1B2c3';
  const ADMIN = 'arn:aws:iam::123456789012:role/Admin';
  const cases: [string, string, Record<string, unknown>, string][] = [
    ['a format', 'existingBucketName', { existingBucketName: 'Corp_Logs' }, 'must be an S3 bucket name'],
    [
      'a key needing another',
      'objectLockMode',
      { objectLockMode: 'GOVERNANCE' },
      'needs objectLockRetentionDays',
    ],
    [
      'a key needing another',
      'objectLockAtBucketCreation',
      { objectLockAtBucketCreation: 'true' },
      'needs objectLockMode and objectLockRetentionDays',
    ],
    [
      'a bound set by another key',
      'objectLockRetentionDays',
      {
        objectLockMode: 'GOVERNANCE',
        objectLockRetentionDays: '500',
        retentionDays: '400',
        objectLockAtBucketCreation: 'true',
      },
      'must be a whole number of days from 1 to retentionDays (400) (got 500)',
    ],
    [
      'two keys that exclude each other',
      'objectLockMode',
      { objectLockMode: 'GOVERNANCE', objectLockRetentionDays: '30', existingBucketName: 'corp-logs' },
      'applies to the bucket the stack creates, not to an existing bucket',
    ],
    [
      'two keys that exclude each other',
      'tokenSecretKeyAdminArns',
      { tokenSecretKeyAdminArns: ADMIN, existingSecretArn: SECRET_ARN },
      'applies to the secret the stack creates',
    ],
    [
      'a confirmation missing',
      'objectLockMode',
      { objectLockMode: 'GOVERNANCE', objectLockRetentionDays: '30' },
      'also set objectLockAtBucketCreation (-c objectLockAtBucketCreation=true)',
    ],
    [
      'two settings that contradict each other',
      'pageSize',
      { pageSize: '600', maxEventsPerRun: '500' },
      'pageSize (600) must not exceed maxEventsPerRun (500)',
    ],
    [
      'two settings that contradict each other',
      'startTime',
      { startTime: '2026-01-01T00:00:00Z', startLookbackHours: '24' },
      'either startTime or startLookbackHours, not both',
    ],
  ];

  it.each(cases)('%s: %s', (_kind, key, context, detail) => {
    const error = errorOf(() => fromContext(context));
    expect(error.key).toBe(key);
    expect(error.message).toMatch(new RegExp(`^Invalid "${key}": `));
    expect(error.message).toContain(detail);
    // No prop path (`storage.objectLockMode`) and no construct path: the user set a context key.
    expect(error.message).not.toMatch(/\b(collector|storage|alarms|token|query|detections)\.[a-z]/);
    expect(error.constructPath).toBeUndefined();
  });

  it('and so does the app, before it creates the stack', () => {
    const error = errorOf(() => buildApp({ context: { objectLockMode: 'GOVERNANCE' } }));
    expect(error.message).toBe('Invalid "objectLockMode": needs objectLockRetentionDays');
  });
});

describe("collector.schedule as aws-cdk-lib's ScheduleExpression, or as its text", () => {
  it.each([
    [scheduler.ScheduleExpression.rate(Duration.minutes(1)), 'rate(1 minute)'],
    [scheduler.ScheduleExpression.rate(Duration.minutes(5)), 'rate(5 minutes)'],
    [scheduler.ScheduleExpression.cron({ minute: '0/5' }), 'cron(0/5 * * * ? *)'],
    [scheduler.ScheduleExpression.expression('rate(2 hours)', TimeZone.ETC_UTC), 'rate(2 hours)'],
  ])('%#: gives the expression %s', (schedule, text) => {
    expect(resolvePipelineProps({ collector: { schedule } }).schedule).toBe(text);
    expect(resolvePipelineProps({ collector: { schedule: text } }).schedule).toBe(text);
  });

  it('sets the schedule and the function timeout as its text does', () => {
    const stack = new Stack(new App({ context: { ...cdkJsonContext(), ...NO_BUNDLING } }), 'Schedules');
    const pipeline = new OnePasswordEventsPipeline(stack, 'Pipeline', {
      eventTypes: ['auditevents'],
      collector: { schedule: scheduler.ScheduleExpression.rate(Duration.minutes(5)) },
    });
    const collector = pipeline.collector('auditevents');
    const schedule = collector.schedule.node.defaultChild as scheduler.CfnSchedule;
    expect(stack.resolve(schedule.scheduleExpression)).toBe('rate(5 minutes)');
    expect((collector.function.node.defaultChild as lambda.CfnFunction).timeout).toBe(290);
  });

  it('refuses a cron expression in another time zone than UTC, and a one-time schedule', () => {
    const berlin = scheduler.ScheduleExpression.cron({ minute: '0', timeZone: TimeZone.EUROPE_BERLIN });
    const error = errorOf(() => resolvePipelineProps({ collector: { schedule: berlin } }));
    expect(error.message).toBe(
      'Invalid "collector.schedule": runs in UTC; give the cron fields in UTC, without a time zone ' +
        '(got Europe/Berlin)',
    );
    const once = scheduler.ScheduleExpression.at(new Date('2026-01-01T00:00:00Z'));
    expect(errorOf(() => resolvePipelineProps({ collector: { schedule: once } })).message).toMatch(
      /^Invalid "collector.schedule": must be an EventBridge Scheduler expression .* \(got "at\(2026-01-01T00:00:00\)"\)$/,
    );
  });
});

describe('construct props are validated too (errors name the prop)', () => {
  const cases: [string, Parameters<typeof resolvePipelineProps>[0]][] = [
    ['eventTypes', { eventTypes: [] }],
    ['collector.pageSize', { collector: { pageSize: 2000 } }],
    ['collector.pageSize', { collector: { pageSize: 100, maxEventsPerRun: 50 } }],
    ['storage.firehoseBufferInterval', { storage: { firehoseBufferInterval: Duration.seconds(30) } }],
    ['storage.firehoseBufferSize', { storage: { firehoseBufferSize: Size.mebibytes(5) } }],
    ['alarms.noEventsWindow', { alarms: { noEventsWindow: Duration.minutes(90) } }],
    ['collector.startLookbackHours', { collector: { startLookbackHours: 0.5 } }],
    ['collector.schedule', { collector: { schedule: 'rate(30 seconds)' } }],
    ['alarms.throttledMinutes', { alarms: { throttledMinutes: 7 } }],
    ['alarms.tokenExpiryDays', { alarms: { tokenExpiryDays: 0 } }],
    ['query.glueDatabaseName', { query: { glueDatabaseName: 'op-events' } }],
    ['storage.existingBucketName', { storage: { existingBucketName: 'Corp_Logs' } }],
    ['token.existingSecretArn', { token: { existingSecretArn: 'op-events-token' } }],
    ['alarms.email', { alarms: { email: 'soc-at-example.com' } }],
  ];
  it.each(cases)('%s', (key, props) => {
    expect(errorOf(() => resolvePipelineProps(props)).key).toBe(key);
  });

  it.each(
    allSettings().flatMap(([key, setting]) =>
      setting.kind === 'wholeNumber' && setting.prop !== undefined
        ? [{ key, setting, prop: setting.prop }]
        : [],
    ),
  )('$prop: one past its bound is refused naming the prop', ({ setting, prop }) => {
    const tooLarge = toPropValue(setting, setting.max + (setting.step ?? 1));
    const [group, name] = prop.split('.');
    const props = name === undefined ? { [prop]: tooLarge } : { [group as string]: { [name]: tooLarge } };
    expect(errorOf(() => resolvePipelineProps(props)).key).toBe(prop);
  });

  it('fills in the documented defaults', () => {
    expect(resolvePipelineProps({})).toMatchObject({
      eventTypes: ['auditevents', 'itemusages', 'signinattempts'],
      schedule: 'rate(1 minute)',
      collectorSettings: { START_LOOKBACK_HOURS: '168', MAX_EVENTS_PER_RUN: '600000', PAGE_SIZE: '1000' },
      retentionDays: 400,
      alarmThresholds: {
        failedRunsPer5Minutes: 3,
        throttledMinutes: 30,
        tokenExpiryDays: 14,
        functionErrorsPer15Minutes: 3,
      },
    });
    const resolved = resolvePipelineProps({});
    expect(resolved.bufferInterval.toSeconds()).toBe(60);
    expect(resolved.bufferSize.toMebibytes()).toBe(128);
    expect(resolved.noEventsWindow.toHours()).toBe(24);
    expect(resolved.freshnessThreshold.toHours()).toBe(2);
    expect(resolved.eventsApiUrl).toBeUndefined();
    // The construct names its database from its own path (test/infra/consumer-app.test.ts).
    expect(resolved.glueDatabaseName).toBeUndefined();
  });
});

describe('defaults that adapt, conflicts that name both settings', () => {
  it('-c maxEventsPerRun=250 alone: the page size follows it, at synth and in the environment', () => {
    const { pipeline } = fromContext({ maxEventsPerRun: '250' });
    expect(pipeline).toEqual({ collector: { maxEventsPerRun: 250 } });
    expect(resolvePipelineProps(pipeline).collectorSettings).toMatchObject({
      MAX_EVENTS_PER_RUN: '250',
      PAGE_SIZE: '250',
    });
  });

  it('a page size the user set stays, within the default run bound', () => {
    expect(resolvePipelineProps({ collector: { pageSize: 200 } }).collectorSettings).toMatchObject({
      MAX_EVENTS_PER_RUN: '600000',
      PAGE_SIZE: '200',
    });
  });

  it('refuses a page size above the run bound the user also set, naming both props', () => {
    const error = errorOf(() => resolvePipelineProps({ collector: { pageSize: 300, maxEventsPerRun: 250 } }));
    expect(error.key).toBe('collector.pageSize');
    expect(error.message).toMatch(
      /collector.pageSize \(300\) must not exceed collector.maxEventsPerRun \(250\)/,
    );
  });

  it('refuses startTime with startLookbackHours, as props and as context, naming both', () => {
    const props = { startTime: '2026-01-01T00:00:00Z', startLookbackHours: 24 };
    expect(errorOf(() => resolvePipelineProps({ collector: props })).message).toMatch(
      /either collector.startTime or collector.startLookbackHours, not both/,
    );
    expect(errorOf(() => fromContext({ ...props, startLookbackHours: '24' })).key).toBe('startTime');
  });

  it('every collector setting with a context key reaches the environment under its variable', () => {
    const { pipeline } = fromContext({
      requestTimeoutMs: '3000',
      cursorFallbackOverlapMinutes: '0',
      tokenCacheSeconds: '60',
      startTime: '2026-01-01T00:00:00Z',
      eventsApiUrl: 'https://events.1password.eu',
    });
    const environment = resolvePipelineProps(pipeline).collectorSettings;
    expect(environment).toMatchObject({
      REQUEST_TIMEOUT_MS: '3000',
      CURSOR_FALLBACK_OVERLAP_MINUTES: '0',
      TOKEN_CACHE_SECONDS: '60',
      START_TIME: '2026-01-01T00:00:00Z',
      EVENTS_API_URL: 'https://events.1password.eu',
    });
    expect(environment).not.toHaveProperty('START_LOOKBACK_HOURS');
  });

  it('Duration and Size props are checked in the unit of their setting', () => {
    expect(
      errorOf(() => resolvePipelineProps({ alarms: { freshnessThreshold: Duration.seconds(90) } })).message,
    ).toMatch(
      /alarms.freshnessThreshold": must be a whole number of minutes from 1 to 20160 \(got Duration.seconds\(90\)\)/,
    );
    expect(
      resolvePipelineProps({
        alarms: { freshnessThreshold: Duration.hours(3) },
      }).freshnessThreshold.toMinutes(),
    ).toBe(180);
  });
});
