import { ArnFormat, Aws, Duration, RemovalPolicy, SecretValue, Stack, Validations } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { ATHENA } from '../../shared/contracts/aws-limits';
import { type EventType, specFor } from '../../shared/contracts/event-types';
import { LOOKUP_KINDS, LOOKUP_SPECS, lookupPrefixFor } from '../../shared/contracts/lookup-schema';
import { Metric } from '../../shared/contracts/metric-names';
import { eventsPrefixFor } from '../../shared/contracts/s3-layout';
import { namedQueriesFor } from '../../shared/sql/named-queries';
import { RAW_TABLE_NAMES } from '../../shared/sql/typed-events';
import {
  acknowledgeReviewedNistFindings,
  acknowledgeReviewedTokenSecretFindings,
} from '../compliance/nist-review';
import { ATHENA_DEFAULTS } from '../defaults/athena-defaults';
import { runTimeoutSecondsFor } from '../defaults/catch-up';
import { defaultCursorTableProps } from '../defaults/dynamodb-defaults';
import { packageFile } from '../defaults/package-files';
import { defaultGlueDatabaseName, physicalNamePrefix } from '../defaults/physical-names';
import {
  defaultAccessLogBucketProps,
  defaultAthenaResultsBucketProps,
  defaultEventsBucketProps,
  grantLogDeliveryByBucketPolicy,
  retainPoliciesOfRetainedBuckets,
} from '../defaults/s3-defaults';
import { resolveDetectionSettings, scheduleMinutesOf } from '../props/detection-props';
import { refuseOversizedEnvironments } from '../props/lambda-environment';
import type { OnePasswordEventsPipelineProps } from '../props/pipeline-props';
import { type ResolvedProps, resolvePipelineProps } from '../props/resolve-props';
import { withConstructPath } from '../props/validation';
import { AthenaViews } from './athena-views';
import { pipelineRefusals } from './construct-errors';
import { DetectionAlerts } from './detection-alerts';
import { EventTypeCollector } from './event-type-collector';
import { createSavedLogQueries } from './log-queries';
import { LookupTables } from './lookup-tables';
import { checkPipelineId, defaultPipelineId, publishPipelineOutputs } from './pipeline-outputs';
import { grantQuery, type QueryTargets } from './query-grant';
import { ScheduledRules } from './scheduled-rules';
import { TokenSecretKey } from './token-secret-key';
import { allowServiceToPublishWith } from './topic-key-access';

export type {
  AlarmOptions,
  CollectorOptions,
  OnePasswordEventsPipelineProps,
  QueryOptions,
  StorageOptions,
  TokenOptions,
} from '../props/pipeline-props';
export { DEFAULT_SCHEDULE, resolvePipelineProps } from '../props/resolve-props';
export type { CollectorFunctionOptions, CursorTableOptions } from '../props/resource-options';
export { ConfigurationError } from '../props/validation';

/** Where the workgroup writes query results, in the Athena results bucket. */
const ATHENA_RESULTS_PREFIX = 'results/';

/** The collector's Lambda entry point (same code for every event type), in this package. */
export const COLLECTOR_ENTRY = packageFile('functions/collector.ts');
/** The scheduled window rules' Lambda entry point, in this package. */
export const SCHEDULED_RULES_ENTRY = packageFile('functions/detections/scheduled-rules.ts');

/** The pipeline's buckets: events, Athena results, and the server access logs of both. */
interface PipelineBuckets {
  readonly accessLogs: s3.Bucket;
  readonly events: s3.IBucket;
  readonly athenaResults: s3.Bucket;
}

/** The token secret, and its customer-managed key: one the pipeline creates, or an existing secret's. */
interface TokenSecretParts {
  readonly secret: secretsmanager.ISecret;
  readonly key?: TokenSecretKey;
  readonly existingKey?: kms.IKey;
}

/**
 * 1Password Events API -> Lambda (one per event type, scheduled) -> Firehose -> S3 -> Glue/Athena,
 * with the token secret, the cursor table, alarms and a dashboard. See docs/deploy.md.
 */
