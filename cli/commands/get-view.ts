import type { ParsedPage } from '../../shared/collector/events-api/page-body';
import type { EventType } from '../../shared/contracts/event-types';
import { EVENT_FIELDS } from '../event-fields';
import { formatTable } from '../format-table';
import { type CommandResult, JsonText, type ResultView } from '../render';

/** What --push did with the events: delivered to the sink, or nothing to deliver. */
export interface Pushed {
  /** The sink, in words. */
  readonly where: string;
  readonly events: number;
  /** Firehose records the events were packed into (absent when there was nothing to push). */
  readonly records?: number;
  readonly runId?: string;
}

/** The events `op-events get` fetched (no cursor stored), and where --push sent them. */
export interface EventsFetched extends CommandResult {
  readonly type: EventType;
  readonly origin: string;
  readonly from: string;
  readonly to: string | undefined;
  /** Each event parsed, and as the API sent it. */
  readonly page: ParsedPage;
  readonly pages: number;
  /** The API holds more in the window than --limit fetched. */
  readonly more: boolean;
  readonly pushed?: Pushed;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function summary({ page, type, from, to, origin, pages, more }: EventsFetched): string {
  const window = to ? `between ${from} and ${to}` : `since ${from}`;
  const moreText = more ? '; more exist: raise --limit or narrow --from/--to' : '';
  const events = plural(page.items.length, `${type} event`);
  return `${events} ${window} at ${origin} (${plural(pages, 'page')}${moreText}). No cursor was stored.`;
}

function pushNotes(pushed: Pushed | undefined): string[] {
  if (!pushed) return [];
  if (pushed.records === undefined) return [`Nothing to push to ${pushed.where}.`];
  return [
    `Pushed ${pushed.events} events (${plural(pushed.records, 'record')}) to ${pushed.where}, ` +
      `run id ${pushed.runId}. Athena's *_unique views drop any that were already collected.`,
  ];
}

function eventTable({ type, page }: EventsFetched): string {
  const fields = EVENT_FIELDS[type];
  const rows = page.items.map((item) => {
    const event = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>;
    return fields.map((field) => field.pick(event));
  });
  return formatTable(
    fields.map((f) => f.header),
    rows,
    { maxCellWidth: 40 },
  );
}

export const getView: ResultView<EventsFetched> = {
  text: (result) => ({ lines: [eventTable(result), summary(result)], notes: pushNotes(result.pushed) }),
  /** Each event exactly as the API sent it; the summary goes to stderr. */
  json: (result) => ({
    lines: result.page.rawItems.map((text) => new JsonText(text)),
    notes: [summary(result), ...pushNotes(result.pushed)],
  }),
};
