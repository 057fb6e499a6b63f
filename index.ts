/**
 * The package entry point (`import { OnePasswordEventsPipeline } from 'onepassword-events-to-s3'`):
 * the construct with its props, the deployable stack, and the event type names.
 */

export {
  OnePasswordEventsStack,
  type OnePasswordEventsStackProps,
} from './infra/app/onepassword-events-stack';
export {
  ALARM_RUNBOOK,
  type AlarmRunbookEntry,
  SCHEDULED_RULES_ALARM_RUNBOOK,
} from './infra/constructs/alarm-runbook';
export { DetectionAlerts } from './infra/constructs/detection-alerts';
export { EventTypeCollector } from './infra/constructs/event-type-collector';
export {
  type AlarmOptions,
  type CollectorFunctionOptions,
  type CollectorOptions,
  ConfigurationError,
  type CursorTableOptions,
  DEFAULT_SCHEDULE,
  OnePasswordEventsPipeline,
  type OnePasswordEventsPipelineProps,
  type QueryOptions,
  type StorageOptions,
  type TokenOptions,
} from './infra/constructs/onepassword-events-pipeline';
export type {
  DetectionSettingsProps,
  DetectionsProps,
  DetectionThresholdProps,
  DetectionWatchlistProps,
} from './infra/props/detection-props';
export { EVENT_TYPES, type EventType } from './shared/contracts/event-types';
export { ALERT_DETAIL_TYPE, ALERT_SOURCE, type AlertDetail } from './shared/detections/alert-event';
