/**
 * us-east-1 list prices the cost model uses, each with its AWS pricing page and where the figure was
 * actually read (looked up for this bench in November 2026 with the search tool over stored pages;
 * free tiers are left out of the model and noted in RESULTS.md). GB = 2^30 bytes, as AWS bills them.
 */
export interface Price {
  /** USD per one billed unit (request, GB, GB-second, month...). */
  readonly usd: number;
  /** What is billed. */
  readonly item: string;
  /** The price as the pricing page states it. */
  readonly quoted: string;
  /** The AWS pricing page. */
  readonly source: string;
  /** Where the figure was read: this machine reaches no AWS page, only stored copies and summaries. */
  readonly readFrom: string;
}

/** Where a service's prices come from: its AWS pricing page and where its figures were read. */
interface PriceSource {
  readonly source: string;
  readonly readFrom: string;
}

const LAMBDA: PriceSource = {
  source: 'https://aws.amazon.com/lambda/pricing/',
  readFrom:
    "summaries quoting the page's arm64 table (cloudchipr.com; lambda_local_runner docs on " +
    'git.mcrn.ar); INIT billing since August 2025 from news summaries',
};
const FIREHOSE = 'https://aws.amazon.com/firehose/pricing/';
const FIREHOSE_INGEST: PriceSource = {
  source: FIREHOSE,
  readFrom:
    'aws.amazon.com/firehose/pricing (stored de/ja copies: 5 KB = 5,120-byte rounding) and ' +
    'repositories quoting $0.029/GB',
};
const FIREHOSE_DP: PriceSource = {
  source: FIREHOSE,
  readFrom:
    'a public repository quoting the Firehose pricing page ($0.020/GB, $0.005 per 1,000 objects, ' +
    '$0.07 per JQ hour)',
};
const DYNAMODB: PriceSource = {
  source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/',
  readFrom: 'airbyte.com summary of the on-demand page after the November 2024 reduction',
};
const SECRETS: PriceSource = {
  source: 'https://aws.amazon.com/secrets-manager/pricing/',
  readFrom: 'summaries quoting the Secrets Manager page (hivebook.wiki)',
};
const S3: PriceSource = {
  source: 'https://aws.amazon.com/s3/pricing/',
  readFrom: 'summaries quoting the S3 page (deepeshsoni.com, cloudkaramchari.com)',
};
const EVENTBRIDGE: PriceSource = {
  source: 'https://aws.amazon.com/eventbridge/pricing/',
  readFrom: 'cloudburn.io summary of EventBridge pricing (March 2026)',
};
const CLOUDWATCH: PriceSource = {
  source: 'https://aws.amazon.com/cloudwatch/pricing/',
  readFrom:
    'summaries quoting the CloudWatch page (signoz.io, factualminds.com) and its stored free-tier table',
};

export const PRICES = {
  lambdaArmGbSecond: {
    usd: 0.0000133334,
    item: 'Lambda duration, arm64 (first 7.5 billion GB-s a month)',
    quoted: '$0.0000133334 per GB-second',
    ...LAMBDA,
  },
  lambdaRequest: {
    usd: 0.2 / 1e6,
    item: 'Lambda requests',
    quoted: '$0.20 per 1M requests',
    ...LAMBDA,
  },
  firehoseIngestedGb: {
    usd: 0.029,
    item: 'Firehose Direct PUT ingestion, each record rounded up to 5 KB (first 500 TB)',
    quoted: '$0.029 per GB',
    ...FIREHOSE_INGEST,
  },
  dynamicPartitioningGb: {
    usd: 0.02,
    item: 'Firehose dynamic partitioning, data processed',
    quoted: '$0.020 per GB',
    ...FIREHOSE_DP,
  },
  dynamicPartitioningObject: {
    usd: 0.005 / 1000,
    item: 'Firehose dynamic partitioning, objects delivered',
    quoted: '$0.005 per 1,000 objects',
    ...FIREHOSE_DP,
  },
  jqProcessingHour: {
    usd: 0.07,
    item: 'Firehose dynamic partitioning, JQ processing (metering not defined)',
    quoted: '$0.07 per hour',
    ...FIREHOSE_DP,
  },
  dynamoWriteUnit: {
    usd: 0.625 / 1e6,
    item: 'DynamoDB on-demand write request units (1 KB each)',
    quoted: '$0.625 per million WRU',
    ...DYNAMODB,
  },
  dynamoReadUnit: {
    usd: 0.125 / 1e6,
    item: 'DynamoDB on-demand read request units (4 KB each)',
    quoted: '$0.125 per million RRU',
    ...DYNAMODB,
  },
  secretPerMonth: {
    usd: 0.4,
    item: 'Secrets Manager secret',
    quoted: '$0.40 per secret per month',
    ...SECRETS,
  },
  secretsApiCall: {
    usd: 0.05 / 10_000,
    item: 'Secrets Manager API calls',
    quoted: '$0.05 per 10,000 API calls',
    ...SECRETS,
  },
  s3Put: {
    usd: 0.005 / 1000,
    item: 'S3 Standard PUT requests',
    quoted: '$0.005 per 1,000 requests',
    ...S3,
  },
  s3StorageGbMonth: {
    usd: 0.023,
    item: 'S3 Standard storage (first 50 TB)',
    quoted: '$0.023 per GB-month',
    ...S3,
  },
  schedulerInvocation: {
    usd: 1 / 1e6,
    item: 'EventBridge Scheduler invocations (after 14 million free a month)',
    quoted: '$1.00 per million invocations',
    ...EVENTBRIDGE,
  },
  logsIngestedGb: {
    usd: 0.5,
    item: 'CloudWatch Logs ingestion (standard class)',
    quoted: '$0.50 per GB',
    ...CLOUDWATCH,
  },
  customMetricMonth: {
    usd: 0.3,
    item: 'CloudWatch custom metrics (first 10,000; prorated by the hour)',
    quoted: '$0.30 per metric-month',
    ...CLOUDWATCH,
  },
  alarmMonth: {
    usd: 0.1,
    item: 'CloudWatch standard-resolution alarms',
    quoted: '$0.10 per alarm-month',
    ...CLOUDWATCH,
  },
  dashboardMonth: {
    usd: 3,
    item: "CloudWatch dashboards (the account's first 3 are free)",
    quoted: '$3.00 per dashboard-month',
    ...CLOUDWATCH,
  },
} as const satisfies Record<string, Price>;

export const GB = 2 ** 30;
