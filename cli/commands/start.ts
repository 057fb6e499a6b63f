import { existsSync } from 'node:fs';
import { EVENT_TYPES, type EventType } from '../../shared/contracts/event-types';
import { ALERT_DETAIL_TYPE, ALERT_SOURCE, type AlertDetail } from '../../shared/detections/alert-event';
import { drainType, type TypeOutcome } from '../collect-locally';
import type { Command, CommandContext } from '../command';
import { demoEventsToCollect, perTypeText } from '../demo-backlog';
import { type DemoApi, demoDetectionSettingsText, growDemoData, startDemoApi } from '../demo-data';
import {
  storedDetectionSettingsEnv,
  storedSettingsPath,
  writeStoredSettings,
} from '../detections/settings-file';
import { driftNote } from '../drift-notes';
import { ExitCode, exitCodeFor } from '../exit-codes';
import { commandLine } from '../install-kind';
import type { Interrupts } from '../interrupts';
import type { Output } from '../io';
import { startLocalEnvironment } from '../local-environment';
import { collectorEnvironment, type LocalRunPlan, planLocalRun } from '../local-run-plan';
import { localTelemetry } from '../local-telemetry';
import { type CommandLineSpec, flag, type ParsedCommandLine } from '../options';
import { render } from '../render';
import { JSON_OPTION, STATE_DIR_OPTION, TYPES_OPTION, VERBOSE_OPTION } from '../shared-options';
import { displayPath, recordSource } from '../state-dir';
import { lockState } from '../state-lock';
import { TOKEN_VARIABLE } from '../token-choice';
import { collectionRoundView, narrationView } from './start-view';

/**
 * `op-events start` (what `npm start` runs): the real collector (createRuntime + runCollector, as the Lambda
 * handler runs it) for each event type, against loopback stand-ins for DynamoDB, Firehose and Secrets Manager
 * whose state is kept under `.local/`. Without OP_EVENTS_TOKEN it collects demo data from the local
 * simulator.
 */
const START_SPEC: CommandLineSpec = {
  name: 'start',
  brief: 'Runs the collector locally (demo data without a token) until caught up; npm start runs it.',
  usage:
    'op-events start [--types a,b] [--watch [--interval SECONDS]] [--max-runs N] [--json] [--verbose] ' +
    '[--state-dir DIR]',
  summary:
    'Runs the collector locally for each event type until it has caught up: cursors in ' +
    '<state>/dynamodb, events in ' +
    '<state>/s3/events/<type>/dt=YYYY-MM-DD/ as gzip NDJSON (the bucket layout). With OP_EVENTS_TOKEN ' +
    'it reads your ' +
    "account's events (host from the token, or EVENTS_API_URL); without it, demo data from a local " +
    'simulator.',
  options: {
    ...TYPES_OPTION,
    watch: { type: 'boolean', description: 'Keep collecting every --interval seconds until Ctrl-C.' },
    interval: {
      type: 'string',
      value: 'SECONDS',
      description: 'Pause between collections with --watch (default 60).',
    },
    'max-runs': {
      type: 'string',
      value: 'N',
      description: 'Collector runs per type per collection before stopping with more to fetch (default 20).',
    },
    ...JSON_OPTION,
    ...VERBOSE_OPTION,
    ...STATE_DIR_OPTION,
  },
  details:
    "The collector's own variables apply (START_TIME, START_LOOKBACK_HOURS, PAGE_SIZE, " +
    'MAX_EVENTS_PER_RUN, ...).\n' +
    'A second start continues from the stored cursors. In a clone, "npm start -- ARGS" runs "op-events ' +
    'start ARGS".\n' +
    'Results (the summary table, or --json) go to stdout; progress, one line rewritten in place on a ' +
    'terminal, to stderr.\n' +
    'Ctrl-C: the first finishes the current runs, the second stops at once; both exit with 130 and ' +
    'free the state folder.\n' +
    'Exit code 0 when every type succeeded, 1 when one failed, 2 for bad input, 3 when the token is ' +
    'refused or lacks a\n' +
    'feature, 130 when stopped by Ctrl-C.',
  examples: [
    {
      args: '',
      does:
        'Collect generated demo data (no OP_EVENTS_TOKEN set) into the state folder until every type has ' +
        'caught up.',
    },
    {
      args: '--state-dir .local-account',
      does: "With OP_EVENTS_TOKEN set: collect your account's events into a folder of their own.",
    },
    {
      args: '--types auditevents --watch --interval 300',
      does: 'Keep collecting audit events every 5 minutes until Ctrl-C.',
    },
    {
      args: '--json',
      does: 'One JSON object per type with how the collection ended (progress stays on stderr).',
    },
  ],
};

/** Ctrl-C: the first stops after the current runs, the second at once (both exit with 130). */
class StopSignal {
  requested = false;
  private wake: (() => void) | undefined;

