import { randomUUID } from 'node:crypto';
import { specFor } from '../../shared/event-types';
import { pageToLines } from '../../shared/page-lines';
import { checkTokenScope } from '../../shared/scope-check';
import { toWholeSecondRfc3339 } from '../../shared/timestamp';
import type { Command, CommandContext } from '../command';
import { type OpenSink, openSink, resolveTarget } from '../context';
import { EVENT_FIELDS } from '../event-fields';
import { ExitCode, UsageError } from '../exit-codes';
import { fetchEvents } from '../fetch-events';
import { formatTable } from '../format-table';
import { parseCount, parseEventType, parseTimeInput, requireWithinRetention } from '../inputs';
import { flag, type ParsedCommandLine, stringValue } from '../options';
import { JSON_OPTION, STATE_DIR_OPTION, TOKEN_OPTIONS, TYPE_OPTION } from '../shared-options';
import { apiClientFor, chooseToken, stateSourceFor } from '../token-choice';

const DEFAULT_LOOKBACK_MS = 24 * 3_600_000;
const DEADLINE_MS = 120_000;

function readWindow(args: ParsedCommandLine, now: number) {
  const from = parseTimeInput(stringValue(args, 'from'), '--from', now) ?? {
    ms: now - DEFAULT_LOOKBACK_MS,
    text: toWholeSecondRfc3339(now - DEFAULT_LOOKBACK_MS),
  };
  requireWithinRetention(from, '--from', now);
  const to = parseTimeInput(stringValue(args, 'to'), '--to', now);
  if (to && to.ms <= from.ms) {
    throw new UsageError(`--to ${to.text} must be after --from ${from.text}.`);
  }
  return { from, to };
}

async function run(args: ParsedCommandLine, context: CommandContext): Promise<ExitCode> {
  const { out } = context;
  const type = parseEventType(stringValue(args, 'type'));
  const spec = specFor(type);
  const limit = parseCount(stringValue(args, 'limit'), '--limit', 1, 100_000, 20);
  const now = context.now();
  const { from, to } = readWindow(args, now);
  const push = flag(args, 'push');
  if (!push && stringValue(args, 'stream') !== undefined) {
    throw new UsageError('--stream names where --push sends events; add --push or leave --stream out.');
  }
  const target = resolveTarget(args, context.env);
  const chosen = await chooseToken(args, context, target);
  let sink: OpenSink | undefined;
  try {
    const api = apiClientFor(chosen);
    const origin = await api.origin();
    const deadlineMs = now + DEADLINE_MS;
    await checkTokenScope(api, chosen.token, spec, deadlineMs, now);
    if (push) sink = await openSink(target, args, type, stateSourceFor(chosen, origin));
    const fetched = await fetchEvents(
      api,
      spec,
      { startTime: from.text, endTime: to?.text, limit },
      deadlineMs,
    );
    const { items, rawItems } = fetched.page;
    const window = to ? `between ${from.text} and ${to.text}` : `since ${from.text}`;
    const summary = `${items.length} ${type} event${items.length === 1 ? '' : 's'} ${window} at ${origin} (${fetched.pages} page${fetched.pages === 1 ? '' : 's'}${fetched.more ? `; more exist: raise --limit or narrow --from/--to` : ''}). No cursor was stored.`;
    if (flag(args, 'json')) {
      for (const text of rawItems) out.line(text);
      out.note(summary);
    } else {
      const fields = EVENT_FIELDS[type];
      const rows = items.map((item) => {
        const event = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>;
        return fields.map((field) => field.pick(event));
      });
      out.line(
        formatTable(
          fields.map((f) => f.header),
          rows,
          { maxCellWidth: 40 },
        ),
      );
      out.line(summary);
    }
    if (sink && items.length > 0) {
      const receivedAtMs = context.now();
      const runId = `op-events-get-${randomUUID()}`;
      const lines = pageToLines(fetched.page, {
        type,
        receivedAtMs,
        runId,
      }).lines;
      const report = await sink.sink.deliver(lines, context.now() + DEADLINE_MS);
      out.note(
        `Pushed ${items.length} events (${report.records} record${report.records === 1 ? '' : 's'}) to ${sink.where}, run id ${runId}. Athena's *_unique views drop any that were already collected.`,
      );
    } else if (sink) {
      out.note(`Nothing to push to ${sink.where}.`);
    }
    return ExitCode.Ok;
  } finally {
    await sink?.close();
    await chosen.close();
  }
}

export const getCommand: Command = {
  spec: {
    name: 'get',
    brief: "Fetch events without touching any cursor; table or the API's JSON; --push to the sink.",
    usage:
      'op-events get --type TYPE [--limit N] [--from TIME] [--to TIME] [--json] [--push [--stream NAME]] [--secret-id ID | --stack NAME | --demo]',
    summary:
      'Fetches events straight from the Events API without touching any cursor (a fresh request from --from), and prints them as a table or, with --json, exactly as the API sent them.',
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
          'Also send the events to the sink the collector writes to (local Firehose stand-in, or --stream / --stack on AWS).',
      },
      stream: { type: 'string', value: 'NAME', description: 'Firehose delivery stream on AWS for --push.' },
      ...TOKEN_OPTIONS,
      ...STATE_DIR_OPTION,
    },
    details: `--push encodes the lines with the collector's own encoder (adding _collector metadata) and delivers them with
its FirehoseSink. Re-pushing events that were already collected makes duplicates, which the *_unique views remove.`,
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
  run,
};
