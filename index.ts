/**
 * The package entry point (`import { OnePasswordEventsPipeline } from 'onepassword-events-to-s3'`):
 * the construct with its props, the deployable stack, and the event type names.
 */
export { ALARM_RUNBOOK } from './infra/alarms';
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
export { EVENT_TYPES, type EventType } from './shared/event-types';
