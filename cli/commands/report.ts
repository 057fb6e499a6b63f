import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { writePrivateFile } from '../../local/private-files';
import { EVENT_TYPES } from '../../shared/contracts/event-types';
import type { ReportWindow } from '../../shared/sql/report-queries';
import { describeError } from '../../shared/util/errors';
import { formatBytes, formatUsd } from '../athena-cost';
import { awsClientConfig, requireStackForAwsOptions } from '../aws-config';
import type { Command, CommandContext } from '../command';
import { openCursorTable, resolveStackTarget, resolveTarget } from '../context';
import { ExitCode } from '../exit-codes';
import { commandLine } from '../install-kind';
import { type ParsedCommandLine, stringValue } from '../options';
import { resultCommand } from '../render';
import type { AthenaSpend } from '../report/athena-report-rows';
import { buildReportData, type QueryRows } from '../report/report-data';
import {
  type CollectorHealth,
  type DetectionsSection,
  readDetections,
  typeHealth,
} from '../report/report-extras';
import { renderReportPage } from '../report/report-html';
import { AWS_TARGET_OPTIONS, JSON_OPTION, STATE_DIR_OPTION } from '../shared-options';
import { describeSource, displayPath, readSource, resolveStateDir } from '../state-dir';
import { reportRefusals } from '../usage-errors';
import { type ReportResult, reportView } from './report-view';

const DAY_MS = 86_400_000;
/** The longest period: the partition projection's range goes back further, a page of days does not. */
const MAX_DAYS = 366;
const DEFAULT_FILE = 'op-events-report.html';

/** `--since 30d`: a number of whole days, today (UTC) included. */
export function parseSinceDays(value: string | undefined): number {
  const text = (value ?? '30d').trim();
  const match = /^(\d{1,4})d$/.exec(text);
  const days = match ? Number(match[1]) : Number.NaN;
  if (!(days >= 1 && days <= MAX_DAYS)) {
    throw reportRefusals.sinceNotDays(value, MAX_DAYS);
  }
  return days;
}

/** The window of the last `days` UTC days, today included. */
export function reportWindow(days: number, now: number): ReportWindow & { lastDay: string } {
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  return { firstDay: day(now - (days - 1) * DAY_MS), lastDay: day(now) };
}

/** The output file: --out, else op-events-report.html here; never a folder. */
function outputFile(value: string | undefined): string {
  if (value !== undefined && value.trim() === '') throw reportRefusals.outEmpty();
  const file = resolve(value ?? DEFAULT_FILE);
  if (existsSync(file) && statSync(file).isDirectory()) {
    throw reportRefusals.outIsFolder(value, join(value ?? '.', DEFAULT_FILE));
  }
  if (!existsSync(dirname(file))) {
    throw reportRefusals.outFolderMissing(value, dirname(file));
  }
  return file;
}

async function localHealth(
  args: ParsedCommandLine,
  context: CommandContext,
  dynamodbDir: string,
): Promise<CollectorHealth> {
  if (!existsSync(dynamodbDir)) {
    return {
      status: 'unavailable',
      why:
        `No collector state in ${displayPath(dirname(dynamodbDir))}: ` +
        `"${commandLine('start')}" has not run there.`,
    };
  }
  return readHealth(args, context);
}

async function readHealth(args: ParsedCommandLine, context: CommandContext): Promise<CollectorHealth> {
  const target = resolveTarget(args, context.env);
  try {
    const table = await openCursorTable(target, args, { purpose: 'op-events report', now: context.now });
    try {
      const states = await Promise.all(EVENT_TYPES.map((type) => table.store.read(type)));
      const now = context.now();
      return { status: 'read', where: table.where, types: states.map((state) => typeHealth(state, now)) };
    } finally {
      await table.close();
    }
  } catch (error) {
    return { status: 'unavailable', why: `The cursor table could not be read: ${describeError(error)}` };
  }
}

interface Gathered {
  readonly rows: QueryRows;
  readonly source: string;
  readonly notes: string[];
  readonly detections: DetectionsSection;
  readonly health: CollectorHealth;
  readonly athena: AthenaSpend | undefined;
}

async function gatherLocal(
  args: ParsedCommandLine,
  context: CommandContext,
  window: ReportWindow,
): Promise<Gathered> {
  const state = resolveStateDir(stringValue(args, 'state-dir'), context.env);
  const notes: string[] = [];
  const source = readSource(state);
  if (source?.kind === 'demo')
    notes.push(`${displayPath(state.root)} holds ${describeSource(source)}, not a real account's events.`);
  // Loaded here, not at start-up: DuckDB's native module costs every other command about 80 ms.
  const [{ openEventDatabase }, { localReportRows }] = await Promise.all([
    import('../event-database'),
    import('../report/local-report-rows'),
  ]);
  const db = await openEventDatabase(state.s3);
  let rows: QueryRows;
  try {
    for (const failure of db.viewFailures)
      notes.push(`The view ${failure.view.name} could not be created on DuckDB: ${failure.error}`);
    rows = await localReportRows(db, window);
  } finally {
    db.close();
  }
  return {
    rows,
    source: `the local store ${displayPath(state.s3)}${source ? ` (${describeSource(source)})` : ''}`,
    notes,
    detections: readDetections(state, window.firstDay),
    health: await localHealth(args, context, state.dynamodb),
    athena: undefined,
  };
}

