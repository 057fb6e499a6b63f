import { fileURLToPath } from 'node:url';
import { ArnFormat, Aws, Duration, RemovalPolicy, SecretValue, Size, Stack, Validations } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { ATHENA } from '../shared/aws-limits';
import { EVENT_TYPES, type EventType, isEventType, specFor } from '../shared/event-types';
import { Metric } from '../shared/metric-names';
import { namedQueriesFor } from '../shared/sql/named-queries';
import { AthenaViews } from './athena-views';
import { defaultCursorTableProps } from './dynamodb-defaults';
import { type CollectorFunctionOverrides, EventTypeCollector } from './event-type-collector';
import { createSavedLogQueries } from './log-queries';
import { LookupTables } from './lookup-tables';
import { ATHENA_DEFAULTS, DEFAULT_GLUE_DATABASE } from './monitoring-defaults';
import { acknowledgeReviewedNistFindings, acknowledgeReviewedTokenSecretFindings } from './nist-review';
import {
  defaultAccessLogBucketProps,
  defaultAthenaResultsBucketProps,
  defaultEventsBucketProps,
  type EventsObjectLock,
} from './s3-defaults';
import { collectorSettingsEnvironment, resolveWholeNumberProps } from './setting-props';
import { TokenSecretKey } from './token-secret-key';
import {
  ConfigurationError,
  checkBucketName,
  checkEmail,
  checkEventsApiUrl,
  checkGlueName,
  checkKmsKeyArn,
  checkObjectLockMode,
  checkPrincipalArns,
  checkScheduleExpression,
  checkSecretArn,
  checkStartTime,
} from './validation';

export type { CollectorFunctionOverrides } from './event-type-collector';

/** @deprecated The tables read each line as one string; see `jsonSerDe`. */
export type JsonSerDe = 'openx' | 'hive';
export { ConfigurationError } from './validation';

/** Default `schedule`: every minute. */
export const DEFAULT_SCHEDULE = 'rate(1 minute)';

/** The collector's Lambda entry point (same code for every event type). */
export const COLLECTOR_ENTRY = fileURLToPath(new URL('../functions/collector.ts', import.meta.url));

/** Thresholds of the failed-runs, throttles and function-errors alarms. */
export interface AlarmThresholds {
  /** Failed runs per 5 minutes that, 3 periods in a row, raise the failed-runs alarm, 1..10000. @default 3 */
  readonly failedRunsPer5Minutes?: number;
  /** Minutes in which every 5 minutes saw a run stopped by throttling, 5..1440, a multiple of 5. @default 30 */
  readonly throttledMinutes?: number;
  /** Days before the token's expiry that the token-expiring alarm fires, 1..365. @default 14 */
  readonly tokenExpiryDays?: number;
  /** Lambda errors (crashes, timeouts) per 15 minutes that raise the function-errors alarm, 1..10000. @default 3 */
  readonly functionErrorsPer15Minutes?: number;
}

/**
 * Bounds and defaults of every number below live in shared/settings.ts (the README's configuration
 * table is generated from it); the collector's settings reach it as the environment variables named.
 */
