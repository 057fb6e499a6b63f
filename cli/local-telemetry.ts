import { LEASE_BUSY_MESSAGE, SCHEMA_MISMATCH_MESSAGE } from '../shared/collector/run/collect-run';
import type { LogFields, Telemetry } from '../shared/collector/run/telemetry';
import type { EventType } from '../shared/contracts/event-types';
import type { Output } from './io';

function fieldsText(fields: LogFields | undefined): string {
  if (!fields || Object.keys(fields).length === 0) return '';
  return ` ${JSON.stringify(fields)}`;
}

export interface LocalTelemetryOptions {
  /** Print each run's schema-mismatch line as the collector logs it (`--verbose`). */
  readonly verbose: boolean;
  /** Events that did not match the schema, per type, added up across runs for one note at the end. */
  readonly schemaMismatches: Partial<Record<EventType, number>>;
}

/**
 * What a local run shows of the collector's own reporting: warnings and lease notices as readable
 * lines (the run's summary is printed by the caller); no metrics. Schema mismatches are counted for
 * the caller's one note, and shown line by line only with --verbose. Production uses Powertools instead.
 */
export function localTelemetry(type: EventType, out: Output, options: LocalTelemetryOptions): Telemetry {
  return {
    info: (message, fields) => {
      if (message === LEASE_BUSY_MESSAGE) out.note(`${type}: ${message}${fieldsText(fields)}`);
    },
    warn: (message, fields) => {
      if (message === SCHEMA_MISMATCH_MESSAGE) {
        const events = typeof fields?.events === 'number' ? fields.events : 0;
        options.schemaMismatches[type] = (options.schemaMismatches[type] ?? 0) + events;
        if (!options.verbose) return;
      }
      out.note(`${type}: warning: ${message}${fieldsText(fields)}`);
    },
    error: () => undefined,
    metric: () => undefined,
    flush: () => undefined,
  };
}
