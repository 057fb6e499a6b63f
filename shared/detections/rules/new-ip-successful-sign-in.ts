import { technique } from '../mitre';
import { windowRule } from '../window-rule';
import { DAY_MS, eventsIn, joinedTexts, personKey, SIGN_IN_USER, selectUserEvents } from '../window-sql';

export const newIpSuccessfulSignIn = windowRule({
  id: 'new-ip-successful-sign-in',
  title: 'Successful sign-in from an IP the user has not used in 14 days',
  severity: 'LOW',
  mitre: technique('T1078.004'),
  eventTypes: ['signinattempts'],
  condition:
    'a sign-in attempt of category `success` from a (user, `client.ip_address`) pair with no successful ' +
    'sign-in in the previous `newIpBaselineDays` (14) days, for a user who did sign in successfully in ' +
    'those days (a user without history has no baseline)',
  responderChecks:
    'Check the IP (location, provider) with the user: a new home or travel is common; a new IP together ' +
    'with failures before it, an unusual client or an item burst after it is not.',
  groupKeyText: 'the user (uuid, else e-mail) and the IP',
  keyColumns: ['sign_ins'],
  lookbackMs: (thresholds) => thresholds.newIpBaselineDays * DAY_MS,
  sql: (d, window, { lookbackMs: baseline }) => `WITH ok AS (
  ${selectUserEvents(d, SIGN_IN_USER)}
  ${eventsIn(d, 'signinattempts', window, baseline)}
    AND category = 'success'
    AND client.ip_address IS NOT NULL
    AND ${personKey(SIGN_IN_USER)} IS NOT NULL
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
ORDER BY group_key`,
});