export interface OnePasswordEventsPipelineProps {
  /** Event types to collect, one function, stream and table each. @default all three */
  readonly eventTypes?: readonly EventType[];
  /** EventBridge Scheduler expression for every collector. @default 'rate(1 minute)' */
  readonly schedule?: string;
  /**
   * Events API base URL, one of the 1Password event hosts (EVENTS_API_URL).
   * @default - derived by the collector from the token's audience
   */
  readonly eventsApiUrl?: string;
  /** RFC 3339 time where a first run starts (START_TIME). Excludes `startLookbackHours`. @default - use startLookbackHours */
  readonly startTime?: string;
  /** Hours a first run looks back (START_LOOKBACK_HOURS), 1..2880 (120 days). @default 168 */
  readonly startLookbackHours?: number;
  /** Most events one run delivers (MAX_EVENTS_PER_RUN), 1..1000000. @default 10000 */
  readonly maxEventsPerRun?: number;
  /** Events per API page (PAGE_SIZE), 1..1000 and at most maxEventsPerRun. @default - min(1000, maxEventsPerRun) */
  readonly pageSize?: number;
  /** Limit for one Events API request in milliseconds (REQUEST_TIMEOUT_MS), 100..120000. @default 10000 */
  readonly requestTimeoutMs?: number;
  /** Minutes a rejected cursor restarts before the newest event seen (CURSOR_FALLBACK_OVERLAP_MINUTES), 0..10080. @default 60 */
  readonly cursorFallbackOverlapMinutes?: number;
  /** Seconds a warm function keeps the token (TOKEN_CACHE_SECONDS), 0..3600. @default 300 */
  readonly tokenCacheSeconds?: number;
  /** Requests per minute the collectors share (REQUEST_BUDGET_PER_MINUTE), 0 (no sharing)..600. @default 300 */
  readonly requestBudgetPerMinute?: number;
  /**
   * Direct PUT quota of each delivery stream in MiB/s, 1..1000 (FIREHOSE_QUOTA_MIB_PER_SECOND): the
   * collector paces its calls under it. Set it when the quota was raised.
   * @default - the region's default (5 in us-east-1, us-west-2, eu-west-1, else 1)
   */
  readonly firehoseQuotaMiBPerSecond?: number;
  /** Firehose buffering interval, 60..900 s (dynamic partitioning minimum is 60 s). @default Duration.seconds(300) */
  readonly firehoseBufferInterval?: Duration;
  /** Firehose buffering size, 64..128 MiB (dynamic partitioning minimum is 64 MiB). @default Size.mebibytes(128) */
  readonly firehoseBufferSize?: Size;
  /** Days objects stay in the events bucket (ignored with existingBucketName), 1..36500. @default 400 */
  readonly retentionDays?: number;
  /** E-mail address subscribed to the alarm topic. @default - no subscription */
  readonly alarmEmail?: string;
  /** Complete ARN of an existing secret holding the token. @default - a new secret */
  readonly existingSecretArn?: string;
  /** ARN of the customer-managed KMS key of `existingSecretArn`, if any. @default - AWS managed key */
  readonly existingSecretKmsKeyArn?: string;
  /**
   * IAM role or user ARNs that administer a customer-managed KMS key created for the token secret;
   * its key policy allows only them (key administration, and setting the token through Secrets
   * Manager) and the collector roles (decrypt through Secrets Manager). Must include the role that
   * deploys the stack. Not with existingSecretArn. @default - the secret uses the AWS managed key
   */
  readonly tokenSecretKeyAdminArns?: readonly string[];
  /** Name of an existing bucket to write events to (its lifecycle stays yours). @default - a new bucket */
  readonly existingBucketName?: string;
  /**
   * S3 Object Lock default retention mode of the events bucket: GOVERNANCE (deletable only with
   * s3:BypassGovernanceRetention) or COMPLIANCE (by nobody). Requires objectLockRetentionDays. @default - no Object Lock
   */
  readonly objectLockMode?: 'GOVERNANCE' | 'COMPLIANCE';
  /** Days each new event object version is locked, 1..retentionDays. Requires objectLockMode. @default - no Object Lock */
  readonly objectLockRetentionDays?: number;
  /** Days a replaced or deleted version in the events bucket is kept, 1..36500. @default 30 */
  readonly noncurrentVersionDays?: number;
  /** Glue database (and Athena named-query database). @default 'onepassword_events' */
  readonly glueDatabaseName?: string;
  /**
   * @deprecated No effect. The Glue tables now read each line as one string and the typed columns
   * are a view over it, so that a field of an unexpected JSON type reads as NULL instead of failing
   * every query (a JSON SerDe fails them). Kept so that existing apps still compile.
   */
  readonly jsonSerDe?: JsonSerDe;
  /** Alarm when no events arrive for this long, in whole hours 1..168. @default Duration.hours(24) */
  readonly noEventsWindow?: Duration;
  /** Alarm when LagSeconds stays above this, in whole minutes 1..20160. @default Duration.minutes(120) */
  readonly freshnessThreshold?: Duration;
  /** Thresholds of the failed-runs, throttled, token-expiring and function-errors alarms. @default - each threshold's own default */
  readonly alarmThresholds?: AlarmThresholds;
  /** Athena cancels a query that would scan more bytes (at least 10000000). @default 10737418240 (10 GiB) */
  readonly athenaBytesScannedCutoffPerQuery?: number;
  /** Emit source maps and run with --enable-source-maps (slower cold starts). @default false */
  readonly sourceMaps?: boolean;
  /** Overrides of the events bucket's secure defaults (s3-defaults.ts). @default - none */
  readonly eventsBucketProps?: s3.BucketProps;
  /** Overrides of the cursor table defaults (dynamodb-defaults.ts); the key is fixed. @default - none */
  readonly cursorTableProps?: Partial<dynamodb.TableProps>;
  /** Overrides of the collector function defaults (lambda-defaults.ts). @default - none */
  readonly collectorFunctionProps?: CollectorFunctionOverrides;
  /** Lambda entry file. @default functions/collector.ts */
  readonly collectorEntry?: string;
}

