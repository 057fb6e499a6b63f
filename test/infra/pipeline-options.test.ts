import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { LOOKUP_KINDS } from '../../shared/contracts/lookup-schema';
import { onlyLogicalId, resource, synthApp } from './helpers';

const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:op-events-token-AbC123';
const KEY_ARN = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';

// One synthesis: a deployment that reuses a bucket and a secret and sets every collector option.
let template: Template;
let namePrefix: string;
const props = (id: string) => resource(template, id).Properties as Record<string, unknown>;

beforeAll(() => {
  const synthesized = synthApp({
    stackName: 'OpEventsEu',
    eventTypes: 'auditevents,itemusages',
    schedule: 'rate(5 minutes)',
    eventsApiUrl: 'https://events.1password.eu',
    startTime: '2026-01-01T00:00:00Z',
    maxEventsPerRun: '2000',
    pageSize: '200',
    requestBudgetPerMinute: '60',
    firehoseQuotaMiBPerSecond: '2',
    firehoseBufferSeconds: '60',
    firehoseBufferMiB: '64',
    alarmEmail: 'soc@example.com',
    noEventsWindowHours: '72',
    existingSecretArn: SECRET_ARN,
    existingSecretKmsKeyArn: KEY_ARN,
    existingBucketName: 'corp-security-logs',
  });
  template = synthesized.template;
  namePrefix = synthesized.stack.pipeline.namePrefix;
});

describe('a subset of event types', () => {
  it('creates functions, streams, schedules and tables for the chosen types only', () => {
    // The two collectors and the scheduled detection rules.
    template.resourceCountIs('AWS::Lambda::Function', 3);
    template.resourceCountIs('AWS::KinesisFirehose::DeliveryStream', 2);
    template.resourceCountIs('AWS::Scheduler::Schedule', 3);
    // Per type the raw table and its typed, drift, de-duplicated, ECS and OCSF views; the lookup
    // tables; the country_codes view.
    template.resourceCountIs('AWS::Glue::Table', 2 * 6 + LOOKUP_KINDS.length + 1);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 2 * 14 + 3); // fourteen per type, three of the scheduled rules
    expect(JSON.stringify(template.toJSON())).not.toContain('signinattempts');
  });

  it('creates only the views and saves only the queries whose tables exist', () => {
    const names = Object.values(template.findResources('AWS::Athena::NamedQuery')).map(
      (q) => q.Properties.Name,
    );
    expect(names.sort()).toEqual(
      [
        'Admin actions by actor (last 30 days)',
        'Item reveals and exports per vault and user (last 30 days)',
      ].sort(),
    );
    const views = Object.values(template.findResources('AWS::Glue::Table'))
      .map((t) => t.Properties.TableInput)
      .filter((input) => input.TableType === 'VIRTUAL_VIEW')
      .map((input) => input.Name);
    expect(views.sort()).toEqual(
      ['auditevents', 'itemusages']
        .flatMap((t) => [t, `${t}_drift`, `${t}_ecs`, `${t}_ocsf`, `${t}_unique`])
        .concat('country_codes')
        .sort(),
    );
  });
});

