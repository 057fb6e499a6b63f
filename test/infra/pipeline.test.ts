import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { cursorKeyFor, EVENT_TYPES, REQUEST_BUDGET_KEY } from '../../shared/contracts/event-types';
import { LOOKUP_KINDS } from '../../shared/contracts/lookup-schema';
import { METRICS_NAMESPACE, Metric } from '../../shared/contracts/metric-names';
import { NAMED_QUERIES } from '../../shared/sql/named-queries';
import { ALL_VIEWS } from '../../shared/sql/view-catalog';
import { logicalIds, onlyLogicalId, resource, synthApp } from './helpers';

// One synthesis (with esbuild bundling) for the whole file: the default deployment.
let template: Template;
let namePrefix: string;
let fnId: string;
let fnRoleId: string;
let tableId: string;
let secretId: string;
let streamId: string;
let eventsBucketId: string;
let accessLogsBucketId: string;

type Props = Record<string, unknown>;
const props = (id: string) => resource(template, id).Properties as Props;
const getAttArn = (id: string) => ({ 'Fn::GetAtt': [id, 'Arn'] });

beforeAll(() => {
  const synthesized = synthApp();
  template = synthesized.template;
  namePrefix = synthesized.stack.pipeline.namePrefix;
  fnId = onlyLogicalId(template, 'AWS::Lambda::Function', '"EVENT_TYPE":"auditevents"');
  const fn = props(fnId);
  fnRoleId = (fn.Role as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0] as string;
  tableId = onlyLogicalId(template, 'AWS::DynamoDB::Table');
  secretId = onlyLogicalId(template, 'AWS::SecretsManager::Secret');
  const env = (fn.Environment as { Variables: Record<string, { Ref: string }> }).Variables;
  streamId = env.DELIVERY_STREAM?.Ref as string;
  eventsBucketId = onlyLogicalId(template, 'AWS::S3::Bucket', '"LogFilePrefix":"events-bucket/"');
  accessLogsBucketId = onlyLogicalId(template, 'AWS::S3::Bucket', '"access-log-retention"');
});

describe('resources of the default deployment (all three event types)', () => {
  it('creates the expected number of each resource type', () => {
    const expected: Record<string, number> = {
      // A collector per type, and the scheduled detection rules.
      'AWS::Lambda::Function': 4,
      'AWS::Lambda::EventInvokeConfig': 4,
      'AWS::Scheduler::Schedule': 4,
      // The alerts' readable notification (infra/detection-alerts.ts).
      'AWS::Events::Rule': 1,
      'AWS::KinesisFirehose::DeliveryStream': 3,
      'AWS::Glue::Database': 1,
      // Per type the raw table and its typed, drift, de-duplicated, ECS and OCSF views; the lookup
      // tables; the country_codes view.
      'AWS::Glue::Table': 3 * 6 + LOOKUP_KINDS.length + 1,
      'AWS::DynamoDB::Table': 1,
      'AWS::SecretsManager::Secret': 1,
      'AWS::S3::Bucket': 3,
      'AWS::S3::BucketPolicy': 3,
      'AWS::Athena::WorkGroup': 1,
      'AWS::Athena::NamedQuery': 4,
      // Fourteen per type (test/infra/alarms.test.ts), three of the scheduled rules.
      'AWS::CloudWatch::Alarm': 45,
      'AWS::CloudWatch::Dashboard': 1,
      'AWS::SNS::Topic': 1,
      'AWS::SNS::TopicPolicy': 1,
      'AWS::KMS::Key': 1,
      // Per type: function role, delivery role, schedule role; the scheduled rules' function and schedule roles.
      'AWS::IAM::Role': 11,
      'AWS::Logs::LogGroup': 7,
      'AWS::Logs::LogStream': 3,
      'AWS::Logs::MetricFilter': 3,
      'AWS::Logs::QueryDefinition': 4,
    };
    for (const [type, count] of Object.entries(expected)) {
      expect({
        type,
        count: template.findResources(type) && Object.keys(template.findResources(type)).length,
      }).toEqual({ type, count });
    }
  });

  it('creates no custom resources (no hidden Lambda functions or roles)', () => {
    const types = Object.values(template.toJSON().Resources as Record<string, { Type: string }>).map(
      (r) => r.Type,
    );
    expect(
      types.filter((t) => t.startsWith('Custom::') || t === 'AWS::CloudFormation::CustomResource'),
    ).toEqual([]);
  });
});