/** Props after defaults and validation. */
interface ResolvedProps {
  readonly eventTypes: readonly EventType[];
  readonly schedule: string;
  readonly eventsApiUrl?: string;
  readonly startTime?: string;
  /** The collector's environment for its settings (shared/settings.ts). */
  readonly collectorSettings: Readonly<Record<string, string>>;
  readonly bufferInterval: Duration;
  readonly bufferSize: Size;
  readonly retentionDays: number;
  readonly noncurrentVersionDays: number;
  readonly objectLock?: EventsObjectLock;
  readonly tokenSecretKeyAdminArns?: readonly string[];
  readonly noEventsWindow: Duration;
  readonly freshnessThreshold: Duration;
  readonly glueDatabaseName: string;
  readonly bytesScannedCutoff: number;
  readonly alarmThresholds: Required<AlarmThresholds>;
}

function resolveObjectLock(
  props: OnePasswordEventsPipelineProps,
  retentionDays: number,
): EventsObjectLock | undefined {
  const { objectLockMode, objectLockRetentionDays } = props;
  if (objectLockMode === undefined && objectLockRetentionDays === undefined) return undefined;
  if (objectLockMode === undefined) {
    throw new ConfigurationError(
      'objectLockRetentionDays',
      'needs objectLockMode (GOVERNANCE or COMPLIANCE)',
    );
  }
  const mode = checkObjectLockMode('objectLockMode', objectLockMode);
  if (objectLockRetentionDays === undefined) {
    throw new ConfigurationError('objectLockMode', 'needs objectLockRetentionDays');
  }
  if (props.existingBucketName !== undefined) {
    throw new ConfigurationError(
      'objectLockMode',
      'applies to the bucket the stack creates, not to existingBucketName',
    );
  }
  // A lock longer than the lifecycle keeps each version past its expiration: say so rather than pay for it.
  if (
    !Number.isSafeInteger(objectLockRetentionDays) ||
    objectLockRetentionDays < 1 ||
    objectLockRetentionDays > retentionDays
  ) {
    throw new ConfigurationError(
      'objectLockRetentionDays',
      `must be a whole number of days from 1 to retentionDays (${retentionDays}) (got ${objectLockRetentionDays})`,
    );
  }
  return { mode, days: objectLockRetentionDays };
}

