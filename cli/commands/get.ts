import { randomUUID } from 'node:crypto';
import { pageToLines } from '../../shared/collector/delivery/page-lines';
import type { ParsedPage } from '../../shared/collector/events-api/page-body';
import { checkTokenScope } from '../../shared/collector/events-api/scope-check';
import { type EventType, specFor } from '../../shared/contracts/event-types';
import { toWholeSecondRfc3339 } from '../../shared/util/timestamp';
import type { Command, CommandContext } from '../command';
import { type OpenSink, openSink, resolveTarget } from '../context';
import { ExitCode } from '../exit-codes';
import { fetchEvents } from '../fetch-events';
import { parseCount, parseEventType, parseTimeInput, requireWithinRetention } from '../inputs';
import { flag, type ParsedCommandLine, stringValue } from '../options';
import { resultCommand } from '../render';
import { JSON_OPTION, STATE_DIR_OPTION, TOKEN_OPTIONS, TYPE_OPTION } from '../shared-options';
import { apiClientFor, chooseToken, stateSourceFor } from '../token-choice';
import { getRefusals } from '../usage-errors';
import { type EventsFetched, getView, type Pushed } from './get-view';

const DEFAULT_LOOKBACK_MS = 24 * 3_600_000;
const DEADLINE_MS = 120_000;

function readWindow(args: ParsedCommandLine, now: number) {
  const from = parseTimeInput(stringValue(args, 'from'), '--from', now) ?? {
    ms: now - DEFAULT_LOOKBACK_MS,
    text: toWholeSecondRfc3339(now - DEFAULT_LOOKBACK_MS),
  };
  requireWithinRetention(from, '--from', now);
  const to = parseTimeInput(stringValue(args, 'to'), '--to', now);
  if (to && to.ms <= from.ms) throw getRefusals.toBeforeFrom(to.text, from.text);
  return { from, to };
}

/** Sends the events to the sink with the collector's own encoder, under a run id of their own. */
async function push(sink: OpenSink, type: EventType, page: ParsedPage, now: () => number): Promise<Pushed> {
  const events = page.items.length;
  if (events === 0) return { where: sink.where, events };
  const runId = `op-events-get-${randomUUID()}`;
  const { lines } = pageToLines(page, { type, receivedAtMs: now(), runId });
  const report = await sink.sink.deliver(lines, now() + DEADLINE_MS);
  return { where: sink.where, events, records: report.records, runId };
}

/** Events from a fresh request (no cursor read or stored), and with --push, sent to the sink. */
async function getEvents(args: ParsedCommandLine, context: CommandContext): Promise<EventsFetched> {
  const type = parseEventType(stringValue(args, 'type'));
  const spec = specFor(type);
  const limit = parseCount(stringValue(args, 'limit'), '--limit', 1, 100_000, 20);
  const now = context.now();
  const { from, to } = readWindow(args, now);
  const pushAsked = flag(args, 'push');
  if (!pushAsked && stringValue(args, 'stream') !== undefined) throw getRefusals.streamWithoutPush();
  const target = resolveTarget(args, context.env);
  const chosen = await chooseToken(args, context, target);
  let sink: OpenSink | undefined;
  try {
    const api = apiClientFor(chosen);
    const origin = await api.origin();
    const deadlineMs = now + DEADLINE_MS;
    await checkTokenScope(api, chosen.token, spec, deadlineMs, now);
    if (pushAsked) sink = await openSink(target, args, type, stateSourceFor(chosen, origin));
    const window = { startTime: from.text, endTime: to?.text, limit };
    const fetched = await fetchEvents(api, spec, window, deadlineMs);
    const pushed = sink && (await push(sink, type, fetched.page, context.now));
    return { type, origin, from: from.text, to: to?.text, ...fetched, pushed, exitCode: ExitCode.Ok };
  } finally {
    await sink?.close();
    await chosen.close();
  }
}

export const getCommand: Command = resultCommand(
  {
    name: 'get',
    brief: "Fetch events without touching any cursor; table or the API's JSON; --push to the sink.",
    usage:
      'op-events get --type TYPE [--limit N] [--from TIME] [--to TIME] [--json] [--push [--stream ' +
      'NAME]] [--secret-id ID | --stack NAME | --demo]',
    summary:
      'Fetches events straight from the Events API without touching any cursor (a fresh request from ' +
      '--from), and prints them as a table or, with --json, exactly as the API sent them.',
    options: {
      ...TYPE_OPTION,
      limit: {
        type: 'string',
        value: 'N',
        description: 'Most events to fetch (default 20, at most 100000).',
      },
      from: {
        type: 'string',
        value: 'TIME',
        description: 'Start: RFC 3339 (2026-01-05T08:00:00Z), a UTC date, or an age (12h, 7d). Default 24h.',
      },
      to: {
        type: 'string',
        value: 'TIME',
        description: 'End (exclusive), same forms as --from. Default: now.',
      },
      ...JSON_OPTION,
      push: {
        type: 'boolean',
        description:
          'Also send the events to the sink the collector writes to (local Firehose stand-in, or ' +
          '--stream / --stack on AWS).',
      },
      stream: { type: 'string', value: 'NAME', description: 'Firehose delivery stream on AWS for --push.' },
      ...TOKEN_OPTIONS,
      ...STATE_DIR_OPTION,
    },
    details:
      "--push encodes the lines with the collector's own encoder (adding _collector metadata) and " +
      'delivers them with\n' +
      'its FirehoseSink. Re-pushing events that were already collected makes duplicates, which the ' +
      '*_unique views remove.',
    examples: [
      {
        args: '--type signinattempts --from 2h',
        does: 'The sign-in attempts of the last two hours as a table.',
      },
      {
        args: '--type auditevents --limit 100 --json',
        does: '100 audit events exactly as the API sent them, one per line.',
      },
      {
        args: '--type itemusages --from 2026-01-05 --to 2026-01-06 --push --stack OnePasswordEvents',
        does: "Send one day of item usages to a deployed stack's delivery stream again.",
      },
    ],
  },
  getEvents,
  getView,
);