describe('collector functions', () => {
  it('runs each type with Node 24 on arm64, 50 s and 1024 MB, without reserved concurrency', () => {
    for (const type of EVENT_TYPES) {
      const id = onlyLogicalId(template, 'AWS::Lambda::Function', `"EVENT_TYPE":"${type}"`);
      const fn = props(id);
      expect(fn).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        Timeout: 50,
        MemorySize: 1024,
        Handler: 'index.handler',
      });
      expect(fn).not.toHaveProperty('ReservedConcurrentExecutions');
    }
  });

  it('gives every function its own role', () => {
    const roles = EVENT_TYPES.map((type) => {
      const fn = props(onlyLogicalId(template, 'AWS::Lambda::Function', `"EVENT_TYPE":"${type}"`));
      return JSON.stringify(fn.Role);
    });
    expect(new Set(roles).size).toBe(3);
  });

  it('sets exactly the collector environment (defaults: look-back, no host, no loopback)', () => {
    expect((props(fnId).Environment as { Variables: unknown }).Variables).toEqual({
      EVENT_TYPE: 'auditevents',
      TOKEN_SECRET_ID: { Ref: secretId },
      CURSOR_TABLE: { Ref: tableId },
      DELIVERY_STREAM: { Ref: streamId },
      START_LOOKBACK_HOURS: '168',
      MAX_EVENTS_PER_RUN: '600000',
      PAGE_SIZE: '1000',
      REQUEST_TIMEOUT_MS: '10000',
      CURSOR_FALLBACK_OVERLAP_MINUTES: '60',
      TOKEN_CACHE_SECONDS: '300',
      REQUEST_BUDGET_PER_MINUTE: '300',
      ALERT_EVENT_BUS: 'default',
      POWERTOOLS_SERVICE_NAME: 'op-events-collector',
      POWERTOOLS_METRICS_NAMESPACE: 'OnePasswordEvents',
    });
    expect(JSON.stringify(template.toJSON())).not.toContain('EVENTS_API_ALLOW_LOOPBACK');
  });

  it('does not retry async invocations and drops events older than 60 s', () => {
    template.resourcePropertiesCountIs(
      'AWS::Lambda::EventInvokeConfig',
      { MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 60, Qualifier: '$LATEST' },
      4,
    );
  });

  it('writes to a log group of its own with a retention', () => {
    const logGroup = (props(fnId).LoggingConfig as { LogGroup: { Ref: string } }).LogGroup.Ref;
    expect(props(logGroup)).toEqual({ RetentionInDays: 90 });
  });
});