describe('collector settings', () => {
  it('passes the host, absolute start time and limits to the function, and no look-back', () => {
    const fn = props(onlyLogicalId(template, 'AWS::Lambda::Function', '"EVENT_TYPE":"itemusages"'));
    const env = (fn.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(env).toMatchObject({
      EVENTS_API_URL: 'https://events.1password.eu',
      START_TIME: '2026-01-01T00:00:00Z',
      MAX_EVENTS_PER_RUN: '2000',
      PAGE_SIZE: '200',
      REQUEST_BUDGET_PER_MINUTE: '60',
      FIREHOSE_QUOTA_MIB_PER_SECOND: '2',
      TOKEN_SECRET_ID: SECRET_ARN,
    });
    expect(env).not.toHaveProperty('START_LOOKBACK_HOURS');
  });

  it('schedules the collectors with the configured expression', () => {
    template.resourcePropertiesCountIs(
      'AWS::Scheduler::Schedule',
      { ScheduleExpression: 'rate(5 minutes)' },
      2,
    );
  });

  it('lets a run behind page for the schedule interval less 10 s (the function timeout)', () => {
    for (const type of ['auditevents', 'itemusages']) {
      const fn = props(onlyLogicalId(template, 'AWS::Lambda::Function', `"EVENT_TYPE":"${type}"`));
      expect(fn.Timeout).toBe(290);
    }
  });

  it('uses the configured buffering on every stream', () => {
    template.allResourcesProperties('AWS::KinesisFirehose::DeliveryStream', {
      ExtendedS3DestinationConfiguration: Match.objectLike({
        BufferingHints: { IntervalInSeconds: 60, SizeInMBs: 64 },
      }),
    });
  });

  it('names the physical resources after the stack and the pipeline', () => {
    expect(namePrefix).toMatch(/^OpEventsEu-Pipeline-[0-9A-F]{8}$/);
  });

  it('widens the no-events window', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: `${namePrefix}-auditevents-no-events`,
      Period: 3600,
      EvaluationPeriods: 72,
      DatapointsToAlarm: 72,
    });
  });

  it('subscribes the alarm e-mail to the topic', () => {
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'soc@example.com',
      TopicArn: { Ref: onlyLogicalId(template, 'AWS::SNS::Topic') },
    });
  });
});

describe('an existing secret with a customer-managed key', () => {
  it('creates no secret and reads the given one, decrypting only through Secrets Manager', () => {
    template.resourceCountIs('AWS::SecretsManager::Secret', 0);
    const roleId = onlyLogicalId(template, 'AWS::IAM::Role', '1Password auditevents collector');
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: roleId }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Sid: 'ReadToken',
            Effect: 'Allow',
            Action: 'secretsmanager:GetSecretValue',
            Resource: SECRET_ARN,
          },
          {
            Sid: 'DecryptTokenViaSecretsManager',
            Effect: 'Allow',
            Action: 'kms:Decrypt',
            Resource: KEY_ARN,
            Condition: {
              StringEquals: {
                'kms:ViaService': {
                  'Fn::Join': ['', ['secretsmanager.', { Ref: 'AWS::Region' }, '.amazonaws.com']],
                },
              },
            },
          },
        ]),
      },
    });
    expect(template.toJSON().Outputs.TokenSecretArn.Value).toBe(SECRET_ARN);
  });
});

describe('an existing events bucket', () => {
  const bucketArn = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::corp-security-logs']] };

  it('creates no events bucket (only the access-log and Athena results buckets)', () => {
    template.resourceCountIs('AWS::S3::Bucket', 2);
    expect(template.toJSON().Outputs.EventsBucketName.Value).toBe('corp-security-logs');
  });

  it('delivers into the given bucket and lets the role write only under its prefixes there', () => {
    template.hasResourceProperties('AWS::KinesisFirehose::DeliveryStream', {
      ExtendedS3DestinationConfiguration: Match.objectLike({
        BucketARN: bucketArn,
        Prefix: 'events/auditevents/dt=!{partitionKeyFromQuery:dt}/',
      }),
    });
    template.hasResourceProperties('AWS::IAM::Role', {
      Description: 'Firehose delivery of auditevents to S3',
      Policies: [
        {
          PolicyDocument: {
            Statement: Match.arrayWith([
              Match.objectLike({
                Sid: 'OwnPrefixesOnly',
                Resource: [
                  {
                    'Fn::Join': [
                      '',
                      ['arn:', { Ref: 'AWS::Partition' }, ':s3:::corp-security-logs/errors/auditevents/*'],
                    ],
                  },
                  {
                    'Fn::Join': [
                      '',
                      ['arn:', { Ref: 'AWS::Partition' }, ':s3:::corp-security-logs/events/auditevents/*'],
                    ],
                  },
                ],
              }),
            ]),
          },
        },
      ],
    });
  });

  it('points the Glue tables at the given bucket', () => {
    template.hasResourceProperties('AWS::Glue::Table', {
      TableInput: Match.objectLike({
        Name: 'itemusages_raw',
        StorageDescriptor: Match.objectLike({ Location: 's3://corp-security-logs/events/itemusages/' }),
        Parameters: Match.objectLike({
          'storage.location.template': `s3://corp-security-logs/events/itemusages/dt=\${dt}/`,
        }),
      }),
    });
  });
});
