import { Metric, type MetricName } from '../../contracts/metric-names';
import {
  AccountChangedError,
  ApiUnavailableError,
  AuthError,
  DeliveryError,
  SecretError,
} from '../../util/errors';
import type { AlertCounts } from './alert-dispatch';
import type { RunSummary } from './run-types';
import type { Telemetry } from './telemetry';

/**
 * The failures that have an alarm of their own, by the metric that counts them (1 per failed run).
 * The failed-runs alarm leaves them out (infra/constructs/alarms.ts), so that one cause raises one alarm.
 */
export const FAILURES_WITH_OWN_ALARM = [
  Metric.TokenMissing,
  Metric.AuthFailures,
  Metric.ApiUnavailable,
  Metric.AccountChanged,
  Metric.FirehosePutFailures,
] as const satisfies readonly MetricName[];

/** The metric that says why a run failed, when the cause has an alarm of its own. */
export function failureMetric(error: unknown): (typeof FAILURES_WITH_OWN_ALARM)[number] | undefined {
  if (error instanceof SecretError) return Metric.TokenMissing;
  if (error instanceof AuthError) return Metric.AuthFailures;
  if (error instanceof ApiUnavailableError) return Metric.ApiUnavailable;
  if (error instanceof AccountChangedError) return Metric.AccountChanged;
  if (error instanceof DeliveryError) return Metric.FirehosePutFailures;
  return undefined;
}

/**
 * One log line and the metrics of a finished run. Counts that are usually zero are emitted only
 * when non-zero (custom metrics are billed per metric-hour; their alarms treat missing data as not
 * breaching). LagSeconds is collection lag: 0 once a run has caught up with the API.
 */
export function reportRun(telemetry: Telemetry, summary: RunSummary, failure?: unknown): void {
  if (summary.status === 'failed') telemetry.error('Run failed', { ...summary });
  else telemetry.info('Run finished', { ...summary });
  const countIfAny = (name: MetricName, value: number) => {
    if (value > 0) telemetry.metric(name, value);
  };
  countIfAny(Metric.RunFailed, summary.status === 'failed' ? 1 : 0);
  const cause = failure === undefined ? undefined : failureMetric(failure);
  if (cause) telemetry.metric(cause, 1);
  countIfAny(Metric.Throttles, summary.stopReason === 'throttled' ? 1 : 0);
  countIfAny(Metric.LeaseBusy, summary.status === 'lease_busy' ? 1 : 0);
  telemetry.metric(Metric.EventsDelivered, summary.events);
  countIfAny(Metric.PagesFetched, summary.pages);
  countIfAny(Metric.ApiRetries, summary.retries);
  countIfAny(Metric.ApiThrottles, summary.throttles);
  countIfAny(Metric.DuplicatesPossible, summary.duplicatesPossible);
  countIfAny(Metric.DuplicatesAvoided, summary.duplicatesAvoided);
  countIfAny(Metric.SchemaMismatches, summary.schemaMismatches);
  countIfAny(Metric.OversizedEvents, summary.oversizedEvents);
  countIfAny(Metric.AmbiguousEvents, summary.ambiguousEvents);
  countIfAny(Metric.EventsOnReceiveDate, summary.eventsOnReceiveDate);
  countIfAny(Metric.FirehoseRecordRetries, summary.recordRetries);
  countIfAny(Metric.CursorFallbacks, summary.cursorFallback ? 1 : 0);
  countIfAny(Metric.StuckPages, summary.stuckPages);
  if (summary.tokenExpiresInSeconds !== undefined) {
    telemetry.metric(Metric.TokenExpiresInSeconds, Math.max(0, summary.tokenExpiresInSeconds));
  }
  if (summary.status === 'ok') {
    telemetry.metric(Metric.LagSeconds, summary.hasMore ? (summary.lagSeconds ?? 0) : 0);
  }
  if (summary.maxEventAgeSeconds !== undefined) {
    telemetry.metric(Metric.MaxEventAgeSeconds, summary.maxEventAgeSeconds);
  }
  if (summary.maxLatenessSeconds !== undefined) {
    telemetry.metric(Metric.MaxEventLatenessSeconds, summary.maxLatenessSeconds);
  }
  if (summary.alerts) reportAlertCounts(telemetry, summary.alerts);
  telemetry.flush();
}

/**
 * What a run's alerts came to, as metrics emitted only when non-zero: a collector run's, and a run of
 * the scheduled rules (functions/detections/scheduled-rules.ts).
 */
export function reportAlertCounts(telemetry: Telemetry, alerts: AlertCounts): void {
  const counts: [MetricName, number][] = [
    [Metric.AlertsPublished, alerts.published],
    [Metric.AlertsSuppressed, alerts.suppressed],
    [Metric.AlertPublishFailures, alerts.publishFailures],
    [Metric.AlertsPending, alerts.pending],
  ];
  for (const [name, value] of counts) if (value > 0) telemetry.metric(name, value);
}