export class OnePasswordEventsPipeline extends Construct {
  readonly eventTypes: readonly EventType[];
  readonly cursorTable: dynamodb.Table;
  readonly tokenSecret: secretsmanager.ISecret;
  /**
   * The customer-managed key of the token secret: the one created for `token.keyAdminArns`, or the
   * existing secret's.
   */
  readonly tokenSecretKey?: kms.IKey;
  readonly eventsBucket: s3.IBucket;
  readonly accessLogsBucket: s3.Bucket;
  readonly athenaResultsBucket: s3.Bucket;
  private readonly glueDatabase: glue.CfnDatabase;
  readonly glueDatabaseName: string;
  /**
   * Prefix of the physical names (workgroup, dashboard, alarms, saved log queries), from the construct's
   * path: `<stack>-<path>-<hash>`, so that pipelines in one app never share a name.
   */
  readonly namePrefix: string;
  /**
   * The Athena workgroup of the saved queries and `grantQuery` (its L1 resource:
   * `node.findChild('WorkGroup')`).
   */
  readonly workGroupName: string;
  private readonly workGroup: athena.CfnWorkGroup;
  /** The de-duplicating views, created by the deploy (Glue VIRTUAL_VIEW tables). */
  private readonly views: AthenaViews;
  readonly alarmTopic: sns.Topic;
  /** The alert path (bus, notification rule); absent with `detections.enabled: false`. */
  readonly detectionAlerts?: DetectionAlerts;
  /** The window rules on a schedule; absent with `detections.enabled: false`. */
  readonly scheduledRules?: ScheduledRules;
  readonly dashboard: cloudwatch.Dashboard;
  /** One collector per event type, in the order of `eventTypes`. */
  readonly collectors: readonly EventTypeCollector[];
  /**
   * Tells this pipeline from others in its stack: its CloudFormation outputs are `<pipelineId><name>`
   * (shared/contracts/stack-outputs.ts), and `op-events --stack <stack> --pipeline <pipelineId>` selects it.
   */
  readonly pipelineId: string;

  constructor(scope: Construct, id: string, props: OnePasswordEventsPipelineProps = {}) {
    super(scope, id);
    grantLogDeliveryByBucketPolicy(this);
    retainPoliciesOfRetainedBuckets(this);
    const p = withConstructPath(this, () => resolvePipelineProps(props));
    this.eventTypes = p.eventTypes;
    this.pipelineId = withConstructPath(this, () =>
      checkPipelineId(this, props.pipelineId ?? defaultPipelineId(id)),
    );

    const buckets = this.buildBuckets(props, p);
    this.accessLogsBucket = buckets.accessLogs;
    this.eventsBucket = buckets.events;
    this.athenaResultsBucket = buckets.athenaResults;
    const token = this.buildTokenSecret(props, p);
    this.tokenSecret = token.secret;
    this.tokenSecretKey = token.key?.key ?? token.existingKey;
    this.cursorTable = this.buildCursorTable(props);
    const alarmTopic = this.buildAlarmTopic(props.alarms?.email);
    this.alarmTopic = alarmTopic.topic;

    this.namePrefix = physicalNamePrefix(this);
    this.glueDatabaseName = p.glueDatabaseName ?? defaultGlueDatabaseName(this);
    this.glueDatabase = this.buildGlueDatabase(this.glueDatabaseName);
    // Names for the views; filled by `op-events lookups load`.
    new LookupTables(this, 'LookupTables', {
      bucket: this.eventsBucket,
      glueDatabase: this.glueDatabase,
      glueDatabaseName: this.glueDatabaseName,
    });

    this.collectors = this.buildCollectors(props, p, token);
    createSavedLogQueries(
      this,
      this.namePrefix,
      this.collectors.map((collector) => collector.functionLogGroup),
    );
    token.key?.allowCollectors(this.collectors.map((collector) => collector.functionRole));
    this.detectionAlerts = this.buildDetectionAlerts(props, alarmTopic.key);
    acknowledgeReviewedNistFindings(this);

    this.views = new AthenaViews(this, 'Views', {
      eventTypes: p.eventTypes,
      databaseName: this.glueDatabaseName,
      glueDatabase: this.glueDatabase,
      // The collectors' raw tables, through the escape hatch: their L1s are not public.
      tables: Object.fromEntries(
        p.eventTypes.map((t) => [t, this.collector(t).node.findChild('GlueTable') as glue.CfnTable]),
      ),
    });
    this.workGroup = this.buildWorkGroup(p);
    this.workGroupName = this.workGroup.ref;
    this.buildNamedQueries(p);
    this.scheduledRules = this.buildScheduledRules(props, p);
    this.dashboard = this.buildDashboard();
    const functions = [...this.collectors, ...(this.scheduledRules ? [this.scheduledRules] : [])];
    withConstructPath(this, () => refuseOversizedEnvironments(functions.map((owner) => owner.function)));
    publishPipelineOutputs(this);
  }

