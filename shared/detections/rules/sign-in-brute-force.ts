import { technique } from '../mitre';
import { windowRule } from '../window-rule';
import { burstSql, eventsIn, keyedRow, MINUTE_MS, SIGN_IN_USER, selectUserEvents } from '../window-sql';

/** Categories of a sign-in that got in; every other category is a failure. */
const SUCCESS_CATEGORIES = "('success', 'firewall_reported_success')";

export const signInBruteForce = windowRule({
  id: 'sign-in-brute-force',
  title: 'Many failed sign-ins for one user or from one IP',
  severity: 'MEDIUM',
  mitre: technique('T1110'),
  eventTypes: ['signinattempts'],
  condition:
    'at least `signInFailures` (10) sign-in attempts whose category is not `success` or ' +
    '`firewall_reported_success`, for one user or from one IP (`client.ip_address`), within ' +
    '`signInFailureMinutes` (10) minutes',
  responderChecks:
    'For a user: ask whether they mistyped, and look at the IPs and countries; for an IP: how many users ' +
    'it tried (distinct_users) and whether any attempt from it then succeeded.',
  groupKeyText: '`user:` and the target user (uuid, else e-mail), or `ip:` and the IP',
  keyColumns: ['failures', 'distinct_users', 'distinct_ips'],
  lookbackMs: (thresholds) => thresholds.signInFailureMinutes * MINUTE_MS,
  sql: (d, window, { thresholds, lookbackMs }) =>
    burstSql(d, window, {
      type: 'signinattempts',
      sources: `failed AS (
  ${selectUserEvents(d, SIGN_IN_USER)}
  ${eventsIn(d, 'signinattempts', window, lookbackMs)}
    AND category NOT IN ${SUCCESS_CATEGORIES}
)`,
      keyed: `  ${keyedRow("concat('user:', user_key)", 'uuid')}
  FROM failed WHERE user_key IS NOT NULL
  UNION ALL
  ${keyedRow("concat('ip:', ip)", 'uuid')}
  FROM failed WHERE ip IS NOT NULL`,
      minutes: thresholds.signInFailureMinutes,
      atLeast: thresholds.signInFailures,
      countColumn: 'failures',
    }),
});
