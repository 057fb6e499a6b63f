import type { WindowRule } from '../window-rule';
import { DAY_MS, eventMs, eventsIn, joinedTexts } from '../window-sql';
import { ADMIN, DAY_MINUTES, MEMBER, signInEvent } from './sample-events';

const signIn = (n: number, ip: string, category = 'success', user = MEMBER) =>
  signInEvent({
    category,
    type: category === 'success' ? 'credentials_ok' : 'password_secret_bad',
    ip,
    user,
    uuid: `NEWIP${String(n).padStart(21, '0')}`,
  });

export const newIpSuccessfulSignIn: WindowRule = {
  id: 'new-ip-successful-sign-in',
  kind: 'window',
  title: 'Successful sign-in from an IP the user has not used in 14 days',
  severity: 'LOW',
  mitre: { id: 'T1078.004', name: 'Valid Accounts: Cloud Accounts' },
  eventTypes: ['signinattempts'],
  condition:
    'a sign-in attempt of category `success` from a (user, `client.ip_address`) pair with no successful sign-in in the previous `newIpBaselineDays` (14) days, for a user who did sign in successfully in those days (a user without history has no baseline)',
  responderChecks:
    'Check the IP (location, provider) with the user: a new home or travel is common; a new IP together with failures before it, an unusual client or an item burst after it is not.',
  groupKeyText: 'the user (uuid, else e-mail) and the IP',
  keyColumns: ['sign_ins'],
  lookbackMs: (settings) => settings.thresholds.newIpBaselineDays * DAY_MS,
  render: (d, window, settings) => {
    const baseline = settings.thresholds.newIpBaselineDays * DAY_MS;
    return `WITH ok AS (
  SELECT uuid, ${eventMs(d)} AS t, coalesce(target_user.uuid, target_user.email) AS user_key,
    target_user.uuid AS user_uuid, target_user.email AS user_email, target_user.name AS user_name,
    client.ip_address AS ip
  ${eventsIn(d, 'signinattempts', window, baseline)}
    AND category = 'success'
    AND client.ip_address IS NOT NULL
    AND coalesce(target_user.uuid, target_user.email) IS NOT NULL
),
fresh AS (
  SELECT r.uuid, r.t, r.user_key, r.user_uuid, r.user_email, r.user_name, r.ip
  FROM ok r
  JOIN ok p ON p.user_key = r.user_key AND p.t < r.t AND p.t >= r.t - ${baseline}
  WHERE r.t >= ${window.sinceMs}
  GROUP BY r.uuid, r.t, r.user_key, r.user_uuid, r.user_email, r.user_name, r.ip
  HAVING count(CASE WHEN p.ip = r.ip THEN 1 END) = 0
)
SELECT
  concat(user_key, ' ', ip) AS group_key,
  max(user_uuid) AS user_uuid,
  max(user_email) AS user_email,
  max(user_name) AS user_name,
  ip,
  min(t) AS first_seen_ms,
  max(t) AS last_seen_ms,
  ${joinedTexts(d, 'uuid')} AS uuids_signinattempts,
  count(*) AS sign_ins
FROM fresh
GROUP BY user_key, ip
ORDER BY group_key`;
  },
  cases: {
    fires: [
      {
        name: 'a user who signs in from 192.0.2.1 for days signs in from 203.0.113.7',
        windowMinutes: 60,
        events: {
          signinattempts: [
            { minutesBeforeEnd: 5 * DAY_MINUTES, event: signIn(1, '192.0.2.1') },
            { minutesBeforeEnd: DAY_MINUTES, event: signIn(2, '192.0.2.1') },
            { minutesBeforeEnd: 30, event: signIn(3, '203.0.113.7') },
            { minutesBeforeEnd: 20, event: signIn(4, '203.0.113.7') },
          ],
        },
        groupKeys: [`${MEMBER.uuid} 203.0.113.7`],
      },
      {
        name: 'the old IP was last used fifteen days ago',
        windowMinutes: 60,
        events: {
          signinattempts: [
            { minutesBeforeEnd: 15 * DAY_MINUTES, event: signIn(1, '203.0.113.7') },
            { minutesBeforeEnd: 2 * DAY_MINUTES, event: signIn(2, '192.0.2.1') },
            { minutesBeforeEnd: 30, event: signIn(3, '203.0.113.7') },
          ],
        },
        groupKeys: [`${MEMBER.uuid} 203.0.113.7`],
      },
    ],
    quiet: [
      {
        name: 'the same IP as last week',
        windowMinutes: 60,
        events: {
          signinattempts: [
            { minutesBeforeEnd: 7 * DAY_MINUTES, event: signIn(1, '203.0.113.7') },
            { minutesBeforeEnd: 30, event: signIn(2, '203.0.113.7') },
          ],
        },
        groupKeys: [],
      },
      {
        name: 'a user with no sign-in before (no baseline)',
        windowMinutes: 60,
        events: {
          signinattempts: [{ minutesBeforeEnd: 30, event: signIn(1, '203.0.113.7', 'success', ADMIN) }],
        },
        groupKeys: [],
      },
      {
        name: 'a failed attempt from a new IP',
        windowMinutes: 60,
        events: {
          signinattempts: [
            { minutesBeforeEnd: DAY_MINUTES, event: signIn(1, '192.0.2.1') },
            { minutesBeforeEnd: 30, event: signIn(2, '203.0.113.7', 'credentials_failed') },
          ],
        },
        groupKeys: [],
      },
      {
        name: 'a new IP before the window',
        windowMinutes: 60,
        events: {
          signinattempts: [
            { minutesBeforeEnd: 2 * DAY_MINUTES, event: signIn(1, '192.0.2.1') },
            { minutesBeforeEnd: 90, event: signIn(2, '203.0.113.7') },
          ],
        },
        groupKeys: [],
      },
    ],
  },
};