  constructor(
    private readonly out: Output,
    private readonly interrupts: Interrupts,
  ) {}

  readonly onSignal = () => {
    if (this.requested) {
      this.out.note('Stopping now; a run cut short keeps its lease until its deadline (under a minute).');
      this.interrupts.stopNow();
      return;
    }
    this.requested = true;
    this.out.note('Stopping after the current runs (Ctrl-C again to stop at once)...');
    this.wake?.();
  };

  /** Waits `ms` unless a stop is requested first. */
  pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}

/** Tells the person what `start` does: report lines on stdout, or stderr when stdout carries --json. */
type Say = (...lines: string[]) => void;

/** The demo simulator, started by the first collection of a `start` and kept for its --watch rounds. */
interface DemoRound {
  api: DemoApi | undefined;
  bannerShown: boolean;
}

function perTypeCount(texts: Readonly<Record<EventType, readonly string[]>>): Record<EventType, number> {
  return Object.fromEntries(EVENT_TYPES.map((type) => [type, texts[type].length])) as Record<
    EventType,
    number
  >;
}

/**
 * What this start collects, in the numbers its table will show: per collected type, the events after
 * the stored cursor, which are this start's new demo events plus any an earlier start left.
 */
function demoToCollectText(
  added: Record<EventType, number>,
  waiting: Partial<Record<EventType, number>>,
  types: readonly EventType[],
): string {
  const addedHere = types.reduce((sum, type) => sum + added[type], 0);
  const toCollect = Object.fromEntries(types.map((type) => [type, waiting[type] ?? added[type]]));
  const leftOver = types.reduce((sum, type) => sum + (toCollect[type] ?? 0), 0) - addedHere;
  const others = EVENT_TYPES.filter((type) => !types.includes(type) && added[type] > 0);
  const what =
    leftOver > 0
      ? `${perTypeText(toCollect, 'demo events')}: ${addedHere.toLocaleString('en-US')} new since the ` +
        `last collection (a few of them late, hours old) and ${leftOver.toLocaleString('en-US')} that ` +
        'earlier starts left (they ran with --types, or stopped early)'
      : `${perTypeText(toCollect, 'new demo events since the last collection')}, a few of them late ` +
        '(hours old)';
  const notNow =
    others.length > 0
      ? ` ${others.join(' and ')}: not collected now; their new events wait for a start that does.`
      : '';
  return `To collect: ${what}; collection continues from the stored cursors.${notNow}`;
}

function demoBanner(
  demo: DemoApi,
  added: Record<EventType, number>,
  first: boolean,
  toCollect: string,
  stateRoot: string,
): string[] {
  const total = EVENT_TYPES.reduce((sum, type) => sum + added[type], 0);
  const generated = `${total.toLocaleString('en-US')} demo events spanning 5 days were generated`;
  const newFolder = commandLine('start --state-dir <new folder>');
  const ownAccount = `${TOKEN_VARIABLE}=<your Events API token> ${newFolder}`;
  const checkFirst = `"${commandLine('check')}" tests a token first`;
  return [
    'DEMO DATA: no OP_EVENTS_TOKEN was given, so this run collects generated demo events from a local',
    `Events API simulator on ${demo.url}. Nothing is sent to 1Password or AWS.`,
    first ? `First start: ${generated} (${displayPath(stateRoot)}/simulator).` : toCollect,
    `To collect your own account's events: ${ownAccount}`,
    `(demo state and an account's state are kept in separate folders; ${checkFirst})`,
    '',
  ];
}

/** What one collection did: each type's outcome, and the alerts its one-event rules published. */
interface CollectedRound {
  readonly outcomes: TypeOutcome[];
  readonly alerts: readonly AlertDetail[];
}

/**
 * Each type drained in turn, with its pages as progress: one type after another reads well, and the
 * types share one request budget anyway (with a budget under 120 a minute, types opening its window
 * at once make all but one wait a minute).
 */
async function drainTypes(
  plan: LocalRunPlan,
  out: Output,
  stop: StopSignal,
  demoUrl: string | undefined,
  schemaMismatches: Partial<Record<EventType, number>>,
): Promise<TypeOutcome[]> {
  const width = Math.max(...plan.types.map((t) => t.length));
  const outcomes: TypeOutcome[] = [];
  for (const type of plan.types) {
    if (stop.requested) break;
    let pages = 0;
    let events = 0;
    outcomes.push(
      await drainType({
        type,
        env: collectorEnvironment(plan, type, demoUrl),
        telemetry: localTelemetry(type, out, { verbose: plan.verbose, schemaMismatches }),
        maxRuns: plan.maxRuns,
        stopRequested: () => stop.requested,
        onPage: (t, added) => {
          pages++;
          events += added;
          // Progress: one line rewritten in place on a terminal, a line per page elsewhere (stderr).
          out.status(
            `  ${t.padEnd(width)}  page ${String(pages).padStart(3)}  +${added} events  (${events} so far)`,
          );
        },
      }),
    );
  }
  return outcomes;
}

