import { LEASE_BUSY_MESSAGE } from '../shared/collect-run';
import type { EventType } from '../shared/event-types';
import type { LogFields, Telemetry } from '../shared/telemetry';
import type { Output } from './io';

function fieldsText(fields: LogFields | undefined): string {
  if (!fields || Object.keys(fields).length === 0) return '';
  return ` ${JSON.stringify(fields)}`;
}

/**
 * What a local run shows of the collector's own reporting: warnings and lease notices as readable
 * lines (the run's summary is printed by the caller); no metrics. Production uses Powertools instead.
 */
export function localTelemetry(type: EventType, out: Output): Telemetry {
  return {
    info: (message, fields) => {
      if (message === LEASE_BUSY_MESSAGE) out.note(`${type}: ${message}${fieldsText(fields)}`);
    },
    warn: (message, fields) => out.note(`${type}: warning: ${message}${fieldsText(fields)}`),
    error: () => undefined,
    metric: () => undefined,
    flush: () => undefined,
  };
}
