import type { EventType } from '../contracts/event-types';
import { PARTITION_COLUMN } from '../contracts/s3-layout';
import { sqlString } from '../util/sql-quoting';

/**
 * The Athena query that shows some events of one type: their de-duplicated view (shared/sql/views.ts
 * names it `<type>_unique`), pruned to the `dt` dates they fall on. Written here rather than with
 * shared/sql because the collector's bundle carries it.
 */
export function eventsQuery(type: EventType, uuids: readonly string[], dates: DateRange): string {
  return `SELECT * FROM ${type}_unique WHERE ${datesIn(dates)} AND ${uuidsIn(uuids)} ORDER BY timestamp_utc`;
}

type DateRange = { readonly from: string; readonly to: string };

/** The `dt` dates from..to (inclusive), which keeps Athena's partition pruning. */
const datesIn = (dates: DateRange) =>
  `${PARTITION_COLUMN} BETWEEN ${sqlString(dates.from)} AND ${sqlString(dates.to)}`;

const uuidsIn = (uuids: readonly string[]) => `uuid IN (${uuids.map(sqlString).join(', ')})`;

/**
 * The query that shows the events of a detection over several types: per type its uuids' events
 * (type, uuid, time, dt), one UNION ALL; of a single type, all its columns (eventsQuery).
 */
export function detectionEventsQuery(
  uuidsByType: ReadonlyMap<EventType, readonly string[]>,
  dates: DateRange,
): string {
  const types = [...uuidsByType].filter(([, uuids]) => uuids.length > 0);
  const [only] = types;
  if (types.length === 1 && only) return eventsQuery(only[0], only[1], dates);
  return types
    .map(
      ([type, uuids]) =>
        `SELECT ${sqlString(type)} AS event_type, uuid, timestamp_utc, ${PARTITION_COLUMN} ` +
        `FROM ${type}_unique WHERE ${datesIn(dates)} AND ${uuidsIn(uuids)}`,
    )
    .join(' UNION ALL ')
    .concat(' ORDER BY timestamp_utc');
}
