/**
 * The alert as it leaves the pipeline: an Amazon EventBridge event whose `detail` is the detection
 * (shared/detections/detection.ts) with an id and a schema version. docs/detections.md ("Alert
 * events") documents this shape; users route it with their own EventBridge rules, so changing a
 * name here is a breaking change for them.
 */
import { createHash } from 'node:crypto';
import { EVENTBRIDGE } from '../contracts/aws-limits';
import type { Detection } from './detection';

/** `source` of every alert event (EventBridge reserves `aws.`; this is the project's own). */
export const ALERT_SOURCE = 'onepassword-events-to-s3';
/** `detail-type` of every alert event. */
export const ALERT_DETAIL_TYPE = '1Password Detection';
/** Raised when the detail's shape changes incompatibly. */
export const ALERT_SCHEMA_VERSION = 1;

/**
 * The largest detail an alert is given: well under PutEvents' entry limit, so that a batch of
 * several alerts still fits in one call. Larger detections keep their first event uuids only.
 */
export const MAX_ALERT_DETAIL_BYTES = 16 * 1024;

/** The `detail` of an alert event. */
export interface AlertDetail extends Detection {
  /** Stable over repeats of the same detection (same rule, group key and events): the at-least-once key. */
  readonly alert_id: string;
  readonly schema_version: number;
  /** How many events the detection holds; `event_uuids` lists all of them unless `event_uuids_truncated`. */
  readonly event_count: number;
  readonly event_uuids_truncated?: true;
}

/** The id of a detection: the same rule, group key and events give the same id, on any page, in any run. */
export function alertId(detection: Detection): string {
  const hash = createHash('sha256').update(detection.rule_id).update('\0').update(detection.group_key);
  for (const uuid of [...detection.event_uuids].sort()) hash.update('\0').update(uuid);
  return hash.digest('base64url').slice(0, 32);
}

/** A detection as an alert detail, cut to MAX_ALERT_DETAIL_BYTES by keeping fewer event uuids. */
export function alertDetail(detection: Detection): AlertDetail {
  const full: AlertDetail = {
    ...detection,
    alert_id: alertId(detection),
    schema_version: ALERT_SCHEMA_VERSION,
    event_count: detection.event_uuids.length,
  };
  if (byteLength(JSON.stringify(full)) <= MAX_ALERT_DETAIL_BYTES) return full;
  let keep = detection.event_uuids.length;
  let cut: AlertDetail = full;
  while (keep > 1 && byteLength(JSON.stringify(cut)) > MAX_ALERT_DETAIL_BYTES) {
    keep = Math.floor(keep / 2);
    cut = { ...full, event_uuids: detection.event_uuids.slice(0, keep), event_uuids_truncated: true };
  }
  return cut;
}

/** One PutEvents entry. */
export interface AlertEntry {
  readonly Source: string;
  readonly DetailType: string;
  readonly Detail: string;
  readonly EventBusName: string;
  readonly Resources: string[];
}

export function alertEntry(detail: AlertDetail, eventBusName: string): AlertEntry {
  return {
    Source: ALERT_SOURCE,
    DetailType: ALERT_DETAIL_TYPE,
    Detail: JSON.stringify(detail),
    EventBusName: eventBusName,
    Resources: [],
  };
}

/**
 * An entry's size as EventBridge counts it ("Calculating PutEvents event entry size"): the UTF-8
 * bytes of Source, DetailType, Detail and each resource, and 14 bytes for Time when it is set.
 */
export function entrySizeBytes(entry: {
  readonly Source?: string;
  readonly DetailType?: string;
  readonly Detail?: string;
  readonly Resources?: readonly string[];
  readonly Time?: unknown;
}): number {
  let size = entry.Time === undefined ? 0 : 14;
  size +=
    byteLength(entry.Source ?? '') + byteLength(entry.DetailType ?? '') + byteLength(entry.Detail ?? '');
  for (const resource of entry.Resources ?? []) size += byteLength(resource);
  return size;
}

/** Splits entries into PutEvents calls within EVENTBRIDGE's entry count and size per call. */
export function putEventsBatches<T extends AlertEntry>(entries: readonly T[]): T[][] {
  const batches: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const entry of entries) {
    const size = entrySizeBytes(entry);
    if (
      current.length > 0 &&
      (current.length >= EVENTBRIDGE.maxEntriesPerPutEvents || bytes + size > EVENTBRIDGE.maxPutEventsBytes)
    ) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(entry);
    bytes += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

function byteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}
