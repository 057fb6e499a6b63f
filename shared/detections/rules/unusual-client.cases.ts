import type { EventRuleCase, RuleCases } from '../rule';
import { signInEvent } from './sample-events';

const success = { category: 'success', type: 'credentials_ok' };

export const unusualClientCases: RuleCases<EventRuleCase> = {
  ruleId: 'unusual-client',
  fires: [
    { name: 'a sign-in from a script', event: signInEvent({ ...success, app_name: 'python-requests' }) },
    {
      name: 'a failed one too',
      event: signInEvent({ category: 'credentials_failed', type: 'password_secret_bad', app_name: 'curl' }),
    },
  ],
  quiet: [
    { name: 'the browser extension', event: signInEvent(success) },
    { name: 'the web app', event: signInEvent({ ...success, app_name: '1Password for Web' }) },
  ],
};
