import { ArnFormat, Aws, Duration, RemovalPolicy, type Size, Stack, Validations } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import {
  cursorKeyFor,
  type EventType,
  REQUEST_BUDGET_KEY,
  specFor,
} from '../../shared/contracts/event-types';
import { METRICS_NAMESPACE, type MetricName } from '../../shared/contracts/metric-names';
import { PROJECTION_RANGE } from '../../shared/contracts/partition-projection';
import { MIN_FUNCTION_TIMEOUT_SECONDS } from '../../shared/contracts/run-timing';
import {
  errorsPrefixFor,
  eventsPrefixFor,
  METADATA_KEY,
  PARTITION_COLUMN,
} from '../../shared/contracts/s3-layout';
import { TABLE_NAMES, toGlueType } from '../../shared/contracts/table-schema';
import { RAW_COLUMNS, RAW_TABLE_NAMES } from '../../shared/sql/typed-events';
import { acknowledgeWildcardResources, nagResource } from '../compliance/nag';
import { FIREHOSE_DEFAULTS } from '../defaults/firehose-defaults';
import {
  COLLECTOR_FUNCTION_DEFAULTS,
  defaultCollectorBundling,
  SERVICE_NAME,
} from '../defaults/lambda-defaults';
import type { CollectorFunctionOptions } from '../props/resource-options';
import { type AlarmSettings, createCollectorAlarms } from './alarms';
import { collectorRefusals } from './construct-errors';
import { emittedMetric } from './emitted-metric';
import { lambdaSchedule } from './lambda-schedule';

/**
 * The SerDe of the raw table: each line is one `line` string. LazySimpleSerDe splits fields on
 * `field.delim`; \u0001 (its default, set explicitly) never occurs raw in a JSON line, and no escape
 * character is set, so the line arrives byte for byte ("Lazy Simple SerDe for CSV, TSV, and
 * custom-delimited files", https://docs.aws.amazon.com/athena/latest/ug/lazy-simple-serde.html).
 * The typed columns are a view over it (shared/sql/typed-events.ts): a JSON SerDe fails the whole
 * query when a value has another type than its column (docs/analyst-views.md, "Type drift").
 */
const RAW_LINE_SERDE: glue.CfnTable.SerdeInfoProperty = {
  serializationLibrary: 'org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe',
  parameters: { 'field.delim': '\u0001', 'serialization.format': '\u0001' },
};

export type { AlarmSettings } from './alarms';

export interface EventTypeCollectorProps {
  readonly type: EventType;
  readonly entry: string;
  /** The collector's settings as its environment variables (validated by the pipeline). */
  readonly settings: Readonly<Record<string, string>>;
  readonly schedule: string;
  /**
   * The function timeout the schedule allows (infra/defaults/catch-up.ts), unless functionOverrides
   * sets one.
   */
  readonly runTimeout: Duration;
  readonly table: dynamodb.ITable;
  /** The token secret. */
  readonly secret: secretsmanager.ISecret;
  /**
   * Customer-managed KMS key of an existing secret, when it has one (a key the pipeline creates
   * names the collector roles in its own policy instead).
   */
  readonly secretKey?: kms.IKey;
  readonly bucket: s3.IBucket;
  readonly bufferInterval: Duration;
  readonly bufferSize: Size;
  readonly glueDatabase: glue.CfnDatabase;
  readonly glueDatabaseName: string;
  readonly alarms: AlarmSettings;
  readonly sourceMaps: boolean;
  readonly functionOverrides?: CollectorFunctionOptions;
}

/** A function timeout too short for one page would fail every run (shared/contracts/run-timing.ts). */
function requireTimeForOnePage(scope: Construct, timeout: Duration): void {
  if (timeout.toSeconds() >= MIN_FUNCTION_TIMEOUT_SECONDS) return;
  throw collectorRefusals.timeoutTooShortForAPage(scope, MIN_FUNCTION_TIMEOUT_SECONDS, timeout.toSeconds());
}

/** The delivery stream's error log group and the one stream in it Firehose writes to. */
interface DeliveryLogging {
  readonly logGroup: logs.LogGroup;
  readonly logStream: logs.LogStream;
}

