import type { WindowRule } from '../window-rule';
import { burstSql, eventMs, eventsIn, MINUTE_MS } from '../window-sql';
import { ADMIN, itemUsageEvent, MEMBER } from './sample-events';

/** Item usage actions that put a secret in the user's hands. */
const TAKING_ACTIONS = "('reveal', 'secure-copy', 'export')";

const usage = (n: number, action: string, item = n, user = MEMBER) =>
  itemUsageEvent({
    action,
    user,
    item_uuid: `ITEM${String(item).padStart(22, '0')}`,
    uuid: `EXFIL${String(n).padStart(21, '0')}`,
  });

export const itemExfiltrationBurst: WindowRule = {
  id: 'item-exfiltration-burst',
  kind: 'window',
  title: 'One user revealing, copying or exporting many items in a short time',
  severity: 'HIGH',
  mitre: { id: 'T1555.005', name: 'Credentials from Password Stores: Password Managers' },
  eventTypes: ['itemusages'],
  condition:
    'one user with item usages of action `reveal`, `secure-copy` or `export` on more than `exfiltrationItems` (20) distinct items (`item_uuid`) within `exfiltrationMinutes` (10) minutes',
  responderChecks:
    'Ask the user what they were doing (an audit, a migration?); check the vaults and items (the query), the client and the IP; a burst from a new device or IP is urgent.',
  groupKeyText: 'the user (user.uuid, else e-mail)',
  keyColumns: ['distinct_items', 'distinct_ips'],
  lookbackMs: (settings) => settings.thresholds.exfiltrationMinutes * MINUTE_MS,
  render: (d, window, settings) =>
    burstSql(d, window, {
      type: 'itemusages',
      sources: `taken AS (
  SELECT uuid, ${eventMs(d)} AS t, coalesce("user".uuid, "user".email) AS user_key,
    "user".uuid AS user_uuid, "user".email AS user_email, "user".name AS user_name,
    client.ip_address AS ip, item_uuid
  ${eventsIn(d, 'itemusages', window, settings.thresholds.exfiltrationMinutes * MINUTE_MS)}
    AND action IN ${TAKING_ACTIONS}
    AND item_uuid IS NOT NULL
)`,
      keyed: `  SELECT user_key AS group_key, uuid, t, user_uuid, user_email, user_name, ip, item_uuid AS counted
  FROM taken WHERE user_key IS NOT NULL`,
      minutes: settings.thresholds.exfiltrationMinutes,
      // "More than N items": at least N + 1.
      atLeast: settings.thresholds.exfiltrationItems + 1,
      countColumn: 'distinct_items',
    }),
  cases: {
    fires: [
      {
        name: 'twenty-one items revealed or copied in five minutes',
        windowMinutes: 60,
        events: {
          itemusages: Array.from({ length: 21 }, (_, n) => ({
            minutesBeforeEnd: 10 - n * 0.25,
            event: usage(n, n % 2 === 0 ? 'reveal' : 'secure-copy'),
          })),
        },
        groupKeys: [MEMBER.uuid],
      },
    ],
    quiet: [
      {
        name: 'twenty items (not more than twenty)',
        windowMinutes: 60,
        events: {
          itemusages: Array.from({ length: 20 }, (_, n) => ({
            minutesBeforeEnd: 10 - n * 0.25,
            event: usage(n, 'reveal'),
          })),
        },
        groupKeys: [],
      },
      {
        name: 'thirty reveals of the same two items',
        windowMinutes: 60,
        events: {
          itemusages: Array.from({ length: 30 }, (_, n) => ({
            minutesBeforeEnd: 10 - n * 0.25,
            event: usage(n, 'reveal', n % 2),
          })),
        },
        groupKeys: [],
      },
      {
        name: 'thirty items filled (autofill is not taking the secret out)',
        windowMinutes: 60,
        events: {
          itemusages: Array.from({ length: 30 }, (_, n) => ({
            minutesBeforeEnd: 10 - n * 0.25,
            event: usage(n, 'fill'),
          })),
        },
        groupKeys: [],
      },
      {
        name: 'two users with fifteen items each',
        windowMinutes: 60,
        events: {
          itemusages: Array.from({ length: 30 }, (_, n) => ({
            minutesBeforeEnd: 10 - n * 0.25,
            event: usage(n, 'reveal', n, n % 2 === 0 ? MEMBER : ADMIN),
          })),
        },
        groupKeys: [],
      },
    ],
  },
};
