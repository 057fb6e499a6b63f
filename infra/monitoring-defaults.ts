import { Duration } from 'aws-cdk-lib';

/** Alarm defaults; each is overridable through the construct's props. */
export const ALARM_DEFAULTS = {
  /** No EventsDelivered in this window (missing data counts as breaching). Whole hours, 1..168. */
  noEventsWindow: Duration.hours(24),
  /** LagSeconds (how far behind the API a run that left a backlog is) above this for 3 periods of 5 minutes. */
  freshnessThreshold: Duration.hours(2),
  /** Failed runs per 5 minutes that, for 3 periods in a row, mean collection has stopped. */
  failedRunsPer5Minutes: 3,
  /** Minutes in which every 5 minutes saw a run stopped by throttling (a multiple of 5). */
  throttledMinutes: 30,
  /** Days before the token's expiry that the token-expiring alarm fires. */
  tokenExpiryDays: 14,
  /** Lambda errors (crashes, timeouts) per 15 minutes. */
  functionErrorsPer15Minutes: 3,
} as const;

/** Athena workgroup defaults. */
export const ATHENA_DEFAULTS = {
  /** A query that would scan more is cancelled: 10 GiB costs about $0.05 at $5/TB. */
  bytesScannedCutoffPerQuery: 10 * 1024 ** 3,
  engineVersion: 'Athena engine version 3',
} as const;

/** Glue database name (also the database of the named queries). */
export const DEFAULT_GLUE_DATABASE = 'onepassword_events';

/** First day of the `dt` partition projection range (before the API existed in v2 form). */
export const PARTITION_PROJECTION_START = '2020-01-01';
