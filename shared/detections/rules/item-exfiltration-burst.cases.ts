import type { RawEvent } from '../event-fields';
import type { RuleCases } from '../rule';
import type { WindowRuleCase } from '../window-rule';
import { ADMIN, itemUsageEvent, MEMBER, series, windowCase } from './sample-events';

const usage = (n: number, action: string, item = n, user = MEMBER) =>
  itemUsageEvent({
    action,
    user,
    item_uuid: `ITEM${String(item).padStart(22, '0')}`,
    uuid: `EXFIL${String(n).padStart(21, '0')}`,
  });
/** `count` item usages a quarter of a minute apart, from ten minutes before the window's end. */
const usages = (count: number, usageOf: (n: number) => RawEvent) => ({
  itemusages: series(count, 10, 0.25, usageOf),
});

export const itemExfiltrationBurstCases: RuleCases<WindowRuleCase> = {
  ruleId: 'item-exfiltration-burst',
  fires: [
    windowCase(
      'twenty-one items revealed or copied in five minutes',
      usages(21, (n) => usage(n, n % 2 === 0 ? 'reveal' : 'secure-copy')),
      [MEMBER.uuid],
    ),
  ],
  quiet: [
    windowCase(
      'twenty items (not more than twenty)',
      usages(20, (n) => usage(n, 'reveal')),
    ),
    windowCase(
      'thirty reveals of the same two items',
      usages(30, (n) => usage(n, 'reveal', n % 2)),
    ),
    windowCase(
      'thirty items filled (autofill is not taking the secret out)',
      usages(30, (n) => usage(n, 'fill')),
    ),
    windowCase(
      'two users with fifteen items each',
      usages(30, (n) => usage(n, 'reveal', n, n % 2 === 0 ? MEMBER : ADMIN)),
    ),
  ],
};