/** The report of stack `stackName` (the value of --stack), read with Athena. */
async function gatherAthena(
  args: ParsedCommandLine,
  context: CommandContext,
  window: ReportWindow,
  stackName: string,
): Promise<Gathered> {
  const resources = await resolveStackTarget(args, stackName).stack();
  const { athenaReportRows } = await import('../report/athena-report-rows');
  const { rows, spend } = await athenaReportRows(
    resources,
    awsClientConfig(args),
    window,
    context,
    (bytes, usd) =>
      context.out.note(
        bytes === undefined
          ? 'Running the report queries in Athena (no estimate: the stack names no events bucket S3 ' +
              'could list).'
          : `Estimated before running: ${formatBytes(bytes)} scanned, ${formatUsd(usd ?? 0)} at ` +
              "Athena's list price (the window's objects, once per query that reads them; 10 MB " +
              'minimum per query).',
      ),
  );
  return {
    rows,
    source: `Athena (workgroup ${spend.workGroup}, database ${spend.database}, stack ${resources.stackName})`,
    notes: [spendNote(spend)],
    detections: {
      status: 'none',
      why:
        'No detections recorded here: op-events detections run keeps them in a local state folder, ' +
        `and this report read Athena (stack ${resources.stackName}).`,
    },
    health: await readHealth(args, context),
    athena: spend,
  };
}

function spendNote(spend: AthenaSpend): string {
  const estimate =
    spend.estimatedBytes === undefined
      ? 'no estimate beforehand'
      : `estimated beforehand at ${formatBytes(spend.estimatedBytes)} ` +
        `(${formatUsd(spend.estimatedUsd ?? 0)})`;
  return (
    `Athena scanned ${formatBytes(spend.scannedBytes)} for this report in ${spend.queries.length} ` +
    `queries, ${formatUsd(spend.usd)} at the list price of $5 per TB with 10 MB per query minimum ` +
    `(${estimate}).`
  );
}

/** Everything the report shows, and the page written to --out. Prints nothing but progress. */
export async function gatherReport(args: ParsedCommandLine, context: CommandContext): Promise<ReportResult> {
  const stack = stringValue(args, 'stack');
  if (stack !== undefined && stringValue(args, 'state-dir') !== undefined) {
    throw reportRefusals.stateDirWithStack();
  }
  if (stack === undefined) requireStackForAwsOptions(args);
  const sinceDays = parseSinceDays(stringValue(args, 'since'));
  const file = outputFile(stringValue(args, 'out'));
  const now = context.now();
  const window = reportWindow(sinceDays, now);
  context.out.status(`Reading the events of ${window.firstDay} to ${window.lastDay}…`);
  const gathered =
    stack === undefined
      ? await gatherLocal(args, context, window)
      : await gatherAthena(args, context, window, stack);
  context.out.clearStatus();
  const data = buildReportData(gathered.rows, window);
  const generatedAt = new Date(now).toISOString();
  // Readable by its owner only (the page names people and what they did), written whole or not at all.
  writePrivateFile(
    file,
    renderReportPage({
      source: gathered.source,
      notes: gathered.notes,
      generatedAt,
      sinceDays,
      data,
      detections: gathered.detections,
      health: gathered.health,
    }),
  );
  return {
    exitCode: ExitCode.Ok,
    file,
    source: gathered.source,
    sinceDays,
    firstDay: window.firstDay,
    lastDay: window.lastDay,
    generatedAt,
    data,
    detections: gathered.detections,
    health: gathered.health,
    athena: gathered.athena,
  };
}

export const reportCommand: Command = resultCommand(
  {
    name: 'report',
    brief: 'A self-contained HTML page of the activity: sign-ins, usage, admin actions, countries, health.',
    usage: 'op-events report [--since 30d] [--out FILE] [--json] [--state-dir DIR | --stack NAME]',
    summary:
      'Writes one HTML page (no script, nothing loaded from the network) of the last days of activity: ' +
      'events per day per type, sign-in outcomes and failures by reason, top users, vaults and items by ' +
      'usage, item reveals and exports by vault, ' +
      "admin actions, sign-in countries, detections by rule and severity, and the collector's health. " +
      'Reads the local store with DuckDB, or with --stack the deployed views in Athena (saying what it ' +
      'will scan and cost first).',
    options: {
      since: {
        type: 'string',
        value: 'Nd',
        description: 'The last N days, today (UTC) included (default 30d, at most 366d).',
      },
      out: {
        type: 'string',
        value: 'FILE',
        description: `The HTML file to write (default ${DEFAULT_FILE} in the current folder).`,
      },
      ...JSON_OPTION,
      ...STATE_DIR_OPTION,
      stack: {
        type: 'string',
        value: 'NAME',
        description: "Read the deployed stack's Athena views (and its cursor table for the health section).",
      },
      ...AWS_TARGET_OPTIONS,
    },
    details:
      'Every chart has a table of its numbers beside it. ' +
      'Names come from the lookups where they are loaded\n' +
      '(op-events lookups load). The page is written readable by you only: ' +
      'it names people and what they did.\n' +
      "With --stack: each query reads only its type's days (pruned by dt); " +
      'the estimate on stderr is the bytes of\n' +
      "those days' objects in S3, and after the run what Athena scanned, " +
      'at $5 per TB with 10 MB per query minimum.',
    examples: [
      { args: '--out report.html', does: 'The last 30 days of the local store.' },
      { args: '--since 7d --out week.html', does: 'The last 7 days.' },
      { args: '--stack OnePasswordEvents --out report.html', does: "A deployed stack's Athena views." },
    ],
  },
  gatherReport,
  reportView,
);