  /**
   * Lets `grantee` query the pipeline's tables and views in its Athena workgroup: run and read
   * queries and the saved queries in the workgroup, read the Glue database and its tables, read the
   * objects the tables read in the events bucket (and decrypt them with the bucket's key, if it has
   * one), and write and read results under the workgroup's results location. Exact resources only.
   */
  grantQuery(grantee: iam.IGrantable): iam.Grant {
    const views = this.views.views.map((view) => view.definition.name);
    return grantQuery(
      this,
      grantee,
      this.queryTargets([...this.rawTableNames(), ...views, ...this.lookupTableNames()]),
    );
  }

  /**
   * What a query of the pipeline's tables touches: its workgroup, the Glue tables and views named
   * (in the order given, which is the order of the resources in the policy), the objects of the
   * event types and lookups, and the workgroup's result location.
   */
  private queryTargets(tableNames: readonly string[]): QueryTargets {
    return {
      workGroupName: this.namePrefix,
      glueDatabaseName: this.glueDatabaseName,
      tableNames,
      dataBucket: this.eventsBucket,
      dataPrefixes: [...this.eventTypes.map(eventsPrefixFor), ...LOOKUP_KINDS.map(lookupPrefixFor)],
      resultsBucket: this.athenaResultsBucket,
      resultsPrefix: ATHENA_RESULTS_PREFIX,
    };
  }

  private rawTableNames(): string[] {
    return this.eventTypes.map((type) => RAW_TABLE_NAMES[type]);
  }

  private lookupTableNames(): string[] {
    return LOOKUP_KINDS.map((kind) => LOOKUP_SPECS[kind].table);
  }

  /** The collector of one event type (throws if the type is not collected). */
  collector(type: EventType): EventTypeCollector {
    const c = this.collectors.find((collector) => collector.type === type);
    if (!c) throw pipelineRefusals.notCollected(this, type, this.eventTypes);
    return c;
  }

  /** The events bucket (or the existing one), the Athena results bucket, and their access-log bucket. */
  private buildBuckets(props: OnePasswordEventsPipelineProps, p: ResolvedProps): PipelineBuckets {
    const accessLogs = new s3.Bucket(this, 'AccessLogsBucket', defaultAccessLogBucketProps());
    const { bucket, existingBucketName } = props.storage ?? {};
    const events =
      bucket ??
      (existingBucketName !== undefined
        ? s3.Bucket.fromBucketName(this, 'EventsBucket', existingBucketName)
        : new s3.Bucket(this, 'EventsBucket', {
            ...defaultEventsBucketProps(
              {
                retentionDays: p.retentionDays,
                noncurrentVersionDays: p.noncurrentVersionDays,
                objectLock: p.objectLock,
              },
              accessLogs,
            ),
            ...props.storage?.bucketProps,
          }));
    const athenaResults = new s3.Bucket(
      this,
      'AthenaResultsBucket',
      defaultAthenaResultsBucketProps(accessLogs),
    );
    return { accessLogs, events, athenaResults };
  }

