import type { RuleCases } from '../rule';
import type { WindowRuleCase } from '../window-rule';
import { ADMIN, at, DAY_MINUTES, MEMBER, signInEvent, windowCase } from './sample-events';

const signIn = (n: number, ip: string, category = 'success', user = MEMBER) =>
  signInEvent({
    category,
    type: category === 'success' ? 'credentials_ok' : 'password_secret_bad',
    ip,
    user,
    uuid: `NEWIP${String(n).padStart(21, '0')}`,
  });

export const newIpSuccessfulSignInCases: RuleCases<WindowRuleCase> = {
  ruleId: 'new-ip-successful-sign-in',
  fires: [
    windowCase(
      'a user who signs in from 192.0.2.1 for days signs in from 203.0.113.7',
      {
        signinattempts: [
          at(5 * DAY_MINUTES, signIn(1, '192.0.2.1')),
          at(DAY_MINUTES, signIn(2, '192.0.2.1')),
          at(30, signIn(3, '203.0.113.7')),
          at(20, signIn(4, '203.0.113.7')),
        ],
      },
      [`${MEMBER.uuid} 203.0.113.7`],
    ),
    windowCase(
      'the old IP was last used fifteen days ago',
      {
        signinattempts: [
          at(15 * DAY_MINUTES, signIn(1, '203.0.113.7')),
          at(2 * DAY_MINUTES, signIn(2, '192.0.2.1')),
          at(30, signIn(3, '203.0.113.7')),
        ],
      },
      [`${MEMBER.uuid} 203.0.113.7`],
    ),
  ],
  quiet: [
    windowCase('the same IP as last week', {
      signinattempts: [at(7 * DAY_MINUTES, signIn(1, '203.0.113.7')), at(30, signIn(2, '203.0.113.7'))],
    }),
    windowCase('a user with no sign-in before (no baseline)', {
      signinattempts: [at(30, signIn(1, '203.0.113.7', 'success', ADMIN))],
    }),
    windowCase('a failed attempt from a new IP', {
      signinattempts: [
        at(DAY_MINUTES, signIn(1, '192.0.2.1')),
        at(30, signIn(2, '203.0.113.7', 'credentials_failed')),
      ],
    }),
    windowCase('a new IP before the window', {
      signinattempts: [at(2 * DAY_MINUTES, signIn(1, '192.0.2.1')), at(90, signIn(2, '203.0.113.7'))],
    }),
  ],
};