describe('IAM: least privilege', () => {
  it('grants the auditevents collector exactly these statements', () => {
    const logGroupId = (props(fnId).LoggingConfig as { LogGroup: { Ref: string } }).LogGroup.Ref;
    template.hasResourceProperties('AWS::IAM::Role', {
      Description: '1Password auditevents collector',
      AssumeRolePolicyDocument: {
        Statement: [
          { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } },
        ],
      },
      Policies: Match.exact([
        {
          PolicyName: 'Collector',
          PolicyDocument: {
            Version: '2012-10-17',
            Statement: [
              {
                Sid: 'OwnLogGroup',
                Effect: 'Allow',
                Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
                Resource: getAttArn(logGroupId),
              },
              {
                Sid: 'OwnCursorAndSharedBudgetRows',
                Effect: 'Allow',
                Action: ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
                Resource: getAttArn(tableId),
                Condition: {
                  'ForAllValues:StringEquals': {
                    'dynamodb:LeadingKeys': [cursorKeyFor('auditevents'), REQUEST_BUDGET_KEY],
                  },
                },
              },
              {
                Sid: 'OwnDeliveryStream',
                Effect: 'Allow',
                Action: 'firehose:PutRecordBatch',
                Resource: getAttArn(streamId),
              },
            ],
          },
        },
      ]),
    });
    // That role is the function's; the policies attached to it read the token and publish alerts.
    expect(props(fnRoleId).Description).toBe('1Password auditevents collector');
    expect(props(fnRoleId)).not.toHaveProperty('ManagedPolicyArns');
    const attached = Object.values(template.findResources('AWS::IAM::Policy')).filter((p) =>
      JSON.stringify(p).includes(`"${fnRoleId}"`),
    );
    expect(attached.map((p) => p.Properties.PolicyDocument.Statement)).toEqual([
      [
        {
          Sid: 'ReadToken',
          Effect: 'Allow',
          Action: 'secretsmanager:GetSecretValue',
          Resource: { Ref: secretId },
        },
      ],
      [
        {
          Sid: 'PublishAlerts',
          Effect: 'Allow',
          Action: 'events:PutEvents',
          Resource: {
            'Fn::Join': [
              '',
              [
                'arn:',
                { Ref: 'AWS::Partition' },
                ':events:',
                { Ref: 'AWS::Region' },
                ':',
                { Ref: 'AWS::AccountId' },
                ':event-bus/default',
              ],
            ],
          },
        },
        {
          Sid: 'AlertRowsOnly',
          Effect: 'Allow',
          Action: ['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:UpdateItem'],
          Resource: getAttArn(tableId),
          Condition: {
            'ForAllValues:StringLike': {
              'dynamodb:LeadingKeys': ['alerts#outbox#auditevents', 'alerts#alert#*', 'alerts#suppress#*'],
            },
          },
        },
      ],
    ]);
    expect(attached.map((p) => p.Properties.Roles)).toEqual([[{ Ref: fnRoleId }], [{ Ref: fnRoleId }]]);
  });

  it('restricts each collector to its own cursor row and the shared budget row', () => {
    for (const type of EVENT_TYPES) {
      template.hasResourceProperties('AWS::IAM::Role', {
        Description: `1Password ${type} collector`,
        Policies: [
          {
            PolicyDocument: {
              Statement: Match.arrayWith([
                Match.objectLike({
                  Condition: {
                    'ForAllValues:StringEquals': {
                      'dynamodb:LeadingKeys': [`cursor#${type}`, 'budget#requests'],
                    },
                  },
                }),
              ]),
            },
          },
        ],
      });
    }
  });

  it('uses no wildcard resource in any collector or scheduler policy', () => {
    const roles = template.findResources('AWS::IAM::Role');
    const lambdaOrSchedulerRoles = Object.entries(roles).filter(
      ([, r]) =>
        /lambda\.amazonaws\.com|scheduler\.amazonaws\.com/.test(
          JSON.stringify(r.Properties.AssumeRolePolicyDocument),
        ) &&
        // Athena names the objects the scheduled rules read and write: prefix wildcards, tested in
        // test/infra/detection-alerts.test.ts.
        r.Properties.Description !== '1Password detections: scheduled window rules',
    );
    expect(lambdaOrSchedulerRoles).toHaveLength(7);
    const documents = lambdaOrSchedulerRoles.flatMap(([id, r]) => [
      ...((r.Properties.Policies ?? []) as { PolicyDocument: unknown }[]).map((p) => p.PolicyDocument),
      ...Object.values(template.findResources('AWS::IAM::Policy'))
        .filter((p) => JSON.stringify(p.Properties.Roles).includes(`"${id}"`))
        .map((p) => p.Properties.PolicyDocument),
    ]);
    expect(documents.length).toBeGreaterThanOrEqual(6);
    for (const doc of documents) {
      for (const statement of (doc as { Statement: { Resource: unknown; Action: unknown }[] }).Statement) {
        expect(JSON.stringify(statement.Resource)).not.toContain('*');
        expect(JSON.stringify(statement.Action)).not.toContain('*');
      }
    }
  });

  it('lets each schedule invoke only its own function', () => {
    for (const type of EVENT_TYPES) {
      const fn = onlyLogicalId(template, 'AWS::Lambda::Function', `"EVENT_TYPE":"${type}"`);
      const schedule = props(onlyLogicalId(template, 'AWS::Scheduler::Schedule', `"${fn}"`));
      const roleId = (
        (schedule.Target as { RoleArn: { 'Fn::GetAtt': string[] } }).RoleArn['Fn::GetAtt'] as string[]
      )[0];
      template.hasResourceProperties('AWS::IAM::Policy', {
        Roles: [{ Ref: roleId }],
        PolicyDocument: {
          Statement: Match.exact([
            { Action: 'lambda:InvokeFunction', Effect: 'Allow', Resource: getAttArn(fn) },
          ]),
        },
      });
      template.hasResourceProperties('AWS::IAM::Role', {
        Description: `EventBridge Scheduler: invoke the ${type} collector`,
        AssumeRolePolicyDocument: {
          Statement: [
            Match.objectLike({
              Principal: { Service: 'scheduler.amazonaws.com' },
              Condition: {
                StringEquals: Match.objectLike({ 'aws:SourceAccount': { Ref: 'AWS::AccountId' } }),
              },
            }),
          ],
        },
      });
    }
  });

  it('limits each delivery role to its own prefixes of the events bucket and its own log stream', () => {
    const bucketArn = getAttArn(eventsBucketId);
    const logging = (
      props(streamId).ExtendedS3DestinationConfiguration as {
        CloudWatchLoggingOptions: { LogGroupName: { Ref: string }; LogStreamName: { Ref: string } };
      }
    ).CloudWatchLoggingOptions;
    template.hasResourceProperties('AWS::IAM::Role', {
      Description: 'Firehose delivery of auditevents to S3',
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Action: 'sts:AssumeRole',
            Effect: 'Allow',
            Principal: { Service: 'firehose.amazonaws.com' },
            Condition: { StringEquals: { 'sts:ExternalId': { Ref: 'AWS::AccountId' } } },
          },
        ],
      },
      Policies: Match.exact([
        {
          PolicyName: 'Delivery',
          PolicyDocument: {
            Version: '2012-10-17',
            Statement: [
              {
                Sid: 'BucketLevel',
                Effect: 'Allow',
                Action: ['s3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads'],
                Resource: bucketArn,
              },
              {
                Sid: 'OwnPrefixesOnly',
                Effect: 'Allow',
                Action: ['s3:AbortMultipartUpload', 's3:GetObject', 's3:PutObject'],
                Resource: [
                  { 'Fn::Join': ['', [bucketArn, '/errors/auditevents/*']] },
                  { 'Fn::Join': ['', [bucketArn, '/events/auditevents/*']] },
                ],
              },
              {
                Sid: 'DeliveryErrorLogs',
                Effect: 'Allow',
                Action: 'logs:PutLogEvents',
                Resource: {
                  'Fn::Join': [
                    '',
                    [
                      'arn:',
                      { Ref: 'AWS::Partition' },
                      ':logs:',
                      { Ref: 'AWS::Region' },
                      ':',
                      { Ref: 'AWS::AccountId' },
                      ':log-group:',
                      logging.LogGroupName,
                      ':log-stream:',
                      logging.LogStreamName,
                    ],
                  ],
                },
              },
            ],
          },
        },
      ]),
    });
  });
});

