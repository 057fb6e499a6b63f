/**
 * CloudWatch metric names the collector emits (Embedded Metric Format), in namespace
 * `METRICS_NAMESPACE` with the dimension `EventType`. The stack's alarms and dashboard
 * import these names, so renaming one here renames it everywhere. Counts that are usually zero are
 * emitted only when non-zero (custom metrics are billed per metric-hour); alarms on them treat
 * missing data as not breaching.
 */
export const METRICS_NAMESPACE = 'OnePasswordEvents';
export const METRIC_DIMENSION = 'EventType';

export const Metric = {
  /** Events accepted by Firehose in a run. */
  EventsDelivered: 'EventsDelivered',
  /** Pages read from the Events API in a run (empty pages included). */
  PagesFetched: 'PagesFetched',
  /** 1 per run that ended with an error. */
  RunFailed: 'RunFailed',
  /** 1 per run that failed because the token was refused (401/403) or lacks the type's feature. */
  AuthFailures: 'AuthFailures',
  /**
   * 1 per run that failed because there is no usable token: secret missing, empty, the placeholder,
   * or unreadable.
   */
  TokenMissing: 'TokenMissing',
  /**
   * 1 per run that failed because the Events API kept failing (5xx, timeouts, broken answers) beyond
   * its retries.
   */
  ApiUnavailable: 'ApiUnavailable',
  /**
   * 1 per run that failed because the token belongs to another 1Password account than the one
   * collected so far.
   */
  AccountChanged: 'AccountChanged',
  /**
   * 1 per run that failed because Firehose did not take its records: PutRecordBatch refused
   * (permissions, a missing stream) or kept failing records beyond the retries, or the stream's
   * throughput quota could not take the page before the deadline.
   */
  FirehosePutFailures: 'FirehosePutFailures',
  /** Seconds until the token expires (its `exp` claim), every run while it has one. */
  TokenExpiresInSeconds: 'TokenExpiresInSeconds',
  /** Pages the API answered with the cursor they were asked with while has_more stayed true. */
  StuckPages: 'StuckPages',
  /**
   * 1 per run that stopped because the Events API throttled beyond what the run could wait (a normal
   * stop).
   */
  Throttles: 'Throttles',
  /** 429 answers from the Events API (waited out or not). */
  ApiThrottles: 'ApiThrottles',
  /** Events API requests retried (429, 5xx, network, timeouts, torn bodies). */
  ApiRetries: 'ApiRetries',
  /**
   * How far behind the API the collector is: now minus the newest delivered event while a backlog
   * remains (has_more), 0 when a run caught up. A quiet account therefore does not look stale.
   */
  LagSeconds: 'LagSeconds',
  /** Age: the largest "receipt time minus event timestamp" among the events of a run, in seconds. */
  MaxEventAgeSeconds: 'MaxEventAgeSeconds',
  /**
   * Lateness, meaning out-of-order arrival: how far the run's most out-of-order event was behind a
   * newer event already collected, in seconds (0 when all arrived in time order). Emitted by runs
   * that delivered events.
   */
  MaxEventLatenessSeconds: 'MaxEventLatenessSeconds',
  /** Events that may reach S3 twice (pages repeated after a fault or a cursor fallback). */
  DuplicatesPossible: 'DuplicatesPossible',
  /** Events Firehose had accepted in a partially failed call and that were therefore not re-sent. */
  DuplicatesAvoided: 'DuplicatesAvoided',
  /** Runs that did not start because another run of the same type held the lease. */
  LeaseBusy: 'LeaseBusy',
  /** Events that did not match the event schema (still delivered unchanged). */
  SchemaMismatches: 'SchemaMismatches',
  /** Events larger than one Firehose record, delivered split in chunks. */
  OversizedEvents: 'OversizedEvents',
  /**
   * Events JSON readers would read differently (a key twice in one object, a lone surrogate escape),
   * delivered with one reading every engine shares and their text as sent in `_collector.as_sent`.
   */
  AmbiguousEvents: 'AmbiguousEvents',
  /**
   * Events filed under the day they were received instead of their own: the timestamp is missing,
   * unreadable, or a date Athena's `dt` projection does not reach (before its first date, or after
   * tomorrow). `_collector.date_fallback` says which.
   */
  EventsOnReceiveDate: 'EventsOnReceiveDate',
  /** Firehose records re-sent after a partial failure. */
  FirehoseRecordRetries: 'FirehoseRecordRetries',
  /** The stored cursor was rejected and the run restarted from a timestamp. */
  CursorFallbacks: 'CursorFallbacks',
  /** Alerts (detections of the one-event rules, or of the scheduled rules) EventBridge accepted. */
  AlertsPublished: 'AlertsPublished',
  /** Alerts not sent: a repeat of the same rule and group key inside the suppression window. */
  AlertsSuppressed: 'AlertsSuppressed',
  /**
   * Alerts that could not be published (PutEvents failed for them beyond its retries, or their
   * suppression row could not be written). They stay staged in the cursor table and a later run
   * sends them; ingestion goes on regardless. Its own alarm.
   */
  AlertPublishFailures: 'AlertPublishFailures',
  /** Alerts still staged, unpublished, when a run ended. */
  AlertsPending: 'AlertsPending',
  /** Window rules whose Athena query failed in a scheduled run (dimension EventType = scheduled-rules). */
  WindowRuleFailures: 'WindowRuleFailures',
  /** Bytes the scheduled rules' Athena queries scanned in a run (what they cost: $5 per TB). */
  AthenaBytesScanned: 'AthenaBytesScanned',
} as const;

export type MetricName = (typeof Metric)[keyof typeof Metric];
