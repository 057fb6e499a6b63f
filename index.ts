/**
 * The package entry point (`import { OnePasswordEventsPipeline } from 'onepassword-events-to-s3'`):
 * the construct with its props, the deployable stack, and the event type names.
 */
export { ALARM_RUNBOOK } from './infra/alarms';
export { DetectionAlerts } from './infra/detection-alerts';
export type {
  DetectionSettingsProps,
  DetectionsProps,
  DetectionThresholdProps,
  DetectionWatchlistProps,
} from './infra/detection-props';
export { EventTypeCollector } from './infra/event-type-collector';
export {
  type AlarmThresholds,
  type CollectorFunctionOptions,
  ConfigurationError,
  type CursorTableOptions,
  DEFAULT_SCHEDULE,
  OnePasswordEventsPipeline,
  type OnePasswordEventsPipelineProps,
} from './infra/onepassword-events-pipeline';
export { OnePasswordEventsStack, type OnePasswordEventsStackProps } from './infra/onepassword-events-stack';
export { ALERT_DETAIL_TYPE, ALERT_SOURCE, type AlertDetail } from './shared/detections/alert-event';
export { EVENT_TYPES, type EventType } from './shared/event-types';
