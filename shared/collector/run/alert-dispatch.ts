import type { EventType } from '../../contracts/event-types';
import { type AlertDetail, alertDetail } from '../../detections/alert-event';
import type { AlertOutbox } from '../../detections/alert-outbox';
import type { AlertPublisher } from '../../detections/alert-publisher';
import type { Detection } from '../../detections/detection';
import { describeError } from '../../util/errors';
import type { Telemetry } from './telemetry';

/** What a run's alerts came to, for its summary and metrics. */
export interface AlertCounts {
  /** Alerts the run's pages raised (a repeated page raises its alerts again). */
  readonly raised: number;
  /** Alerts EventBridge accepted. */
  readonly published: number;
  /** Alerts not sent: a repeat of the same rule and group key inside the suppression window. */
  readonly suppressed: number;
  /** Alerts that could not be published in this run (they stay staged; a later run sends them). */
  readonly publishFailures: number;
  /** Alerts still staged when the run ended. */
  readonly pending: number;
}

export interface AlertDispatchOptions {
  readonly outbox: AlertOutbox;
  readonly publisher: AlertPublisher;
  /** The one-event rules of the collected type over a page's parsed events (none for the scheduled rules). */
  readonly evaluate?: (type: EventType, events: readonly Record<string, unknown>[]) => Detection[];
  /** Repeats of one (rule, group key) within this long are not sent again. */
  readonly suppressionMs: number;
  readonly telemetry: Telemetry;
  readonly now?: () => number;
}

/**
 * The collector's side of the alert path, in the order of the commit protocol: `detect` runs on a
 * page's parsed events as its lines are built; `stage` writes the page's alerts to the outbox before
 * its cursor is committed; `publishAfterCommit` sends them once it is, behind the page chain so
 * that no delivery ever waits for EventBridge; `resumeStaged` sends what earlier runs left staged;
 * `settle` waits for the sends before the run ends. A publish that fails leaves its alerts staged
 * and is counted; it never fails the run.
 */
export class AlertDispatch {
  private sending: Promise<void> = Promise.resolve();
  private raised = 0;
  private published = 0;
  private suppressed = 0;
  private publishFailures = 0;
  /** Ids staged (by this run or found staged) and not cleared. */
  private readonly outstanding = new Set<string>();

  constructor(private readonly options: AlertDispatchOptions) {}

  /** The alerts of a page (one per detection id: a page holding a repeat raises it once). */
  detect(type: EventType, events: readonly unknown[]): AlertDetail[] {
    // The API's items are objects; anything else is delivered as it came and matches no rule.
    const objects = events.every(isObject) ? events : events.filter(isObject);
    const detections = this.options.evaluate?.(type, objects as readonly Record<string, unknown>[]) ?? [];
    if (detections.length === 0) return [];
    const byId = new Map<string, AlertDetail>();
    for (const detection of detections) {
      const detail = alertDetail(detection);
      byId.set(detail.alert_id, detail);
    }
    return [...byId.values()];
  }

  /**
   * Before the page's commit: a failure here fails the commit, so the page is delivered and
   * evaluated again.
   */
  async stage(alerts: readonly AlertDetail[], deadlineMs: number): Promise<void> {
    if (alerts.length === 0) return;
    await this.options.outbox.stage(alerts, deadlineMs);
    this.raised += alerts.length;
    for (const alert of alerts) this.outstanding.add(alert.alert_id);
  }

  /** After the page's commit: queued behind earlier sends; the page chain does not wait for it. */
  publishAfterCommit(alerts: readonly AlertDetail[], deadlineMs: number): void {
    if (alerts.length === 0) return;
    this.enqueue(() => this.send(alerts, deadlineMs));
  }

  /** What earlier runs staged and did not send (a crash, a failed publish), sent in the background. */
  resumeStaged(deadlineMs: number): void {
    this.enqueue(async () => {
      const staged = await this.options.outbox.pending(deadlineMs);
      if (staged.length === 0) return;
      for (const alert of staged) this.outstanding.add(alert.alert_id);
      this.options.telemetry.info('Sending alerts staged by an earlier run', { alerts: staged.length });
      await this.send(staged, deadlineMs);
    });
  }

  /** Waits for every queued send, then the run's counts. */
  async settle(): Promise<AlertCounts> {
    await this.sending;
    return {
      raised: this.raised,
      published: this.published,
      suppressed: this.suppressed,
      publishFailures: this.publishFailures,
      pending: this.outstanding.size,
    };
  }

  private enqueue(work: () => Promise<void>): void {
    this.sending = this.sending.then(work).catch((error) => {
      // Reading or clearing the outbox failed: what is staged stays staged for the next run.
      this.options.telemetry.warn('Alerts could not be read or cleared; they stay staged for the next run', {
        error: describeError(error),
      });
    });
  }

  /** Claims each alert's suppression slot, publishes the claimed ones, clears what is done. */
  private async send(alerts: readonly AlertDetail[], deadlineMs: number): Promise<void> {
    const { outbox, publisher, telemetry, suppressionMs } = this.options;
    const claims = await Promise.allSettled(
      alerts.map((alert) => outbox.claim(alert, suppressionMs, deadlineMs)),
    );
    const toSend: AlertDetail[] = [];
    const done: string[] = [];
    const failures: { alertId: string; error: string }[] = [];
    claims.forEach((claim, i) => {
      const alert = alerts[i] as AlertDetail;
      if (claim.status === 'rejected')
        failures.push({ alertId: alert.alert_id, error: describeError(claim.reason) });
      else if (claim.value) toSend.push(alert);
      else {
        this.suppressed++;
        done.push(alert.alert_id);
      }
    });
    const result =
      toSend.length > 0 ? await publisher.publish(toSend, deadlineMs) : { published: [], failed: [] };
    const sent = new Set(result.published);
    for (const alert of toSend) {
      if (!sent.has(alert.alert_id)) continue;
      this.published++;
      done.push(alert.alert_id);
      telemetry.info('Alert published', {
        alertId: alert.alert_id,
        ruleId: alert.rule_id,
        severity: alert.severity,
        title: alert.title,
        events: alert.event_count,
      });
    }
    failures.push(...result.failed);
    this.publishFailures += failures.length;
    if (failures.length > 0) {
      telemetry.warn('Alerts could not be published; they stay staged and the next run sends them', {
        alerts: failures.length,
        firstError: failures[0]?.error,
      });
    }
    // Marked sent before clearing: a crash in between leaves a staged alert that its claim then suppresses.
    await Promise.all(
      toSend.filter((alert) => sent.has(alert.alert_id)).map((alert) => outbox.markSent(alert, deadlineMs)),
    );
    await outbox.clear(done, deadlineMs);
    for (const id of done) this.outstanding.delete(id);
  }
}

function isObject(item: unknown): boolean {
  return typeof item === 'object' && item !== null && !Array.isArray(item);
}
