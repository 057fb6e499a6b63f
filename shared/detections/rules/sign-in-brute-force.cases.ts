import type { RuleCases } from '../rule';
import type { WindowRuleCase } from '../window-rule';
import { MEMBER, series, signInEvent, windowCase } from './sample-events';

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
const fromOneIp = (n: number) => failure(n, '203.0.113.9');

export const signInBruteForceCases: RuleCases<WindowRuleCase> = {
  ruleId: 'sign-in-brute-force',
  fires: [
    windowCase(
      'ten failures for one user from ten IPs in five minutes',
      { signinattempts: series(10, 10, 0.5, (n) => failure(n, `198.51.100.${n}`)) },
      [`user:${MEMBER.uuid}`],
    ),
    windowCase(
      'ten users tried from one IP in nine minutes',
      { signinattempts: series(10, 20, 1, (n) => failure(n, '203.0.113.9', person(n))) },
      ['ip:203.0.113.9'],
    ),
  ],
  quiet: [
    windowCase('nine failures', { signinattempts: series(9, 10, 0.5, fromOneIp) }),
    windowCase(
      'ten failures an hour apart in all',
      { signinattempts: series(10, 100, 11, fromOneIp) },
      [],
      120,
    ),
    windowCase(
      'a burst that ended before the window',
      { signinattempts: series(10, 50, 0.5, fromOneIp) },
      [],
      30,
    ),
    windowCase('ten successful sign-ins', {
      signinattempts: series(10, 10, 0.5, (n) => ({
        ...fromOneIp(n),
        category: 'success',
        type: 'credentials_ok',
      })),
    }),
  ],
};