function resolveTokenSecretKeyAdmins(props: OnePasswordEventsPipelineProps): readonly string[] | undefined {
  if (props.tokenSecretKeyAdminArns === undefined) return undefined;
  if (props.existingSecretArn !== undefined) {
    throw new ConfigurationError(
      'tokenSecretKeyAdminArns',
      'applies to the secret the stack creates; for existingSecretArn give its key as existingSecretKmsKeyArn',
    );
  }
  return checkPrincipalArns('tokenSecretKeyAdminArns', props.tokenSecretKeyAdminArns);
}

/** Validate props and fill in defaults. Errors name the prop. */
export function resolvePipelineProps(props: OnePasswordEventsPipelineProps): ResolvedProps {
  const eventTypes = props.eventTypes ?? EVENT_TYPES;
  if (eventTypes.length === 0)
    throw new ConfigurationError('eventTypes', 'must name at least one event type');
  for (const t of eventTypes) {
    if (!isEventType(t))
      throw new ConfigurationError('eventTypes', `unknown "${t}"; use ${EVENT_TYPES.join(', ')}`);
  }
  if (new Set(eventTypes).size !== eventTypes.length) {
    throw new ConfigurationError('eventTypes', `lists a type twice (${eventTypes.join(',')})`);
  }
  const eventsApiUrl =
    props.eventsApiUrl === undefined ? undefined : checkEventsApiUrl('eventsApiUrl', props.eventsApiUrl);
  const startTime = props.startTime === undefined ? undefined : checkStartTime('startTime', props.startTime);
  const n = resolveWholeNumberProps(props, new Set(startTime === undefined ? [] : ['startTime']));
  if (props.alarmEmail !== undefined) checkEmail('alarmEmail', props.alarmEmail);
  if (props.existingSecretArn !== undefined) checkSecretArn('existingSecretArn', props.existingSecretArn);
  if (props.existingSecretKmsKeyArn !== undefined) {
    if (props.existingSecretArn === undefined) {
      throw new ConfigurationError('existingSecretKmsKeyArn', 'only applies together with existingSecretArn');
    }
    checkKmsKeyArn('existingSecretKmsKeyArn', props.existingSecretKmsKeyArn);
  }
  if (props.existingBucketName !== undefined) checkBucketName('existingBucketName', props.existingBucketName);
  return {
    eventTypes,
    schedule: checkScheduleExpression('schedule', props.schedule ?? DEFAULT_SCHEDULE),
    eventsApiUrl,
    startTime,
    collectorSettings: collectorSettingsEnvironment(n, { eventsApiUrl, startTime }),
    bufferInterval: Duration.seconds(n.firehoseBufferInterval),
    bufferSize: Size.mebibytes(n.firehoseBufferSize),
    retentionDays: n.retentionDays,
    noEventsWindow: Duration.hours(n.noEventsWindow),
    freshnessThreshold: Duration.minutes(n.freshnessThreshold),
    noncurrentVersionDays: n.noncurrentVersionDays,
    objectLock: resolveObjectLock(props, n.retentionDays),
    tokenSecretKeyAdminArns: resolveTokenSecretKeyAdmins(props),
    glueDatabaseName: checkGlueName('glueDatabaseName', props.glueDatabaseName ?? DEFAULT_GLUE_DATABASE),
    alarmThresholds: {
      failedRunsPer5Minutes: n.failedRunsPer5Minutes,
      throttledMinutes: n.throttledMinutes,
      tokenExpiryDays: n.tokenExpiryDays,
      functionErrorsPer15Minutes: n.functionErrorsPer15Minutes,
    },
    bytesScannedCutoff: n.athenaBytesScannedCutoffPerQuery,
  };
}

/**
 * 1Password Events API -> Lambda (one per event type, scheduled) -> Firehose -> S3 -> Glue/Athena,
 * with the token secret, the cursor table, alarms and a dashboard. See docs/deploy.md.
 */
