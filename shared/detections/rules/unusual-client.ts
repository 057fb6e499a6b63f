import { personKey, scalarAt, textAt } from '../event-fields';
import { technique } from '../mitre';
import type { EventRule } from '../rule';

export const unusualClient: EventRule = {
  id: 'unusual-client',
  kind: 'event',
  title: 'Sign-in from a client outside the known 1Password apps',
  severity: 'MEDIUM',
  mitre: technique('T1078.004'),
  eventType: 'signinattempts',
  eventTypes: ['signinattempts'],
  condition:
    'sign-in attempt whose `client.app_name` is sent and is not on the client allow-list (default: the ' +
    '1Password apps)',
  responderChecks:
    'Check the client (app_name, app_version, platform) and IP with the user: a script or unofficial ' +
    'client signing in with their credentials is worth a password and device review.',
  groupKeyText: 'the target user (target_user.uuid, else e-mail)',
  matches: (event, settings) => {
    const app = textAt(event, 'client', 'app_name');
    return app !== undefined && !settings.clientAllowList.includes(app);
  },
  groupKey: (event) => personKey('signinattempts', event),
  keyFields: (event) => ({
    category: scalarAt(event, 'category'),
    type: scalarAt(event, 'type'),
    app_name: scalarAt(event, 'client', 'app_name'),
    app_version: scalarAt(event, 'client', 'app_version'),
    platform_name: scalarAt(event, 'client', 'platform_name'),
    os_name: scalarAt(event, 'client', 'os_name'),
  }),
};
