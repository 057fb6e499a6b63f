import { EVENT_TYPES, type EventType } from '../shared/contracts/event-types';

/**
 * How the CLI speaks of schema drift: events in which 1Password sent a field in another form than
 * its documented schema (text where a number is documented, say). That is not breakage: the
 * collector keeps every event exactly as sent. So a command says it once, in plain words, and leaves
 * the per-field details to `op-events status` and `--verbose`.
 */
export function driftNote(
  eventsPerType: Partial<Record<EventType, number>>,
  options: { readonly demo: boolean; readonly details: string },
): string | undefined {
  const types = EVENT_TYPES.filter((type) => (eventsPerType[type] ?? 0) > 0);
  if (types.length === 0) return undefined;
  const total = types.reduce((sum, type) => sum + (eventsPerType[type] ?? 0), 0);
  const parts = types.map((type) => `${type} ${eventsPerType[type]}`).join(', ');
  const events = total === 1 ? '1 event holds' : `${total.toLocaleString('en-US')} events hold`;
  return [
    `Note: ${events} a field in another form than 1Password documents (${parts}), as happens when ` +
      '1Password changes a field.',
    'Nothing is lost: they are stored exactly as sent, and only those fields read as NULL in the tables.',
    options.demo ? 'The demo data includes a few on purpose.' : '',
    `Details: ${options.details}.`,
  ]
    .filter((sentence) => sentence !== '')
    .join(' ');
}