export class OnePasswordEventsPipeline extends Construct {
  readonly eventTypes: readonly EventType[];
  readonly cursorTable: dynamodb.Table;
  readonly tokenSecret: secretsmanager.ISecret;
  /** The customer-managed key of the token secret, when tokenSecretKeyAdminArns is set. */
  readonly tokenSecretKey?: kms.Key;
  readonly eventsBucket: s3.IBucket;
  readonly accessLogsBucket: s3.Bucket;
  readonly athenaResultsBucket: s3.Bucket;
  readonly glueDatabase: glue.CfnDatabase;
  readonly glueDatabaseName: string;
  readonly workGroup: athena.CfnWorkGroup;
  readonly lookupTables: LookupTables;
  readonly namedQueries: athena.CfnNamedQuery[];
  /** The de-duplicating views, created by the deploy (Glue VIRTUAL_VIEW tables). */
  readonly views: AthenaViews;
  readonly alarmTopic: sns.Topic;
  readonly dashboard: cloudwatch.Dashboard;
  /** CloudWatch Logs Insights queries saved over the collectors' log groups. */
  readonly logQueries: logs.CfnQueryDefinition[];
  readonly collectors: Readonly<Partial<Record<EventType, EventTypeCollector>>>;

  constructor(scope: Construct, id: string, props: OnePasswordEventsPipelineProps = {}) {
    super(scope, id);
    const p = resolvePipelineProps(props);
    this.eventTypes = p.eventTypes;
    const stack = Stack.of(this);

    // ---- Buckets ----
    this.accessLogsBucket = new s3.Bucket(this, 'AccessLogsBucket', defaultAccessLogBucketProps());
    this.eventsBucket =
      props.existingBucketName !== undefined
        ? s3.Bucket.fromBucketName(this, 'EventsBucket', props.existingBucketName)
        : new s3.Bucket(this, 'EventsBucket', {
            ...defaultEventsBucketProps(
              {
                retentionDays: p.retentionDays,
                noncurrentVersionDays: p.noncurrentVersionDays,
                objectLock: p.objectLock,
              },
              this.accessLogsBucket,
            ),
            ...props.eventsBucketProps,
          });
    this.athenaResultsBucket = new s3.Bucket(
      this,
      'AthenaResultsBucket',
      defaultAthenaResultsBucketProps(this.accessLogsBucket),
    );

    // ---- Token secret ----
    let tokenKey: TokenSecretKey | undefined;
    if (props.existingSecretArn !== undefined) {
      this.tokenSecret = secretsmanager.Secret.fromSecretCompleteArn(
        this,
        'TokenSecret',
        props.existingSecretArn,
      );
    } else {
      const secret = new secretsmanager.Secret(this, 'TokenSecret', {
        description:
          '1Password Events API bearer token: the bare token or {"token":"..."}. Set it with aws secretsmanager put-secret-value.',
        // A placeholder, not a credential: the real value is set once after deploy (docs/deploy.md).
        secretStringValue: SecretValue.unsafePlainText('{"token":""}'),
        removalPolicy: RemovalPolicy.DESTROY,
      });
      Validations.of(secret).acknowledge({
        id: 'AwsSolutions-SMG4',
        reason:
          'The value is a 1Password Events API bearer token, issued only in the 1Password admin console; ' +
          'Secrets Manager cannot rotate it. Rotation is a manual step documented in docs/deploy.md.',
      });
      if (p.tokenSecretKeyAdminArns !== undefined) {
        tokenKey = new TokenSecretKey(this, 'TokenSecretKey', p.tokenSecretKeyAdminArns);
        // Set on the resource, not through `encryptionKey`: that prop also grants the whole account
        // use of the key through Secrets Manager, which the key policy is there to prevent.
        (secret.node.defaultChild as secretsmanager.CfnSecret).kmsKeyId = tokenKey.key.keyArn;
        this.tokenSecretKey = tokenKey.key;
      }
      acknowledgeReviewedTokenSecretFindings(secret, { customerManagedKey: tokenKey !== undefined });
      this.tokenSecret = secret;
    }

    // ---- Cursor table ----
    this.cursorTable = new dynamodb.Table(this, 'CursorTable', {
      ...defaultCursorTableProps(),
      ...props.cursorTableProps,
      partitionKey: defaultCursorTableProps().partitionKey,
      sortKey: undefined,
    });

    // ---- Alarm topic (encrypted with a key CloudWatch may use; TLS only) ----
    const topicKey = new kms.Key(this, 'AlarmTopicKey', {
      description: 'Encrypts the 1Password events alarm topic',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    topicKey.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchAlarmsPublish',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }),
    );
    this.alarmTopic = new sns.Topic(this, 'AlarmTopic', {
      displayName: '1Password events collector alarms',
      masterKey: topicKey,
      enforceSSL: true,
    });
    this.alarmTopic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchAlarmsPublish',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.alarmTopic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
          ArnLike: {
            'aws:SourceArn': stack.formatArn({
              service: 'cloudwatch',
              resource: 'alarm',
              resourceName: '*',
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          },
        },
      }),
    );
    if (props.alarmEmail !== undefined) {
      this.alarmTopic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));
    }

    // ---- Glue database ----
    this.glueDatabaseName = p.glueDatabaseName;
    this.glueDatabase = new glue.CfnDatabase(this, 'GlueDatabase', {
      catalogId: Aws.ACCOUNT_ID,
      databaseInput: {
        name: p.glueDatabaseName,
        description: '1Password Events API activity collected to S3 (one table per event type)',
      },
    });

    // ---- Lookup tables (names for the views; filled by op-events lookups load) ----
    this.lookupTables = new LookupTables(this, 'LookupTables', {
      bucket: this.eventsBucket,
      glueDatabase: this.glueDatabase,
      glueDatabaseName: p.glueDatabaseName,
    });

    // ---- One collector per event type ----
    const secretKmsKeyArn = props.existingSecretKmsKeyArn;
    const collectors: Partial<Record<EventType, EventTypeCollector>> = {};
    for (const type of p.eventTypes) {
      collectors[type] = new EventTypeCollector(this, type, {
        type,
        entry: props.collectorEntry ?? COLLECTOR_ENTRY,
        settings: p.collectorSettings,
        schedule: p.schedule,
        table: this.cursorTable,
        secretArn: this.tokenSecret.secretArn,
        secretKmsKeyArn,
        bucket: this.eventsBucket,
        bufferInterval: p.bufferInterval,
        bufferSize: p.bufferSize,
        glueDatabase: this.glueDatabase,
        glueDatabaseName: p.glueDatabaseName,
        alarms: {
          topic: this.alarmTopic,
          noEventsWindow: p.noEventsWindow,
          freshnessThreshold: p.freshnessThreshold,
          failedRunsPer5Minutes: p.alarmThresholds.failedRunsPer5Minutes,
          throttledMinutes: p.alarmThresholds.throttledMinutes,
          tokenExpiryDays: p.alarmThresholds.tokenExpiryDays,
          functionErrorsPer15Minutes: p.alarmThresholds.functionErrorsPer15Minutes,
        },
        sourceMaps: props.sourceMaps ?? false,
        functionOverrides: props.collectorFunctionProps,
      });
    }
    this.collectors = collectors;
    this.logQueries = createSavedLogQueries(
      this,
      p.eventTypes.map((type) => this.collector(type).functionLogGroup),
    );
    tokenKey?.allowCollectors(Object.values(collectors).map((collector) => collector.functionRole));
    acknowledgeReviewedNistFindings(this);

    // ---- Athena views over the tables, created by the deploy ----
    this.views = new AthenaViews(this, 'Views', {
      eventTypes: p.eventTypes,
      databaseName: p.glueDatabaseName,
      glueDatabase: this.glueDatabase,
      tables: Object.fromEntries(p.eventTypes.map((t) => [t, this.collector(t).glueTable])),
    });

    // ---- Athena workgroup and saved queries ----
    this.workGroup = new athena.CfnWorkGroup(this, 'WorkGroup', {
      name: `${stack.stackName}-events`,
      description: 'Queries over 1Password Events API activity',
      state: 'ENABLED',
      // Lets the stack delete the workgroup with its saved queries and query history.
      recursiveDeleteOption: true,
      workGroupConfiguration: {
        enforceWorkGroupConfiguration: true,
        publishCloudWatchMetricsEnabled: true,
        bytesScannedCutoffPerQuery: p.bytesScannedCutoff,
        engineVersion: { selectedEngineVersion: ATHENA_DEFAULTS.engineVersion },
        resultConfiguration: {
          outputLocation: this.athenaResultsBucket.s3UrlForObject('results/'),
          encryptionConfiguration: { encryptionOption: 'SSE_S3' },
          expectedBucketOwner: Aws.ACCOUNT_ID,
        },
      },
    });
    this.namedQueries = namedQueriesFor(p.eventTypes).map((q, i) => {
      const named = new athena.CfnNamedQuery(this, `NamedQuery${i + 1}`, {
        name: q.name,
        description: q.description.slice(0, ATHENA.maxNamedQueryDescriptionChars),
        database: p.glueDatabaseName,
        queryString: q.sql.athena,
        workGroup: this.workGroup.ref,
      });
      named.addResourceDependency(this.glueDatabase);
      return named;
    });

    this.dashboard = this.createDashboard();
  }

  /** The collector of one event type (throws if the type is not collected). */
  collector(type: EventType): EventTypeCollector {
    const c = this.collectors[type];
    if (!c) throw new Error(`event type ${type} is not collected by this pipeline`);
    return c;
  }

  private createDashboard(): cloudwatch.Dashboard {
    const dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: `${Stack.of(this).stackName}-events`,
      defaultInterval: Duration.days(1),
    });
    const collectors = this.eventTypes.map((t) => this.collector(t));
    dashboard.addWidgets(
      new cloudwatch.AlarmStatusWidget({
        title: 'Alarms',
        width: 24,
        height: 4,
        alarms: collectors.flatMap((c) => c.alarms),
      }),
    );
    for (const c of collectors) {
      const label = specFor(c.type).label;
      dashboard.addWidgets(
        new cloudwatch.TextWidget({ markdown: `## ${label} (\`${c.type}\`)`, width: 24, height: 1 }),
        new cloudwatch.GraphWidget({
          title: `${label}: events delivered`,
          width: 6,
          left: [c.metric(Metric.EventsDelivered, 'Sum')],
        }),
        new cloudwatch.GraphWidget({
          title: `${label}: lag (s)`,
          width: 6,
          left: [c.metric(Metric.LagSeconds, 'Maximum'), c.metric(Metric.MaxEventLatenessSeconds, 'Maximum')],
        }),
        new cloudwatch.GraphWidget({
          title: `${label}: errors`,
          width: 6,
          left: [
            c.metric(Metric.RunFailed, 'Sum'),
            c.metric(Metric.AuthFailures, 'Sum'),
            c.metric(Metric.TokenMissing, 'Sum'),
            c.metric(Metric.ApiUnavailable, 'Sum'),
            c.function.metricErrors({ statistic: 'Sum', period: Duration.minutes(5) }),
          ],
        }),
        new cloudwatch.GraphWidget({
          title: `${label}: throttles and retries`,
          width: 6,
          left: [
            c.metric(Metric.Throttles, 'Sum'),
            c.metric(Metric.ApiThrottles, 'Sum'),
            c.metric(Metric.ApiRetries, 'Sum'),
            c.metric(Metric.FirehoseRecordRetries, 'Sum'),
          ],
        }),
      );
    }
    return dashboard;
  }
}
