import { technique } from '../mitre';
import { windowRule } from '../window-rule';
import { burstSql, eventsIn, ITEM_USER, keyedRow, MINUTE_MS, selectUserEvents } from '../window-sql';

/** Item usage actions that put a secret in the user's hands. */
const TAKING_ACTIONS = "('reveal', 'secure-copy', 'export')";

export const itemExfiltrationBurst = windowRule({
  id: 'item-exfiltration-burst',
  title: 'One user revealing, copying or exporting many items in a short time',
  severity: 'HIGH',
  mitre: technique('T1555.005'),
  eventTypes: ['itemusages'],
  condition:
    'one user with item usages of action `reveal`, `secure-copy` or `export` on more than ' +
    '`exfiltrationItems` (20) distinct items (`item_uuid`) within `exfiltrationMinutes` (10) minutes',
  responderChecks:
    'Ask the user what they were doing (an audit, a migration?); check the vaults and items (the query), ' +
    'the client and the IP; a burst from a new device or IP is urgent.',
  groupKeyText: 'the user (user.uuid, else e-mail)',
  keyColumns: ['distinct_items', 'distinct_ips'],
  lookbackMs: (thresholds) => thresholds.exfiltrationMinutes * MINUTE_MS,
  sql: (d, window, { thresholds, lookbackMs }) =>
    burstSql(d, window, {
      type: 'itemusages',
      sources: `taken AS (
  ${selectUserEvents(d, ITEM_USER)}, item_uuid
  ${eventsIn(d, 'itemusages', window, lookbackMs)}
    AND action IN ${TAKING_ACTIONS}
    AND item_uuid IS NOT NULL
)`,
      keyed: `  ${keyedRow('user_key', 'item_uuid')}
  FROM taken WHERE user_key IS NOT NULL`,
      minutes: thresholds.exfiltrationMinutes,
      // "More than N items": at least N + 1.
      atLeast: thresholds.exfiltrationItems + 1,
      countColumn: 'distinct_items',
    }),
});
