/**
 * us-east-1 list prices the cost model uses, each with where it was read (looked up for this bench
 * in November 2026; free tiers are left out of the model and noted in RESULTS.md). GB = 2^30 bytes,
 * as AWS bills them.
 */
export interface Price {
  readonly usd: number;
  readonly unit: string;
  readonly source: string;
}

const LAMBDA = 'https://aws.amazon.com/lambda/pricing/';
const FIREHOSE = 'https://aws.amazon.com/firehose/pricing/';
const DYNAMODB = 'https://aws.amazon.com/dynamodb/pricing/on-demand/';
const SECRETS = 'https://aws.amazon.com/secrets-manager/pricing/';
const S3 = 'https://aws.amazon.com/s3/pricing/';
const EVENTBRIDGE = 'https://aws.amazon.com/eventbridge/pricing/';
const CLOUDWATCH = 'https://aws.amazon.com/cloudwatch/pricing/';

export const PRICES = {
  lambdaArmGbSecond: { usd: 0.0000133334, unit: 'GB-second (arm64, first 7.5 billion)', source: LAMBDA },
  lambdaRequest: { usd: 0.2 / 1e6, unit: 'request', source: LAMBDA },
  firehoseIngestedGb: {
    usd: 0.029,
    unit: 'GB ingested, Direct PUT, records rounded up to 5 KB (first 500 TB)',
    source: FIREHOSE,
  },
  dynamicPartitioningGb: { usd: 0.02, unit: 'GB processed by dynamic partitioning', source: FIREHOSE },
  dynamicPartitioningObject: {
    usd: 0.005 / 1000,
    unit: 'S3 object delivered by dynamic partitioning',
    source: FIREHOSE,
  },
  jqProcessingHour: {
    usd: 0.07,
    unit: 'JQ processing hour (metering unit not stated precisely)',
    source: FIREHOSE,
  },
  dynamoWriteUnit: { usd: 0.625 / 1e6, unit: 'on-demand write request unit (1 KB)', source: DYNAMODB },
  dynamoReadUnit: { usd: 0.125 / 1e6, unit: 'on-demand read request unit (4 KB)', source: DYNAMODB },
  secretPerMonth: { usd: 0.4, unit: 'secret-month', source: SECRETS },
  secretsApiCall: { usd: 0.05 / 10_000, unit: 'API call', source: SECRETS },
  s3Put: { usd: 0.005 / 1000, unit: 'PUT request (S3 Standard)', source: S3 },
  s3StorageGbMonth: { usd: 0.023, unit: 'GB-month, S3 Standard (first 50 TB)', source: S3 },
  schedulerInvocation: {
    usd: 1 / 1e6,
    unit: 'EventBridge Scheduler invocation (after 14 million free a month)',
    source: EVENTBRIDGE,
  },
  logsIngestedGb: { usd: 0.5, unit: 'GB of CloudWatch Logs ingested (standard class)', source: CLOUDWATCH },
  customMetricMonth: {
    usd: 0.3,
    unit: 'custom metric-month (first 10,000; prorated by the hour)',
    source: CLOUDWATCH,
  },
  alarmMonth: { usd: 0.1, unit: 'standard-resolution alarm-month', source: CLOUDWATCH },
  dashboardMonth: { usd: 3, unit: "dashboard-month (the account's first 3 are free)", source: CLOUDWATCH },
} as const satisfies Record<string, Price>;

export const GB = 2 ** 30;