async function collectOnce(
  plan: LocalRunPlan,
  out: Output,
  say: Say,
  stop: StopSignal,
  demo: DemoRound,
  schemaMismatches: Partial<Record<EventType, number>>,
): Promise<CollectedRound> {
  const { state } = plan;
  const unlock = await lockState(state, 'op-events start');
  let environment: Awaited<ReturnType<typeof startLocalEnvironment>> | undefined;
  try {
    let token = plan.token;
    let demoStart: { added: Record<EventType, number>; first: boolean; now: number } | undefined;
    if (plan.demo) {
      const now = Date.now();
      const data = growDemoData(state.simulator, now);
      // The demo's watchlists, so that its scenarios fire the watchlist rules too; a user's own stay.
      if (data.firstBatch && !existsSync(storedSettingsPath(state)))
        writeStoredSettings(state, demoDetectionSettingsText());
      if (!demo.api) demo.api = await startDemoApi(data.all(), now);
      // Only the new events: the simulator already serves the rest.
      else for (const type of EVENT_TYPES) demo.api.simulator.addEventTexts(type, data.added[type]);
      demoStart = { added: perTypeCount(data.added), first: data.firstBatch, now };
      token = demo.api.token;
      out.hide(token);
    }
    // The state folder's detection settings (op-events detections settings load), as the stack passes
    // its own: read once a round for every type's collector.
    const round: LocalRunPlan = { ...plan, env: { ...plan.env, ...storedDetectionSettingsEnv(state) } };
    recordSource(state, plan.source);
    environment = await startLocalEnvironment(state, token, plan.env, 'op-events start');
    if (demo.api && demoStart) {
      const api = demo.api;
      const waiting = await demoEventsToCollect(
        api,
        environment.table.store,
        plan.types,
        (type) => collectorEnvironment(round, type, api.url),
        demoStart.now,
      );
      const toCollect = demoToCollectText(demoStart.added, waiting, plan.types);
      if (!demo.bannerShown) {
        say(...demoBanner(api, demoStart.added, demoStart.first, toCollect, state.root));
        demo.bannerShown = true;
      } else say(`Demo: ${toCollect}`);
    }
    say(`Collecting ${plan.types.join(', ')} (state: ${displayPath(state.root)})`);
    const outcomes = await drainTypes(round, out, stop, demo.api?.url, schemaMismatches);
    out.clearStatus();
    const alerts = environment.alerts
      .filter((event) => event.source === ALERT_SOURCE && event.detailType === ALERT_DETAIL_TYPE)
      .map((event) => event.detail as AlertDetail);
    return { outcomes, alerts };
  } finally {
    await environment?.stop();
    unlock();
  }
}

async function run(args: ParsedCommandLine, context: CommandContext): Promise<ExitCode> {
  const { out } = context;
  const json = flag(args, 'json');
  const say: Say = (...lines) => render(out, narrationView, lines, json);
  const plan = await planLocalRun(args, context.env, out);
  const stop = new StopSignal(out, context.interrupts);
  const giveBackCtrlC = context.interrupts.take(stop.onSignal);
  const demo: DemoRound = { api: undefined, bannerShown: false };
  let exitCode: ExitCode = ExitCode.Ok;
  try {
    for (;;) {
      const started = Date.now();
      const schemaMismatches: Partial<Record<EventType, number>> = {};
      const { outcomes, alerts } = await collectOnce(plan, out, say, stop, demo, schemaMismatches);
      const drift = driftNote(schemaMismatches, {
        demo: plan.demo,
        details:
          `"${commandLine('status')}" lists the fields; "${commandLine('start --verbose')}" shows them ` +
          'run by run',
      });
      const failed = outcomes.find((o) => o.error);
      exitCode = failed ? exitCodeFor(failed.error?.cause) : ExitCode.Ok;
      const round = { outcomes, alerts, stateRoot: plan.state.root, driftNote: drift, exitCode };
      render(out, collectionRoundView, round, json);
      say(`Took ${((Date.now() - started) / 1000).toFixed(1)} s.`);
      if (!plan.watch || stop.requested) break;
      say(`Next collection in ${plan.intervalSeconds} s (Ctrl-C to stop).`, '');
      await stop.pause(plan.intervalSeconds * 1000);
      if (stop.requested) break;
    }
    if (stop.requested) return ExitCode.Interrupted;
    if (!plan.watch && exitCode === ExitCode.Ok) {
      const next = ['status', 'query --named "Failed sign-ins"', '--help'].map((args) => commandLine(args));
      say(`Next: ${next.join('   |   ')}`);
    }
  } finally {
    giveBackCtrlC();
    await demo.api?.stop();
  }
  return exitCode;
}

export const startCommand: Command = { spec: START_SPEC, run };