describe('cursor table', () => {
  it('has a string partition key pk only, on-demand, PITR, KMS encryption, deletion protection, retained', () => {
    const table = resource(template, tableId);
    expect(table.Properties).toEqual({
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true },
      DeletionProtectionEnabled: true,
      // The alert rows expire (shared/detections/alert-outbox.ts); cursor rows never carry the attribute.
      TimeToLiveSpecification: { AttributeName: 'expires_at', Enabled: true },
    });
    expect(table.DeletionPolicy).toBe('Retain');
    expect(table.UpdateReplacePolicy).toBe('Retain');
  });
});

describe('token secret', () => {
  it('is created with an empty placeholder, not a generated value', () => {
    const secret = props(secretId);
    expect(secret.SecretString).toBe('{"token":""}');
    expect(secret).not.toHaveProperty('GenerateSecretString');
  });
});

describe('buckets', () => {
  it('blocks public access, encrypts, and is retained, for every bucket', () => {
    for (const id of logicalIds(template, 'AWS::S3::Bucket')) {
      const bucket = resource(template, id);
      expect(bucket.Properties).toMatchObject({
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      });
      expect(bucket.DeletionPolicy).toBe('Retain');
    }
  });

  it('denies non-TLS and old-TLS requests on every bucket', () => {
    for (const id of logicalIds(template, 'AWS::S3::Bucket')) {
      template.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: id },
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Action: 's3:*',
              Principal: { AWS: '*' },
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
            Match.objectLike({
              Effect: 'Deny',
              Action: 's3:*',
              Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } },
            }),
          ]),
        },
      });
    }
  });

  it('versions the events bucket, expires objects after 400 days and logs access to the log bucket', () => {
    expect(props(eventsBucketId)).toMatchObject({
      VersioningConfiguration: { Status: 'Enabled' },
      LifecycleConfiguration: {
        Rules: [
          {
            Id: 'retention',
            Status: 'Enabled',
            ExpirationInDays: 400,
            NoncurrentVersionExpiration: { NoncurrentDays: 30 },
            AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
          },
        ],
      },
      LoggingConfiguration: {
        DestinationBucketName: { Ref: accessLogsBucketId },
        LogFilePrefix: 'events-bucket/',
      },
    });
  });
});

