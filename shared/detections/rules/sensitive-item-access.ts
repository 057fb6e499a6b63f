import { listed } from '../audit-rule';
import { personKey, scalarAt, textAt } from '../event-fields';
import { technique } from '../mitre';
import type { EventRule } from '../rule';

export const sensitiveItemAccess: EventRule = {
  id: 'sensitive-item-access',
  kind: 'event',
  title: 'A watched item used',
  severity: 'MEDIUM',
  mitre: technique('T1555.005'),
  eventType: 'itemusages',
  eventTypes: ['itemusages'],
  condition:
    'item usage whose `item_uuid` is on the item watchlist; titles on the watchlist are turned into uuids ' +
    'through the items lookup (`op-events lookups load items`) where it is loaded',
  responderChecks:
    'Check that the user (user.email) is expected to use the watched item, and what they did (action: ' +
    'reveal, secure-copy, export...).',
  groupKeyText: 'the user and item (user uuid, item_uuid)',
  matches: (event, settings) => listed(settings.watchlists.items, textAt(event, 'item_uuid')),
  groupKey: (event) => `${personKey('itemusages', event)}/${textAt(event, 'item_uuid') ?? 'unknown-item'}`,
  keyFields: (event) => ({
    action: scalarAt(event, 'action'),
    item_uuid: scalarAt(event, 'item_uuid'),
    vault_uuid: scalarAt(event, 'vault_uuid'),
    app_name: scalarAt(event, 'client', 'app_name'),
  }),
};