/**
 * Everything one event type needs: its delivery stream (with its role and log group), its
 * collector function (with its own role and log group), its schedule, its Glue table and alarms.
 */
export class EventTypeCollector extends Construct {
  readonly type: EventType;
  readonly function: NodejsFunction;
  readonly functionRole: iam.Role;
  /** The function role's permission to read the token (and decrypt it with an imported key). */
  readonly tokenAccessPolicy: iam.Policy;
  private readonly deliveryStream: firehose.CfnDeliveryStream;
  readonly deliveryRole: iam.Role;
  readonly schedule: scheduler.Schedule;
  readonly alarms: cloudwatch.Alarm[];
  /** The function's log group (the Logs Insights queries read it). */
  readonly functionLogGroup: logs.LogGroup;
  /** The delivery stream's error log group. */
  readonly deliveryLogGroup: logs.LogGroup;
  /** Name of the delivery stream. */
  readonly deliveryStreamName: string;

  constructor(scope: Construct, id: string, props: EventTypeCollectorProps) {
    super(scope, id);
    this.type = props.type;

    const deliveryLogging = this.buildDeliveryLogging();
    this.deliveryLogGroup = deliveryLogging.logGroup;
    this.deliveryRole = this.buildDeliveryRole(props.bucket, deliveryLogging);
    this.deliveryStream = this.buildDeliveryStream(props, deliveryLogging);
    this.deliveryStreamName = this.deliveryStream.ref;

    this.functionLogGroup = new logs.LogGroup(this, 'FunctionLogGroup', {
      retention: COLLECTOR_FUNCTION_DEFAULTS.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.functionRole = this.buildFunctionRole(props.table);
    this.tokenAccessPolicy = this.buildTokenAccess(props);
    this.function = this.buildFunction(props);
    this.schedule = this.buildSchedule(props.schedule);
    this.buildGlueTable(props);
    this.alarms = createCollectorAlarms(this, this, props.alarms);
  }

  /** A metric the collector emits for this event type. */
  metric(name: MetricName, statistic: string, period: Duration = Duration.minutes(5)): cloudwatch.Metric {
    return emittedMetric(this.type, name, statistic, period);
  }

  private buildDeliveryLogging(): DeliveryLogging {
    const logGroup = new logs.LogGroup(this, 'DeliveryLogGroup', {
      retention: FIREHOSE_DEFAULTS.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const logStream = new logs.LogStream(this, 'DeliveryLogStream', {
      logGroup,
      logStreamName: 'DestinationDelivery',
      removalPolicy: RemovalPolicy.DESTROY,
    });
    return { logGroup, logStream };
  }

  /** Firehose's role: this type's own prefixes of the bucket and its own error log stream, nothing else. */
  private buildDeliveryRole(bucket: s3.IBucket, logging: DeliveryLogging): iam.Role {
    const { type } = this;
    const eventObjects = bucket.arnForObjects(`${eventsPrefixFor(type)}*`);
    const errorObjects = bucket.arnForObjects(`${errorsPrefixFor(type)}*`);
    const errorLogStream = `${logging.logGroup.logGroupName}:log-stream:${logging.logStream.logStreamName}`;
    const role = new iam.Role(this, 'DeliveryRole', {
      description: `Firehose delivery of ${type} to S3`,
      assumedBy: new iam.ServicePrincipal('firehose.amazonaws.com', {
        // Confused-deputy guard: only Firehose acting for this account may assume the role.
        conditions: { StringEquals: { 'sts:ExternalId': Aws.ACCOUNT_ID } },
      }),
      inlinePolicies: {
        Delivery: new iam.PolicyDocument({
          statements: [
            new iam.PolicyStatement({
              sid: 'BucketLevel',
              actions: ['s3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads'],
              resources: [bucket.bucketArn],
            }),
            new iam.PolicyStatement({
              sid: 'OwnPrefixesOnly',
              actions: ['s3:AbortMultipartUpload', 's3:GetObject', 's3:PutObject'],
              resources: [eventObjects, errorObjects],
            }),
            new iam.PolicyStatement({
              sid: 'DeliveryErrorLogs',
              actions: ['logs:PutLogEvents'],
              resources: [
                Stack.of(this).formatArn({
                  service: 'logs',
                  resource: 'log-group',
                  resourceName: errorLogStream,
                  arnFormat: ArnFormat.COLON_RESOURCE_NAME,
                }),
              ],
            }),
            ...bucketKeyStatements(bucket, [eventObjects, errorObjects]),
          ],
        }),
      },
    });
    acknowledgeWildcardResources(role, [
      {
        arn: eventObjects,
        reason:
          `Firehose names objects itself under ${eventsPrefixFor(type)}${PARTITION_COLUMN}=<date>/; ` +
          "the wildcard is limited to this event type's prefix.",
      },
      {
        arn: errorObjects,
        reason:
          'Firehose writes records it could not partition or deliver under ' +
          `${errorsPrefixFor(type)}<error-type>/<date>/; the wildcard is limited to this event type's ` +
          'error prefix.',
      },
    ]);
    return role;
  }

  /** DirectPut -> S3, partitioned on the event's own date, GZIP, failures under errors/<type>/. */
  private buildDeliveryStream(
    props: EventTypeCollectorProps,
    logging: DeliveryLogging,
  ): firehose.CfnDeliveryStream {
    const { type } = this;
    return new firehose.CfnDeliveryStream(this, 'DeliveryStream', {
      deliveryStreamType: 'DirectPut',
      deliveryStreamEncryptionConfigurationInput: { keyType: 'AWS_OWNED_CMK' },
      extendedS3DestinationConfiguration: {
        bucketArn: props.bucket.bucketArn,
        roleArn: this.deliveryRole.roleArn,
        prefix: `${eventsPrefixFor(type)}${PARTITION_COLUMN}=!{partitionKeyFromQuery:${PARTITION_COLUMN}}/`,
        errorOutputPrefix: `${errorsPrefixFor(type)}!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd}/`,
        bufferingHints: {
          intervalInSeconds: props.bufferInterval.toSeconds(),
          sizeInMBs: props.bufferSize.toMebibytes(),
        },
        compressionFormat: 'GZIP',
        // The bucket's default encryption (SSE-S3) applies; Firehose adds none of its own.
        encryptionConfiguration: { noEncryptionConfig: 'NoEncryption' },
        cloudWatchLoggingOptions: {
          enabled: true,
          logGroupName: logging.logGroup.logGroupName,
          logStreamName: logging.logStream.logStreamName,
        },
        dynamicPartitioningConfiguration: {
          enabled: true,
          retryOptions: { durationInSeconds: FIREHOSE_DEFAULTS.retryDuration.toSeconds() },
        },
        processingConfiguration: { enabled: true, processors: DELIVERY_PROCESSORS },
        s3BackupMode: 'Disabled',
      },
    });
  }

  /**
   * Exactly the calls the collector makes: GetItem and UpdateItem
   * (shared/collector/state/cursor-store.ts, shared/collector/events-api/request-budget.ts),
   * GetSecretValue (shared/collector/events-api/token-source.ts, in buildTokenAccess), PutRecordBatch
   * (shared/collector/delivery/firehose-sink.ts). test/infra/least-privilege.test.ts holds the lists
   * together.
   */
  private buildFunctionRole(table: dynamodb.ITable): iam.Role {
    return new iam.Role(this, 'FunctionRole', {
      description: `1Password ${this.type} collector`,
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      inlinePolicies: {
        Collector: new iam.PolicyDocument({
          statements: [
            new iam.PolicyStatement({
              sid: 'OwnLogGroup',
              actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
              resources: [this.functionLogGroup.logGroupArn],
            }),
            new iam.PolicyStatement({
              sid: 'OwnCursorAndSharedBudgetRows',
              actions: ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
              resources: [table.tableArn],
              conditions: {
                'ForAllValues:StringEquals': {
                  'dynamodb:LeadingKeys': [cursorKeyFor(this.type), REQUEST_BUDGET_KEY],
                },
              },
            }),
            new iam.PolicyStatement({
              sid: 'OwnDeliveryStream',
              actions: ['firehose:PutRecordBatch'],
              resources: [this.deliveryStream.attrArn],
            }),
            ...cursorTableKeyStatements(table),
          ],
        }),
      },
    });
  }

  /**
   * Reading the token, in a policy of its own rather than the role's inline policy: a key policy
   * that names the role (TokenSecretKey) makes the key, and so the secret, depend on the role, and
   * an inline statement naming the secret would close that into a cycle.
   */
  private buildTokenAccess(props: EventTypeCollectorProps): iam.Policy {
    const statements = [
      new iam.PolicyStatement({
        sid: 'ReadToken',
        actions: ['secretsmanager:GetSecretValue'],
        resources: [props.secret.secretArn],
      }),
    ];
    if (props.secretKey) {
      statements.push(
        new iam.PolicyStatement({
          sid: 'DecryptTokenViaSecretsManager',
          actions: ['kms:Decrypt'],
          resources: [props.secretKey.keyArn],
          conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${Aws.REGION}.amazonaws.com` } },
        }),
      );
    }
    return new iam.Policy(this, 'TokenAccessPolicy', { statements, roles: [this.functionRole] });
  }

  /** The collector function: the defaults of lambda-defaults.ts, then the user's overrides. */
  private buildFunction(props: EventTypeCollectorProps): NodejsFunction {
    const environment: Record<string, string> = {
      EVENT_TYPE: this.type,
      TOKEN_SECRET_ID: props.secret.secretArn,
      CURSOR_TABLE: props.table.tableName,
      DELIVERY_STREAM: this.deliveryStream.ref,
      ...props.settings,
      POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
      POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
    };
    if (props.sourceMaps) environment.NODE_OPTIONS = '--enable-source-maps';

    requireTimeForOnePage(this, props.functionOverrides?.timeout ?? props.runTimeout);
    const fn = new NodejsFunction(this, 'Function', {
      description: `Collects 1Password ${specFor(this.type).label.toLowerCase()} into Firehose`,
      runtime: COLLECTOR_FUNCTION_DEFAULTS.runtime,
      architecture: COLLECTOR_FUNCTION_DEFAULTS.architecture,
      memorySize: COLLECTOR_FUNCTION_DEFAULTS.memorySize,
      timeout: props.runTimeout,
      retryAttempts: COLLECTOR_FUNCTION_DEFAULTS.retryAttempts,
      maxEventAge: COLLECTOR_FUNCTION_DEFAULTS.maxEventAge,
      bundling: defaultCollectorBundling(props.sourceMaps),
      ...props.functionOverrides,
      entry: props.entry,
      handler: 'handler',
      role: this.functionRole,
      logGroup: this.functionLogGroup,
      environment,
    });
    // The role's token permission is a separate policy (see buildTokenAccess): no run before it exists.
    fn.node.addDependency(this.tokenAccessPolicy);
    if (props.functionOverrides?.vpc) this.grantNetworkInterfaces(fn, props.functionOverrides);
    return fn;
  }

  /**
   * A function in a VPC: Lambda creates and manages its network interfaces with the execution role's
   * permissions, and CreateFunction fails without them. The actions are those of the managed policy
   * AWSLambdaVPCAccessExecutionRole that Lambda documents ("Giving Lambda functions access to
   * resources in an Amazon VPC", execution role permissions,
   * https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc.html; policy document:
   * https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSLambdaVPCAccessExecutionRole.html),
   * its logs actions aside (the role has its own log group). Scoped as that page allows:
   * CreateNetworkInterface on network interfaces of this account and region in the function's own
   * subnets and security groups; Delete, Assign and Unassign on this account's network interfaces in
   * the region; the Describe actions on "*", the only resource they work with. In a policy of its own,
   * which the function waits for.
   */
  private grantNetworkInterfaces(fn: NodejsFunction, options: CollectorFunctionOptions): void {
    const stack = Stack.of(this);
    const arn = (resource: string, resourceName: string) =>
      stack.formatArn({ service: 'ec2', resource, resourceName });
    const interfaces = arn('network-interface', '*');
    const subnets = (options.vpc as ec2.IVpc).selectSubnets(options.vpcSubnets).subnetIds;
    const securityGroups = fn.connections.securityGroups.map((group) => group.securityGroupId);
    const policy = new iam.Policy(this, 'VpcAccessPolicy', {
      roles: [this.functionRole],
      statements: [
        new iam.PolicyStatement({
          sid: 'CreateOwnNetworkInterfaces',
          actions: ['ec2:CreateNetworkInterface'],
          resources: [
            interfaces,
            ...subnets.map((id) => arn('subnet', id)),
            ...securityGroups.map((id) => arn('security-group', id)),
          ],
        }),
        new iam.PolicyStatement({
          sid: 'ManageNetworkInterfaces',
          actions: [
            'ec2:DeleteNetworkInterface',
            'ec2:AssignPrivateIpAddresses',
            'ec2:UnassignPrivateIpAddresses',
          ],
          resources: [interfaces],
        }),
        new iam.PolicyStatement({
          sid: 'DescribeNetwork',
          actions: ['ec2:DescribeNetworkInterfaces', 'ec2:DescribeSubnets'],
          resources: ['*'],
        }),
      ],
    });
    // On the function resource only: its security group (a child of the function) is named in the policy.
    (fn.node.defaultChild as lambda.CfnFunction).addResourceDependency(
      policy.node.defaultChild as iam.CfnPolicy,
    );
    Validations.of(policy).acknowledge(
      {
        id: `AwsSolutions-IAM5[Resource::${nagResource(this, interfaces)}]`,
        reason:
          "Lambda names the function's network interfaces itself; the wildcard is limited to network " +
          'interfaces of this account and region (Lambda developer guide, configuration-vpc).',
      },
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'ec2:DescribeNetworkInterfaces and ec2:DescribeSubnets work only on "*" (Lambda developer ' +
          'guide, configuration-vpc; they have no resource-level permissions).',
      },
    );
  }

  /** At most one attempt per tick: the next tick is the retry. */
  private buildSchedule(expression: string): scheduler.Schedule {
    return lambdaSchedule(this, this.function, {
      description: `Runs the 1Password ${this.type} collector`,
      roleDescription: `EventBridge Scheduler: invoke the ${this.type} collector`,
      schedule: scheduler.ScheduleExpression.expression(expression),
    });
  }

  /** The Glue table of the raw lines over events/<type>/dt=YYYY-MM-DD/, with partition projection. */
  private buildGlueTable(props: EventTypeCollectorProps): glue.CfnTable {
    const { type } = this;
    const location = `s3://${props.bucket.bucketName}/${eventsPrefixFor(type)}`;
    const table = new glue.CfnTable(this, 'GlueTable', {
      catalogId: Aws.ACCOUNT_ID,
      databaseName: props.glueDatabaseName,
      tableInput: {
        name: RAW_TABLE_NAMES[type],
        description:
          `1Password ${specFor(type).label} (Events API v2), NDJSON written by Firehose, one line per ` +
          `row (typed columns: the view ${TABLE_NAMES[type]})`,
        tableType: 'EXTERNAL_TABLE',
        parameters: {
          classification: 'json',
          compressionType: 'gzip',
          typeOfData: 'file',
          ...datePartitionProjection(location),
        },
        partitionKeys: [
          { name: PARTITION_COLUMN, type: 'string', comment: 'UTC date of the event (YYYY-MM-DD)' },
        ],
        storageDescriptor: {
          location,
          inputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
          outputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
          compressed: true,
          serdeInfo: RAW_LINE_SERDE,
          columns: RAW_COLUMNS.map((c) => ({
            name: c.name,
            type: toGlueType(c.type),
            ...(c.comment ? { comment: c.comment } : {}),
          })),
        },
      },
    });
    table.addResourceDependency(props.glueDatabase);
    return table;
  }
}

/**
 * A customer-managed key on the cursor table: DynamoDB uses it on behalf of the caller, so the role
 * needs the key actions (kms:ReEncrypt* and kms:GenerateDataKey* spelt out) of the key policy in
 * "How Amazon DynamoDB uses AWS KMS"
 * (https://docs.aws.amazon.com/kms/latest/developerguide/services-dynamodb.html), only through
 * DynamoDB in this region (kms:ViaService) and without kms:CreateGrant, which only creating the table
 * needs. None for the AWS managed key, which the table uses by default.
 */
function cursorTableKeyStatements(table: dynamodb.ITable): iam.PolicyStatement[] {
  if (!table.encryptionKey) return [];
  return [
    new iam.PolicyStatement({
      sid: 'CursorTableKeyViaDynamoDB',
      actions: [
        'kms:Decrypt',
        'kms:Encrypt',
        'kms:ReEncryptFrom',
        'kms:ReEncryptTo',
        'kms:GenerateDataKey',
        'kms:GenerateDataKeyWithoutPlaintext',
        'kms:DescribeKey',
      ],
      resources: [table.encryptionKey.keyArn],
      conditions: { StringEquals: { 'kms:ViaService': `dynamodb.${Aws.REGION}.amazonaws.com` } },
    }),
  ];
}

/**
 * A bucket of yours with a customer-managed key as its default encryption: S3 encrypts each object
 * Firehose writes with it, as the delivery role, so the role needs the key for this type's objects
 * only (Amazon Data Firehose Developer Guide, "Grant Firehose access to an Amazon S3 destination":
 * kms:GenerateDataKey and kms:Decrypt through S3, for this type's objects). None
 * for an SSE-S3 bucket, such as the one the pipeline creates.
 */
function bucketKeyStatements(bucket: s3.IBucket, objectArns: readonly string[]): iam.PolicyStatement[] {
  if (!bucket.encryptionKey) return [];
  return [
    new iam.PolicyStatement({
      sid: 'BucketKeyViaS3',
      actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
      resources: [bucket.encryptionKey.keyArn],
      conditions: {
        StringEquals: { 'kms:ViaService': `s3.${Aws.REGION}.amazonaws.com` },
        // The object's ARN; the bucket's with S3 Bucket Keys (Amazon S3 User Guide, "Using Amazon S3
        // Bucket Keys").
        StringLike: { 'kms:EncryptionContext:aws:s3:arn': [bucket.bucketArn, ...objectArns] },
      },
    }),
  ];
}

/** Firehose's record processing: one record per event, partition key from the event, newline after each. */
const DELIVERY_PROCESSORS: firehose.CfnDeliveryStream.ProcessorProperty[] = [
  // A record holds several NDJSON lines: split them so each event is partitioned alone.
  {
    type: 'RecordDeAggregation',
    parameters: [{ parameterName: 'SubRecordType', parameterValue: 'JSON' }],
  },
  // Partition key: the event's own UTC date, which the collector writes on every line.
  {
    type: 'MetadataExtraction',
    parameters: [
      {
        parameterName: 'MetadataExtractionQuery',
        parameterValue: `{${PARTITION_COLUMN}: .${METADATA_KEY}.event_date}`,
      },
      { parameterName: 'JsonParsingEngine', parameterValue: 'JQ-1.6' },
    ],
  },
  // De-aggregation drops the newlines: put one back after every event.
  { type: 'AppendDelimiterToRecord', parameters: [] },
];

/** Partition projection of the daily `dt` partitions under `location` (no crawler, no MSCK REPAIR). */
function datePartitionProjection(location: string): Record<string, string> {
  return {
    'projection.enabled': 'true',
    [`projection.${PARTITION_COLUMN}.type`]: 'date',
    [`projection.${PARTITION_COLUMN}.format`]: 'yyyy-MM-dd',
    [`projection.${PARTITION_COLUMN}.range`]: PROJECTION_RANGE,
    [`projection.${PARTITION_COLUMN}.interval`]: '1',
    [`projection.${PARTITION_COLUMN}.interval.unit`]: 'DAYS',
    'storage.location.template': `${location}${PARTITION_COLUMN}=\${${PARTITION_COLUMN}}/`,
  };
}