describe('delivery streams', () => {
  it('partitions each type on the event date with de-aggregation, newline delimiter and gzip', () => {
    for (const type of EVENT_TYPES) {
      template.hasResourceProperties('AWS::KinesisFirehose::DeliveryStream', {
        DeliveryStreamType: 'DirectPut',
        DeliveryStreamEncryptionConfigurationInput: { KeyType: 'AWS_OWNED_CMK' },
        ExtendedS3DestinationConfiguration: Match.objectLike({
          BucketARN: getAttArn(eventsBucketId),
          Prefix: `events/${type}/dt=!{partitionKeyFromQuery:dt}/`,
          ErrorOutputPrefix: `errors/${type}/!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd}/`,
          CompressionFormat: 'GZIP',
          BufferingHints: { IntervalInSeconds: 60, SizeInMBs: 128 },
          DynamicPartitioningConfiguration: { Enabled: true, RetryOptions: { DurationInSeconds: 300 } },
          ProcessingConfiguration: {
            Enabled: true,
            Processors: [
              {
                Type: 'RecordDeAggregation',
                Parameters: [{ ParameterName: 'SubRecordType', ParameterValue: 'JSON' }],
              },
              {
                Type: 'MetadataExtraction',
                Parameters: [
                  {
                    ParameterName: 'MetadataExtractionQuery',
                    ParameterValue: '{dt: ._collector.event_date}',
                  },
                  { ParameterName: 'JsonParsingEngine', ParameterValue: 'JQ-1.6' },
                ],
              },
              { Type: 'AppendDelimiterToRecord', Parameters: [] },
            ],
          },
          CloudWatchLoggingOptions: Match.objectLike({ Enabled: true }),
        }),
      });
    }
  });
});

describe('schedules', () => {
  it('invoke each function every minute with no retries and a 60 s maximum age', () => {
    for (const type of EVENT_TYPES) {
      const fn = onlyLogicalId(template, 'AWS::Lambda::Function', `"EVENT_TYPE":"${type}"`);
      template.hasResourceProperties('AWS::Scheduler::Schedule', {
        ScheduleExpression: 'rate(1 minute)',
        State: 'ENABLED',
        FlexibleTimeWindow: { Mode: 'OFF' },
        Target: Match.objectLike({
          Arn: getAttArn(fn),
          RetryPolicy: { MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 60 },
        }),
      });
    }
  });
});

