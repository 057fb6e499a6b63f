/**
 * The limits table: each AWS limit of shared/contracts/aws-limits.ts with the documentation page it comes
 * from, where a stand-in enforces it, where the code honours it and the test that fails when one of them
 * disagrees. docs/aws-limits.md quotes it (`npm run docs:limits`). Where a stored copy of a page and older
 * notes disagree, the page as cited here wins.
 */
import {
  ATHENA,
  CLOUDWATCH,
  DYNAMODB,
  EVENTBRIDGE,
  FIREHOSE,
  FIREHOSE_REQUESTS,
  LAMBDA,
  SCHEDULER,
  SECRETS_MANAGER,
} from '../shared/contracts/aws-limits';

/** A documentation page and what it says. */
export interface LimitSource {
  readonly title: string;
  readonly url: string;
  /** The sentence or table row the value comes from, in short. */
  readonly says: string;
}

/** One row of the limits table (docs/aws-limits.md). */
export interface AwsLimit {
  readonly id: string;
  readonly service: string;
  readonly limit: string;
  readonly value: string;
  readonly source: LimitSource;
  /** Where a local stand-in enforces it, or why none does. */
  readonly standIn: string;
  /** Where the code (collector or stack) honours it. */
  readonly code: string;
  /** The test that fails when the code or a stand-in disagrees. */
  readonly test: string;
}

const FIREHOSE_QUOTA_PAGE: Omit<LimitSource, 'says'> = {
  title: 'Amazon Data Firehose Quota',
  url: 'https://docs.aws.amazon.com/firehose/latest/dev/limits.html',
};
const PUT_RECORD_BATCH_PAGE: Omit<LimitSource, 'says'> = {
  title: 'PutRecordBatch - Amazon Data Firehose (API Reference)',
  url: 'https://docs.aws.amazon.com/firehose/latest/APIReference/API_PutRecordBatch.html',
};

const n = (value: number) => value.toLocaleString('en-US');