  /**
   * The existing token secret with its key, or a new one holding a placeholder (with its own key if
   * asked).
   */
  private buildTokenSecret(props: OnePasswordEventsPipelineProps, p: ResolvedProps): TokenSecretParts {
    const token = props.token ?? {};
    const existing =
      token.secret ??
      (token.existingSecretArn === undefined
        ? undefined
        : secretsmanager.Secret.fromSecretCompleteArn(this, 'TokenSecret', token.existingSecretArn));
    if (existing !== undefined) {
      const existingKey =
        token.encryptionKey ??
        (token.existingSecretKmsKeyArn === undefined
          ? existing.encryptionKey
          : kms.Key.fromKeyArn(this, 'TokenSecretKmsKey', token.existingSecretKmsKeyArn));
      return { secret: existing, existingKey };
    }
    const secret = new secretsmanager.Secret(this, 'TokenSecret', {
      description:
        '1Password Events API bearer token: the bare token or {"token":"..."}. ' +
        'Set it with aws secretsmanager put-secret-value.',
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
    let key: TokenSecretKey | undefined;
    if (p.tokenSecretKeyAdminArns !== undefined) {
      key = new TokenSecretKey(this, 'TokenSecretKey', p.tokenSecretKeyAdminArns);
      // Set on the resource, not through `encryptionKey`: that prop also grants the whole account
      // use of the key through Secrets Manager, which the key policy is there to prevent.
      (secret.node.defaultChild as secretsmanager.CfnSecret).kmsKeyId = key.key.keyArn;
    }
    acknowledgeReviewedTokenSecretFindings(secret, { customerManagedKey: key !== undefined });
    return { secret, key };
  }

  /** The cursor table: the defaults of dynamodb-defaults.ts with the user's changes; the key is fixed. */
  private buildCursorTable(props: OnePasswordEventsPipelineProps): dynamodb.Table {
    return new dynamodb.Table(this, 'CursorTable', defaultCursorTableProps(props.storage?.cursorTableProps));
  }

  /** Alerts to EventBridge and a readable SNS notification, unless turned off. */
  private buildDetectionAlerts(
    props: OnePasswordEventsPipelineProps,
    alarmTopicKey: kms.Key,
  ): DetectionAlerts | undefined {
    const detections = props.detections ?? {};
    if (detections.enabled === false) return undefined;
    const alerts = new DetectionAlerts(this, 'DetectionAlerts', {
      table: this.cursorTable,
      notificationTopic: detections.notificationTopic ?? this.alarmTopic,
      ...(detections.notificationTopic ? {} : { notificationTopicKey: alarmTopicKey }),
      ...(detections.eventBus ? { eventBus: detections.eventBus } : {}),
      changedSettings: resolveDetectionSettings(detections.settings).changed,
    });
    for (const collector of this.collectors) alerts.attachCollector(collector);
    return alerts;
  }

  /** The window rules on Athena, on a schedule, publishing to the alert bus. */
  private buildScheduledRules(
    props: OnePasswordEventsPipelineProps,
    p: ResolvedProps,
  ): ScheduledRules | undefined {
    const alerts = this.detectionAlerts;
    if (!alerts) return undefined;
    const detections = props.detections ?? {};
    return new ScheduledRules(this, 'ScheduledRules', {
      entry: SCHEDULED_RULES_ENTRY,
      eventTypes: p.eventTypes,
      periodMinutes: scheduleMinutesOf(detections),
      eventBus: alerts.eventBus,
      table: this.cursorTable,
      query: this.queryTargets([
        ...this.rawTableNames(),
        ...this.lookupTableNames(),
        ...this.views.views.map((view) => view.definition.name),
      ]),
      changedSettings: resolveDetectionSettings(detections.settings).changed,
      namePrefix: this.namePrefix,
      alarmTopic: this.alarmTopic,
      sourceMaps: props.collector?.sourceMaps ?? false,
    });
  }

  /**
   * The alarm topic: encrypted with a key CloudWatch may use, TLS only, published to by this
   * account's alarms.
   */
  private buildAlarmTopic(alarmEmail: string | undefined): { topic: sns.Topic; key: kms.Key } {
    const topicKey = new kms.Key(this, 'AlarmTopicKey', {
      description: 'Encrypts the 1Password events alarm topic',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    allowServiceToPublishWith(topicKey, 'CloudWatchAlarmsPublish', 'cloudwatch.amazonaws.com');
    const topic = new sns.Topic(this, 'AlarmTopic', {
      displayName: '1Password events collector alarms',
      masterKey: topicKey,
      enforceSSL: true,
    });
    topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchAlarmsPublish',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [topic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
          ArnLike: {
            'aws:SourceArn': Stack.of(this).formatArn({
              service: 'cloudwatch',
              resource: 'alarm',
              resourceName: '*',
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          },
        },
      }),
    );
    if (alarmEmail !== undefined) topic.addSubscription(new subscriptions.EmailSubscription(alarmEmail));
    return { topic, key: topicKey };
  }

  private buildGlueDatabase(name: string): glue.CfnDatabase {
    return new glue.CfnDatabase(this, 'GlueDatabase', {
      catalogId: Aws.ACCOUNT_ID,
      databaseInput: {
        name,
        description: '1Password Events API activity collected to S3 (one table per event type)',
      },
    });
  }

  /** One collector (function, stream, schedule, table, alarms) per event type. */
  private buildCollectors(
    props: OnePasswordEventsPipelineProps,
    p: ResolvedProps,
    token: TokenSecretParts,
  ): EventTypeCollector[] {
    const collector = props.collector ?? {};
    return p.eventTypes.map(
      (type) =>
        new EventTypeCollector(this, type, {
          type,
          entry: collector.entry ?? COLLECTOR_ENTRY,
          settings: p.collectorSettings,
          schedule: p.schedule,
          runTimeout: Duration.seconds(runTimeoutSecondsFor(p.schedule)),
          table: this.cursorTable,
          secret: this.tokenSecret,
          secretKey: token.existingKey,
          bucket: this.eventsBucket,
          bufferInterval: p.bufferInterval,
          bufferSize: p.bufferSize,
          glueDatabase: this.glueDatabase,
          glueDatabaseName: this.glueDatabaseName,
          alarms: {
            namePrefix: this.namePrefix,
            topic: this.alarmTopic,
            ...p.alarmThresholds,
            noEventsWindow: p.noEventsWindow,
            freshnessThreshold: p.freshnessThreshold,
          },
          sourceMaps: collector.sourceMaps ?? false,
          functionOverrides: collector.functionProps,
        }),
    );
  }

  /** The Athena workgroup: engine 3, results encrypted in the results bucket, a per-query scan cutoff. */
  private buildWorkGroup(p: ResolvedProps): athena.CfnWorkGroup {
    return new athena.CfnWorkGroup(this, 'WorkGroup', {
      name: this.namePrefix,
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
          outputLocation: this.athenaResultsBucket.s3UrlForObject(ATHENA_RESULTS_PREFIX),
          encryptionConfiguration: { encryptionOption: 'SSE_S3' },
          expectedBucketOwner: Aws.ACCOUNT_ID,
        },
      },
    });
  }