describe('Glue tables', () => {
  const tableInput = (name: string) => {
    const id = onlyLogicalId(template, 'AWS::Glue::Table', `"Name":"${name}"`);
    return (props(id).TableInput ?? {}) as {
      Parameters: Record<string, string>;
      PartitionKeys: unknown[];
      StorageDescriptor: { Columns: { Name: string; Type: string }[]; SerdeInfo: unknown; Location: unknown };
    };
  };
  const columnType = (name: string, column: string) =>
    tableInput(name).StorageDescriptor.Columns.find((c) => c.Name === column)?.Type;

  it('has one raw table per type, each line one string, with partition projection on dt', () => {
    for (const type of EVENT_TYPES) {
      const input = tableInput(`${type}_raw`);
      expect(input.StorageDescriptor.Columns).toEqual([
        { Name: 'line', Type: 'string', Comment: 'The whole line as the collector wrote it' },
      ]);
      expect(input.PartitionKeys).toEqual([
        { Name: 'dt', Type: 'string', Comment: 'UTC date of the event (YYYY-MM-DD)' },
      ]);
      expect(input.Parameters).toMatchObject({
        'projection.enabled': 'true',
        'projection.dt.type': 'date',
        'projection.dt.format': 'yyyy-MM-dd',
        'projection.dt.range': '2020-01-01,NOW+1DAYS',
        'projection.dt.interval': '1',
        'projection.dt.interval.unit': 'DAYS',
        'storage.location.template': {
          'Fn::Join': ['', ['s3://', { Ref: eventsBucketId }, `/events/${type}/dt=\${dt}/`]],
        },
      });
      expect(input.StorageDescriptor.Location).toEqual({
        'Fn::Join': ['', ['s3://', { Ref: eventsBucketId }, `/events/${type}/`]],
      });
      expect(input.StorageDescriptor.SerdeInfo).toEqual({
        SerializationLibrary: 'org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe',
        Parameters: { 'field.delim': '\u0001', 'serialization.format': '\u0001' },
      });
    }
    template.resourceCountIs('AWS::Glue::Crawler', 0);
  });

  // The typed columns are the view named after the type (over the raw table), then its dt.
  it('declares the v2 fields of each event type, collector metadata and the chunk text', () => {
    const names = (t: string) =>
      tableInput(t)
        .StorageDescriptor.Columns.map((c) => c.Name)
        .filter((name) => name !== 'dt');
    expect(names('auditevents')).toEqual([
      'uuid',
      'timestamp',
      'actor_uuid',
      'actor_details',
      'actor_type',
      'actor_account_uuid',
      'account_uuid',
      'action',
      'object_type',
      'object_uuid',
      'object_details',
      'aux_id',
      'aux_uuid',
      'aux_details',
      'aux_info',
      'session',
      'location',
      '_collector',
      '_chunk',
    ]);
    expect(names('itemusages')).toEqual([
      'uuid',
      'timestamp',
      'used_version',
      'vault_uuid',
      'item_uuid',
      'action',
      'user',
      'client',
      'location',
      'account_uuid',
      '_collector',
      '_chunk',
    ]);
    expect(names('signinattempts')).toEqual([
      'uuid',
      'session_uuid',
      'timestamp',
      'category',
      'type',
      'country',
      'details',
      'target_user',
      'client',
      'location',
      'account_uuid',
      '_collector',
      '_chunk',
    ]);
  });

  it('types nested objects as structs and keeps timestamps as strings', () => {
    expect(columnType('auditevents', 'actor_details')).toBe(
      'struct<uuid:string,name:string,email:string,user_type:string,user_account_uuid:string>',
    );
    expect(columnType('auditevents', 'session')).toBe(
      'struct<uuid:string,login_time:string,device_uuid:string,ip:string>',
    );
    expect(columnType('auditevents', 'aux_id')).toBe('bigint');
    expect(columnType('auditevents', 'timestamp')).toBe('string');
    expect(columnType('itemusages', 'client')).toBe(
      'struct<app_name:string,app_version:string,platform_name:string,platform_version:string,os_name:string,os_version:string,ip_address:string>',
    );
    expect(columnType('signinattempts', 'location')).toBe(
      'struct<country:string,region:string,city:string,latitude:double,longitude:double>',
    );
    expect(columnType('signinattempts', 'details')).toBe('struct<value:string>');
    expect(columnType('signinattempts', '_collector')).toBe(
      'struct<type:string,event_date:string,received_at:string,run_id:string,date_fallback:string,lone_surrogates:int,as_sent:string,chunk:struct<uuid:string,index:int,count:int>>',
    );
    expect(columnType('signinattempts', '_chunk')).toBe('string');
  });
});