export const AWS_LIMITS: readonly AwsLimit[] = [
  {
    id: 'firehose-record-size',
    service: 'Firehose',
    limit: 'Record size (before base64)',
    value: `${n(FIREHOSE.maxRecordBytes)} bytes (1,000 KiB)`,
    source: {
      ...FIREHOSE_QUOTA_PAGE,
      says: 'The maximum size of a record sent to Firehose, before base64-encoding, is 1,000 KiB.',
    },
    standIn: 'local/firehose/record-limits.ts: ValidationException',
    code:
      'shared/collector/delivery/event-lines.ts splits a larger event into chunk lines; ' +
      'shared/collector/delivery/record-packer.ts fills records up to it',
    test: 'test/local/firehose-standin.test.ts, test/shared/collector/delivery/firehose-sink.test.ts',
  },
  {
    id: 'firehose-batch-records',
    service: 'Firehose',
    limit: 'Records per PutRecordBatch call',
    value: n(FIREHOSE.maxRecordsPerBatch),
    source: { ...PUT_RECORD_BATCH_PAGE, says: 'Each PutRecordBatch request supports up to 500 records.' },
    standIn: 'local/firehose/record-limits.ts: ValidationException',
    code: 'shared/collector/delivery/record-packer.ts groupIntoBatches',
    test: 'test/local/firehose-standin.test.ts, test/shared/collector/delivery/firehose-sink.test.ts',
  },
  {
    id: 'firehose-batch-bytes',
    service: 'Firehose',
    limit: 'Bytes per PutRecordBatch call',
    value: `${n(FIREHOSE.maxBatchBytes)} bytes (4 MiB)`,
    source: {
      ...PUT_RECORD_BATCH_PAGE,
      says: 'up to a limit of 4 MB for the entire request. These limits cannot be changed.',
    },
    standIn: 'local/firehose/record-limits.ts: InvalidArgumentException',
    code: 'shared/collector/delivery/record-packer.ts groupIntoBatches',
    test: 'test/local/firehose-standin.test.ts, test/shared/collector/delivery/firehose-sink.test.ts',
  },
  {
    id: 'firehose-request-bytes',
    service: 'Firehose',
    limit: 'Bytes of one request body (PutRecordBatch, the largest)',
    value:
      `${n(FIREHOSE_REQUESTS.maxRequestBytes)} bytes: 4 MiB of record data base64-encoded, with 500 ` +
      `records' JSON framing and the stream name`,
    source: {
      ...PUT_RECORD_BATCH_PAGE,
      says:
        'Each record in the request can be as large as 1,000 KB (before base64 encoding), up to a limit ' +
        'of 4 MB for the entire request. (Record, API Reference: the data blob is base64-encoded when ' +
        'serialized.) The service names the 4 MB as "Records size", so the body on the wire is up to 4/3 ' +
        'of it plus framing.',
    },
    standIn:
      'local/aws-json-server.ts: signature headers checked before any body is read, then a body over ' +
      'the limit refused unread (413, connection closed); local/firehose-standin.ts sets it',
    code: 'shared/collector/delivery/record-packer.ts keeps every batch within 4 MiB of data, so within this',
    test: 'test/local/standin-request-limits.test.ts',
  },
  {
    id: 'firehose-deaggregation-cap',
    service: 'Firehose',
    limit: 'JSON objects de-aggregated from one record (dynamic partitioning)',
    value: n(FIREHOSE.maxObjectsPerRecord),
    source: {
      title: 'Apply dynamic partitioning to aggregated data - Amazon Data Firehose',
      url: 'https://docs.aws.amazon.com/firehose/latest/dev/dynamic-partitioning-multirecord-deaggergation.html',
      says:
        'Record deaggregation by JSON or by delimiter is capped at 500 per record. (PutRecordBatch ' +
        'reference: with more, the request succeeds but de-aggregation does not work as expected.)',
    },
    standIn:
      'local/firehose/s3-layout-writer.ts: the whole record goes to errors/<type>/partitioning-failed/',
    code: 'shared/collector/delivery/record-packer.ts packRecords: at most 500 lines per record',
    test:
      'test/local/firehose-standin.test.ts, test/shared/collector/delivery/firehose-sink.test.ts, ' +
      'test/e2e/aws-limits.e2e.test.ts',
  },
  {
    id: 'firehose-direct-put-quota',
    service: 'Firehose',
    limit: 'Direct PUT throughput per stream (PutRecord + PutRecordBatch)',
    value:
      'us-east-1, us-west-2, eu-west-1: 5 MiB/s, 500,000 records/s, 2,000 requests/s; other regions: 1 ' +
      'MiB/s, 100,000 records/s, 1,000 requests/s. The three scale together when the quota is raised.',
    source: {
      ...FIREHOSE_QUOTA_PAGE,
      says:
        'For US East (N. Virginia), US West (Oregon), and Europe (Ireland): 500,000 records/second, ' +
        '2,000 requests/second, and 5 MiB/second; for the other listed regions 100,000 records/second, ' +
        '1,000 requests/second, and 1 MiB/second. The three quota scale proportionally.',
    },
    standIn:
      'local/firehose/throughput-quota.ts: a call beyond the quota is refused with ' +
      'ServiceUnavailableException (HTTP 503) "Slow down.", as the PutRecordBatch reference describes ' +
      'for an exceeded stream',
    code:
      'shared/collector/delivery/throughput-pacer.ts paces shared/collector/delivery/firehose-sink.ts ' +
      'under FIREHOSE_QUOTA_MIB_PER_SECOND (default: the region’s); throttled calls are retried',
    test:
      'test/local/firehose-standin.test.ts, test/shared/collector/delivery/throughput-pacer.test.ts, ' +
      'test/e2e/aws-limits.e2e.test.ts',
  },
  {
    id: 'firehose-buffering',
    service: 'Firehose',
    limit: 'Buffering hints with dynamic partitioning',
    value:
      `${FIREHOSE.minBufferSeconds}..${FIREHOSE.maxBufferSeconds} s and ` +
      `${FIREHOSE.minBufferMiB}..${FIREHOSE.maxBufferMiB} MiB`,
    source: {
      title: 'BufferingHints - Amazon Data Firehose (API Reference)',
      url: 'https://docs.aws.amazon.com/firehose/latest/APIReference/API_BufferingHints.html',
      says:
        'IntervalInSeconds: 0..900. SizeInMBs: 1..128. Zero buffering is not available for dynamic ' +
        'partitioning (Buffer data for dynamic partitioning); the stack keeps CDK’s dynamic-partitioning ' +
        'minimums of 60 s and 64 MiB.',
    },
    standIn:
      'local/firehose/delivery-buffer.ts (with the stand-in’s `buffering` option, on its clock): each ' +
      'partition’s buffer is written when it reaches the size or 1.5 intervals after its first record, ' +
      'the worst case of “Buffer data for dynamic partitioning” ' +
      '(https://docs.aws.amazon.com/firehose/latest/dev/buffering.html); without the option, one ' +
      'object per call',
    code:
      'shared/contracts/settings.ts (firehoseBufferInterval, firehoseBufferSize) bounds them; ' +
      'resolvePipelineProps and infra/app/context-settings.ts refuse other values',
    test: 'test/infra/aws-limits.test.ts, test/infra/config.test.ts, test/local/delivery-buffer.test.ts',
  },
  {
    id: 'firehose-active-partitions',
    service: 'Firehose',
    limit: 'Active partitions per stream (dynamic partitioning)',
    value: n(FIREHOSE.maxActivePartitions),
    source: {
      ...FIREHOSE_QUOTA_PAGE,
      says:
        'When dynamic partitioning on a Firehose stream is enabled, there is a default quota of 500 ' +
        'active partitions; records beyond it go to the error prefix (activePartitionExceeded).',
    },
    standIn: 'none',
    code: 'one partition per event date (dt); a buffer of up to 15 minutes holds far fewer than 500 dates',
    test: 'none (the layout makes it unreachable)',
  },
  {
    id: 'firehose-prefixes',
    service: 'Firehose',
    limit: 'S3 prefix rules',
    value:
      'Prefix uses !{partitionKeyFromQuery:...} and no error-output-type; ErrorOutputPrefix contains ' +
      `${FIREHOSE.errorOutputTypeExpression}; each at most ${FIREHOSE.maxPrefixChars} characters after ` +
      'evaluation',
    source: {
      title: 'Understand custom prefixes for Amazon S3 objects - Amazon Data Firehose',
      url: 'https://docs.aws.amazon.com/firehose/latest/dev/s3-prefixes.html',
      says:
        'If you specify an expression for ErrorOutputPrefix, you must include at least one instance of ' +
        '!{firehose:error-output-type}. Prefix can’t contain !{firehose:error-output-type}. Neither ' +
        'Prefix nor ErrorOutputPrefix can be greater than 512 characters after they’re evaluated.',
    },
    standIn: 'local/firehose/s3-layout-writer.ts writes the same layout (shared/contracts/s3-layout.ts)',
    code: 'infra/constructs/event-type-collector.ts',
    test: 'test/infra/aws-limits.test.ts',
  },
  {
    id: 'dynamodb-item-size',
    service: 'DynamoDB',
    limit: 'Item size (the cursor row)',
    value: `${n(DYNAMODB.maxItemBytes)} bytes (400 KB), attribute names included`,
    source: {
      title: 'DynamoDB item sizes and formats - Amazon DynamoDB',
      url: 'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html',
      says:
        'The total size of an item is the sum of the lengths of its attribute names and values; the ' +
        'maximum item size is 400 KB (Constraints in Amazon DynamoDB).',
    },
    standIn: 'dynalite refuses larger items (ValidationException)',
    code:
      'shared/collector/state/cursor-store.ts assertCursorFits (sizes from ' +
      'shared/collector/state/dynamodb-item-size.ts), called by shared/collector/run/page-loop.ts before ' +
      'a page is delivered',
    test: 'test/shared/collector/state/dynamodb-item-size.test.ts, test/e2e/aws-limits.e2e.test.ts',
  },
  {
    id: 'dynamodb-request-bytes',
    service: 'DynamoDB',
    limit: 'Bytes of one request (BatchWriteItem, the largest)',
    value: `${n(DYNAMODB.maxRequestBytes)} bytes (16 MB)`,
    source: {
      title: 'BatchWriteItem - Amazon DynamoDB (API Reference)',
      url: 'https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchWriteItem.html',
      says:
        'A single call to BatchWriteItem can transmit up to 16MB of data over the network, consisting of ' +
        'up to 25 item put or delete operations.',
    },
    standIn:
      'local/dynalite-server.ts: the authenticating front checks the signature headers before reading ' +
      'a body and refuses one over the limit unread (413, connection closed); dynalite itself checks ' +
      'no signature',
    code: 'shared/collector/state/cursor-store.ts writes one item of at most 400 KB per request',
    test: 'test/local/standin-request-limits.test.ts',
  },
  {
    id: 'secrets-get-request-bytes',
    service: 'Secrets Manager',
    limit: 'Bytes of one GetSecretValue request body',
    value:
      `${n(SECRETS_MANAGER.maxGetSecretValueRequestBytes)} bytes: SecretId, VersionId and VersionStage ` +
      'at their longest (2,048, 64 and 256 characters), every character a 6-character JSON escape',
    source: {
      title: 'GetSecretValue - AWS Secrets Manager (API Reference)',
      url: 'https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_GetSecretValue.html',
      says:
        'SecretId: Length Constraints: Minimum length of 1. Maximum length of 2048. VersionId: Minimum ' +
        'length of 32. Maximum length of 64. VersionStage: Minimum length of 1. Maximum length of 256.',
    },
    standIn:
      'local/aws-json-server.ts: signature headers checked before any body is read, then a body over ' +
      'the limit refused unread (413, connection closed); local/secrets-standin.ts sets it ' +
      '(GetSecretValue is its only operation)',
    code: 'shared/collector/events-api/token-source.ts sends only the secret id',
    test: 'test/local/standin-request-limits.test.ts',
  },
  {
    id: 'secrets-value-size',
    service: 'Secrets Manager',
    limit: 'Secret value size',
    value: `${n(SECRETS_MANAGER.maxSecretValueBytes)} bytes`,
    source: {
      title: 'AWS Secrets Manager quotas',
      url: 'https://docs.aws.amazon.com/secretsmanager/latest/userguide/reference_limits.html',
      says: 'Secret value size: 65,536 bytes.',
    },
    standIn: 'none (a bearer token is about 1 KB)',
    code: 'none needed: the collector only reads the token',
    test: 'none',
  },
  {
    id: 'lambda-timeout',
    service: 'Lambda',
    limit: 'Function timeout',
    value: `${LAMBDA.maxTimeoutSeconds} s`,
    source: {
      title: 'Lambda quotas',
      url: 'https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html',
      says: 'Function timeout: 900 seconds (15 minutes).',
    },
    standIn: 'none: local runs pass a deadline like Lambda’s context',
    code:
      'infra/defaults/catch-up.ts (runTimeoutSecondsFor: the schedule interval less 10 s, at most this; ' +
      '50 s for the default schedule); the run stops requesting pages before its deadline',
    test: 'test/infra/aws-limits.test.ts, test/infra/catch-up.test.ts, test/infra/run-timing.test.ts',
  },
  {
    id: 'lambda-payload',
    service: 'Lambda',
    limit: 'Asynchronous invocation payload; environment variables',
    value:
      `${n(LAMBDA.maxAsyncPayloadBytes)} bytes (1 MB) per event; ${n(LAMBDA.maxEnvironmentBytes)} bytes ` +
      'of environment',
    source: {
      title: 'Lambda quotas',
      url: 'https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html',
      says:
        'For asynchronous invocations, the maximum payload size is 1 MB (Invoke API reference); ' +
        'function environment variables: 4 KB, for all environment variables associated with the ' +
        'function, in aggregate.',
    },
    standIn: 'none',
    code:
      'the schedule sends no payload of its own; infra/props/lambda-environment.ts refuses at synth a ' +
      'function whose environment (DETECTION_SETTINGS grows with the watchlists) is over 4 KB',
    test: 'test/infra/aws-limits.test.ts, test/infra/lambda-environment.test.ts',
  },
  {
    id: 'lambda-async-config',
    service: 'Lambda',
    limit: 'Asynchronous invocation: maximum event age, retry attempts',
    value:
      `${LAMBDA.minMaximumEventAgeSeconds}..${n(LAMBDA.maxMaximumEventAgeSeconds)} s; ` +
      `0..${LAMBDA.maxAsyncRetryAttempts} retries`,
    source: {
      title: 'PutFunctionEventInvokeConfig - AWS Lambda (API Reference)',
      url: 'https://docs.aws.amazon.com/lambda/latest/api/API_PutFunctionEventInvokeConfig.html',
      says:
        'MaximumEventAgeInSeconds: minimum 60, maximum 21600. ' +
        'MaximumRetryAttempts: minimum 0, maximum 2.',
    },
    standIn: 'none',
    code: 'infra/defaults/lambda-defaults.ts: 60 s, 0 retries (the next schedule is the retry)',
    test: 'test/infra/aws-limits.test.ts',
  },
  {
    id: 'glue-athena-names',
    service: 'Athena / Glue',
    limit: 'Database, table and column names',
    value: `lower case, 1..${ATHENA.maxNameBytes} bytes; this project allows [a-z0-9_] only (no dots)`,
    source: {
      title: 'Name databases, tables, and columns - Amazon Athena',
      url: 'https://docs.aws.amazon.com/athena/latest/ug/tables-databases-columns-names.html',
      says:
        'Names in AWS Glue must be a UTF-8 string and should be in lower case; the string must not be ' +
        'less than 1 or more than 255 bytes long.',
    },
    standIn: 'none',
    code: 'infra/props/validation.ts checkGlueName (glueDatabaseName); table names are the event types',
    test: 'test/infra/aws-limits.test.ts, test/infra/config.test.ts',
  },
  {
    id: 'athena-named-query',
    service: 'Athena',
    limit: 'Saved (named) query',
    value:
      `name 1..${ATHENA.maxNamedQueryNameChars}, description ` +
      `1..${n(ATHENA.maxNamedQueryDescriptionChars)}, query 1..${n(ATHENA.maxQueryStringBytes)} ` +
      'characters',
    source: {
      title: 'CreateNamedQuery - Amazon Athena (API Reference)',
      url: 'https://docs.aws.amazon.com/athena/latest/APIReference/API_CreateNamedQuery.html',
      says:
        'Name: maximum length of 128. Description: maximum length of 1024. QueryString: maximum length ' +
        'of 262144.',
    },
    standIn: 'none',
    code: 'shared/sql/named-queries.ts; infra/constructs/onepassword-events-pipeline.ts',
    test: 'test/infra/aws-limits.test.ts',
  },
  {
    id: 'scheduler-retry-policy',
    service: 'EventBridge Scheduler',
    limit: 'Target retry policy',
    value:
      'MaximumEventAgeInSeconds ' +
      `${SCHEDULER.minMaximumEventAgeSeconds}..${n(SCHEDULER.maxMaximumEventAgeSeconds)}; ` +
      `MaximumRetryAttempts 0..${SCHEDULER.maxRetryAttempts}`,
    source: {
      title: 'RetryPolicy - EventBridge Scheduler (API Reference)',
      url: 'https://docs.aws.amazon.com/scheduler/latest/APIReference/API_RetryPolicy.html',
      says:
        'MaximumEventAgeInSeconds: minimum 60, maximum 86400. ' +
        'MaximumRetryAttempts: minimum 0, maximum 185.',
    },
    standIn: 'none',
    code: 'infra/constructs/event-type-collector.ts: 60 s, 0 retries',
    test: 'test/infra/aws-limits.test.ts',
  },
  {
    id: 'cloudwatch-alarms',
    service: 'CloudWatch',
    limit: 'Alarm evaluation range, name and description',
    value:
      `Period × EvaluationPeriods ≤ ${n(CLOUDWATCH.maxEvaluationSeconds)} s (≤ ` +
      `${n(CLOUDWATCH.maxEvaluationSecondsShortPeriod)} s for periods under an hour); name ≤ ` +
      `${CLOUDWATCH.maxAlarmNameChars}, description ≤ ${n(CLOUDWATCH.maxAlarmDescriptionChars)} ` +
      'characters',
    source: {
      title: 'PutMetricAlarm - Amazon CloudWatch (API Reference)',
      url: 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html',
      says:
        'An alarm’s total current evaluation period can be no longer than seven days (604,800 seconds); ' +
        'for a period of less than one hour, one day (86,400 seconds).',
    },
    standIn: 'none',
    code: 'infra/constructs/event-type-collector.ts alarms; noEventsWindow is 1..168 hourly periods',
    test: 'test/infra/aws-limits.test.ts',
  },
  {
    id: 'physical-names',
    service: 'Athena, CloudWatch, CloudWatch Logs',
    limit: 'Names of the workgroup, the dashboard and the saved Logs Insights queries',
    value:
      `workgroup ${ATHENA.workGroupNamePattern.source}; dashboard ` +
      `${CLOUDWATCH.dashboardNamePattern.source}; query definition ` +
      `1..${CLOUDWATCH.maxQueryDefinitionNameChars} characters`,
    source: {
      title:
        'GetWorkGroup - Amazon Athena (API Reference); PutDashboard - Amazon CloudWatch (API ' +
        'Reference); AWS::Logs::QueryDefinition (CloudFormation)',
      url: 'https://docs.aws.amazon.com/athena/latest/APIReference/API_GetWorkGroup.html',
      says:
        'WorkGroup: Pattern [a-zA-Z0-9._-]{1,128}. DashboardName: the maximum length is 255, and valid ' +
        'characters are A-Z, a-z, 0-9, "-", and "_". QueryDefinition Name: minimum 1, maximum 255.',
    },
    standIn: 'none',
    code: 'infra/defaults/physical-names.ts: a prefix of at most 100 characters from the construct path',
    test: 'test/infra/consumer-app.test.ts',
  },
  {
    id: 'eventbridge-put-events-entries',
    service: 'EventBridge',
    limit: 'Entries in one PutEvents call',
    value: `1..${EVENTBRIDGE.maxEntriesPerPutEvents}`,
    source: {
      title: 'PutEvents - Amazon EventBridge (API Reference)',
      url: 'https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEvents.html',
      says:
        'Entries: Array Members: Minimum number of 1 item. Maximum number of 10 items. A failed entry is ' +
        'reported in the 200 answer (FailedEntryCount, ErrorCode per entry); the caller sends it again.',
    },
    standIn: 'local/eventbridge-standin.ts: ValidationException; per-entry failures with FailedEntryCount',
    code:
      'shared/detections/alert-event.ts putEventsBatches; shared/detections/alert-publisher.ts re-sends ' +
      'failed entries',
    test: 'test/local/eventbridge-standin.test.ts, test/shared/detections/alert-publisher.test.ts',
  },
  {
    id: 'eventbridge-entry-size',
    service: 'EventBridge',
    limit: 'Size of a PutEvents entry, and of a call',
    value: `${n(EVENTBRIDGE.maxEntryBytes)} bytes (256 KB) per entry and per call`,
    source: {
      title: 'Calculating Amazon EventBridge PutEvents event entry size (EventBridge User Guide)',
      url: 'https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-putevents.html#eb-putevent-size',
      says:
        'The total entry size must be less than 256KB; the size is the UTF-8 bytes of Source, ' +
        'DetailType, Detail and each Resources entry, and 14 bytes for Time when it is set. (A newer ' +
        'edition of the API reference says 1 MB; the stand-in keeps the smaller figure, which the ' +
        'publisher stays under either way.)',
    },
    standIn:
      'local/eventbridge-standin.ts: a call whose entries pass it (one large entry included) is ' +
      'refused with ValidationException',
    code: 'shared/detections/alert-event.ts: details cut to 16 KiB, calls packed under 256 KB',
    test: 'test/local/eventbridge-standin.test.ts, test/shared/detections/alert-publisher.test.ts',
  },
];
