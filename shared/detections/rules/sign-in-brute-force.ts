import type { WindowRule } from '../window-rule';
import { burstSql, eventMs, eventsIn, MINUTE_MS } from '../window-sql';
import { MEMBER, signInEvent } from './sample-events';

/** Categories of a sign-in that got in; every other category is a failure. */
const SUCCESS_CATEGORIES = "('success', 'firewall_reported_success')";

const failure = (n: number, ip: string, user = MEMBER) =>
  signInEvent({
    category: 'credentials_failed',
    type: 'password_secret_bad',
    ip,
    user,
    uuid: `BRUTEFORCE${String(n).padStart(16, '0')}`,
  });
const person = (n: number) => ({
  uuid: `USER${String(n).padStart(22, '0')}`,
  name: `User ${n}`,
  email: `user${n}@example.com`,
});

export const signInBruteForce: WindowRule = {
  id: 'sign-in-brute-force',
  kind: 'window',
  title: 'Many failed sign-ins for one user or from one IP',
  severity: 'MEDIUM',
  mitre: { id: 'T1110', name: 'Brute Force' },
  eventTypes: ['signinattempts'],
  condition:
    'at least `signInFailures` (10) sign-in attempts whose category is not `success` or `firewall_reported_success`, for one user or from one IP (`client.ip_address`), within `signInFailureMinutes` (10) minutes',
  responderChecks:
    'For a user: ask whether they mistyped, and look at the IPs and countries; for an IP: how many users it tried (distinct_users) and whether any attempt from it then succeeded.',
  groupKeyText: '`user:` and the target user (uuid, else e-mail), or `ip:` and the IP',
  keyColumns: ['failures', 'distinct_users', 'distinct_ips'],
  lookbackMs: (settings) => settings.thresholds.signInFailureMinutes * MINUTE_MS,
  render: (d, window, settings) =>
    burstSql(d, window, {
      type: 'signinattempts',
      sources: `failed AS (
  SELECT uuid, ${eventMs(d)} AS t, coalesce(target_user.uuid, target_user.email) AS user_key,
    target_user.uuid AS user_uuid, target_user.email AS user_email, target_user.name AS user_name,
    client.ip_address AS ip
  ${eventsIn(d, 'signinattempts', window, settings.thresholds.signInFailureMinutes * MINUTE_MS)}
    AND category NOT IN ${SUCCESS_CATEGORIES}
)`,
      keyed: `  SELECT concat('user:', user_key) AS group_key, uuid, t, user_uuid, user_email, user_name, ip, uuid AS counted
  FROM failed WHERE user_key IS NOT NULL
  UNION ALL
  SELECT concat('ip:', ip) AS group_key, uuid, t, user_uuid, user_email, user_name, ip, uuid AS counted
  FROM failed WHERE ip IS NOT NULL`,
      minutes: settings.thresholds.signInFailureMinutes,
      atLeast: settings.thresholds.signInFailures,
      countColumn: 'failures',
    }),
  cases: {
    fires: [
      {
        name: 'ten failures for one user from ten IPs in five minutes',
        windowMinutes: 60,
        events: {
          signinattempts: Array.from({ length: 10 }, (_, n) => ({
            minutesBeforeEnd: 10 - n * 0.5,
            event: failure(n, `198.51.100.${n}`),
          })),
        },
        groupKeys: [`user:${MEMBER.uuid}`],
      },
      {
        name: 'ten users tried from one IP in nine minutes',
        windowMinutes: 60,
        events: {
          signinattempts: Array.from({ length: 10 }, (_, n) => ({
            minutesBeforeEnd: 20 - n,
            event: failure(n, '203.0.113.9', person(n)),
          })),
        },
        groupKeys: ['ip:203.0.113.9'],
      },
    ],
    quiet: [
      {
        name: 'nine failures',
        windowMinutes: 60,
        events: {
          signinattempts: Array.from({ length: 9 }, (_, n) => ({
            minutesBeforeEnd: 10 - n * 0.5,
            event: failure(n, '203.0.113.9'),
          })),
        },
        groupKeys: [],
      },
      {
        name: 'ten failures an hour apart in all',
        windowMinutes: 120,
        events: {
          signinattempts: Array.from({ length: 10 }, (_, n) => ({
            minutesBeforeEnd: 100 - n * 11,
            event: failure(n, '203.0.113.9'),
          })),
        },
        groupKeys: [],
      },
      {
        name: 'a burst that ended before the window',
        windowMinutes: 30,
        events: {
          signinattempts: Array.from({ length: 10 }, (_, n) => ({
            minutesBeforeEnd: 50 - n * 0.5,
            event: failure(n, '203.0.113.9'),
          })),
        },
        groupKeys: [],
      },
      {
        name: 'ten successful sign-ins',
        windowMinutes: 60,
        events: {
          signinattempts: Array.from({ length: 10 }, (_, n) => ({
            minutesBeforeEnd: 10 - n * 0.5,
            event: { ...failure(n, '203.0.113.9'), category: 'success', type: 'credentials_ok' },
          })),
        },
        groupKeys: [],
      },
    ],
  },
};
