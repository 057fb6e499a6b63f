import type { EventRuleCase, RuleCases } from '../rule';
import { ITEM_UUID, itemUsageEvent, watching } from './sample-events';

const watched = watching({ items: [ITEM_UUID] });

export const sensitiveItemAccessCases: RuleCases<EventRuleCase> = {
  ruleId: 'sensitive-item-access',
  fires: [
    { name: 'a watched item revealed', event: itemUsageEvent({ action: 'reveal' }), settings: watched },
    { name: 'a watched item filled', event: itemUsageEvent({ action: 'fill' }), settings: watched },
  ],
  quiet: [
    {
      name: 'another item',
      event: itemUsageEvent({ action: 'reveal', item_uuid: 'QWBBWZMX4JDWBDV5VNFEC4FBYE' }),
      settings: watched,
    },
    { name: 'no watchlist (the default)', event: itemUsageEvent({ action: 'reveal' }) },
  ],
};
