/**
 * The `dt` partitions Athena projects (the Glue table's `projection.dt.range`), and the same range
 * for the local tables of `op-events query`, so a line outside it is invisible in both engines.
 *
 * Athena's date projection takes a relative end `NOW(+|-)<n><unit>` and generates dates in UTC at
 * query time (https://docs.aws.amazon.com/athena/latest/ug/partition-projection-supported-types.html,
 * "Date type": the range pattern `\s*NOW\s*(([\+\-])\s*([0-9]+)\s*(YEARS?|MONTHS?|WEEKS?|DAYS?|...))?`).
 * The range ends one day after NOW so that an event stamped up to 24 h ahead of the collector's clock
 * (clock skew) is found by a query on its own `dt` the moment it lands, not only once that date comes.
 */

/** First projected date: before the Events API existed in its v2 form. */
export const PROJECTION_FIRST_DATE = '2020-01-01';

/** Days after today's UTC date that are still projected. */
export const PROJECTION_DAYS_AHEAD = 1;

/** `projection.dt.range` of the Glue tables. */
export const PROJECTION_RANGE = `${PROJECTION_FIRST_DATE},NOW+${PROJECTION_DAYS_AHEAD}DAYS`;

const DAY_MS = 86_400_000;

/** The last projected date at `now`: the UTC date PROJECTION_DAYS_AHEAD days after now. */
export function lastProjectedDate(now: Date): string {
  return new Date(now.getTime() + PROJECTION_DAYS_AHEAD * DAY_MS).toISOString().slice(0, 10);
}