  /** The saved Athena queries (shared/sql/named-queries.ts), in the workgroup. */
  private buildNamedQueries(p: ResolvedProps): athena.CfnNamedQuery[] {
    return namedQueriesFor(p.eventTypes).map((q, i) => {
      const named = new athena.CfnNamedQuery(this, `NamedQuery${i + 1}`, {
        name: q.name,
        description: q.description.slice(0, ATHENA.maxNamedQueryDescriptionChars),
        database: this.glueDatabaseName,
        queryString: q.sql.athena,
        workGroup: this.workGroup.ref,
      });
      named.addResourceDependency(this.glueDatabase);
      return named;
    });
  }

  /** The dashboard: every alarm's state, then per event type its deliveries, lag, errors and throttles. */
  private buildDashboard(): cloudwatch.Dashboard {
    const dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: this.namePrefix,
      defaultInterval: Duration.days(1),
    });
    const collectors = this.collectors;
    dashboard.addWidgets(
      new cloudwatch.AlarmStatusWidget({
        title: 'Alarms',
        width: 24,
        height: 4,
        alarms: collectors.flatMap((c) => c.alarms),
      }),
    );
    for (const c of collectors) dashboard.addWidgets(...collectorWidgets(c));
    return dashboard;
  }
}

/** One event type's row of the dashboard. */
function collectorWidgets(c: EventTypeCollector): cloudwatch.IWidget[] {
  const label = specFor(c.type).label;
  return [
    new cloudwatch.TextWidget({ markdown: `## ${label} (\`${c.type}\`)`, width: 24, height: 1 }),
    new cloudwatch.GraphWidget({
      title: `${label}: events delivered`,
      width: 6,
      left: [c.metric(Metric.EventsDelivered, 'Sum')],
    }),
    new cloudwatch.GraphWidget({
      title: `${label}: lag, event age and lateness (s)`,
      width: 6,
      left: [
        c.metric(Metric.LagSeconds, 'Maximum'),
        c.metric(Metric.MaxEventAgeSeconds, 'Maximum'),
        c.metric(Metric.MaxEventLatenessSeconds, 'Maximum'),
      ],
    }),
    new cloudwatch.GraphWidget({
      title: `${label}: errors`,
      width: 6,
      left: [
        c.metric(Metric.RunFailed, 'Sum'),
        c.metric(Metric.AuthFailures, 'Sum'),
        c.metric(Metric.TokenMissing, 'Sum'),
        c.metric(Metric.ApiUnavailable, 'Sum'),
        c.metric(Metric.FirehosePutFailures, 'Sum'),
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
  ];
}