describe('Athena', () => {
  it('enforces an encrypted result location and a per-query scan limit on engine v3', () => {
    const results = onlyLogicalId(template, 'AWS::S3::Bucket', '"results-retention"');
    template.hasResourceProperties('AWS::Athena::WorkGroup', {
      Name: namePrefix,
      WorkGroupConfiguration: {
        EnforceWorkGroupConfiguration: true,
        PublishCloudWatchMetricsEnabled: true,
        BytesScannedCutoffPerQuery: 10 * 1024 ** 3,
        EngineVersion: { SelectedEngineVersion: 'Athena engine version 3' },
        ResultConfiguration: {
          OutputLocation: { 'Fn::Join': ['', ['s3://', { Ref: results }, '/results/']] },
          EncryptionConfiguration: { EncryptionOption: 'SSE_S3' },
          ExpectedBucketOwner: { Ref: 'AWS::AccountId' },
        },
      },
    });
  });

  it('creates the de-duplicating views as Glue views in the database', () => {
    const views = Object.values(template.findResources('AWS::Glue::Table'))
      .map((t) => t.Properties as { DatabaseName: string; TableInput: { Name: string; TableType: string } })
      .filter((t) => t.TableInput.TableType === 'VIRTUAL_VIEW');
    expect(views.map((v) => [v.DatabaseName, v.TableInput.Name]).sort()).toEqual(
      ALL_VIEWS.map((view) => ['onepassword_events', view.name]).sort(),
    );
  });

  it('saves the SOC investigations in the workgroup and database, in their Athena text', () => {
    const queries = Object.values(template.findResources('AWS::Athena::NamedQuery')).map(
      (q) => q.Properties as { Name: string; Database: string; WorkGroup: unknown; QueryString: string },
    );
    expect(queries.map((q) => q.Name).sort()).toEqual(
      [
        'Failed sign-ins by user and country (last 7 days)',
        'Item reveals and exports per vault and user (last 30 days)',
        'Admin actions by actor (last 30 days)',
        'Sign-ins from new countries (last 7 days vs the 90 days before)',
      ].sort(),
    );
    const workGroup = onlyLogicalId(template, 'AWS::Athena::WorkGroup');
    for (const q of queries) {
      expect(q.Database).toBe('onepassword_events');
      expect(q.WorkGroup).toEqual({ Ref: workGroup });
      expect(q.QueryString).toBe(NAMED_QUERIES.find((n) => n.name === q.Name)?.sql.athena);
    }
  });
});

describe('alarm notifications', () => {
  it('encrypts the topic with a rotating key CloudWatch may use and denies non-TLS publishing', () => {
    const key = onlyLogicalId(template, 'AWS::KMS::Key');
    expect(props(key).EnableKeyRotation).toBe(true);
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: getAttArn(key) });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: 'sns:Publish',
          }),
        ]),
      },
    });
    template.resourceCountIs('AWS::SNS::Subscription', 0);
  });

  it('draws events, lag, errors and throttles per type on the dashboard', () => {
    const body = JSON.stringify(props(onlyLogicalId(template, 'AWS::CloudWatch::Dashboard')).DashboardBody);
    for (const type of EVENT_TYPES) {
      for (const metric of [
        Metric.EventsDelivered,
        Metric.LagSeconds,
        Metric.RunFailed,
        Metric.ApiThrottles,
      ]) {
        expect(body).toContain(`${METRICS_NAMESPACE}\\",\\"${metric}\\",\\"EventType\\",\\"${type}`);
      }
    }
  });
});

describe('stack outputs (read by the CLI)', () => {
  it('exports names and ARNs under stable keys', () => {
    const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(Object.keys(outputs).sort()).toEqual(
      [
        'AlarmTopicArn',
        'AthenaResultsBucketName',
        'AthenaWorkGroupName',
        'CollectorFunctionAuditevents',
        'CollectorFunctionItemusages',
        'CollectorFunctionSigninattempts',
        'CursorTableName',
        'DashboardName',
        'DeliveryStreamAuditevents',
        'DeliveryStreamItemusages',
        'DeliveryStreamSigninattempts',
        'EventTypes',
        'EventsBucketName',
        'GlueDatabaseName',
        'GlueTableAuditevents',
        'GlueTableItemusages',
        'GlueTableSigninattempts',
        'NamePrefix',
        'TokenSecretArn',
      ].sort(),
    );
    expect(outputs.CursorTableName?.Value).toEqual({ Ref: tableId });
    expect(outputs.TokenSecretArn?.Value).toEqual({ Ref: secretId });
    expect(outputs.DeliveryStreamAuditevents?.Value).toEqual({ Ref: streamId });
    expect(outputs.CollectorFunctionAuditevents?.Value).toEqual({ Ref: fnId });
    expect(outputs.EventTypes?.Value).toBe('auditevents,itemusages,signinattempts');
    expect(outputs.GlueDatabaseName?.Value).toBe('onepassword_events');
  });
});
