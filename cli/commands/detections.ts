import { writePrivateFile } from '../../local/private-files';
import { ALL_RULES, findRule, RULE_IDS } from '../../shared/detections/catalogue';
import { EVENT_RULES } from '../../shared/detections/event-rules';
import { WINDOW_RULES } from '../../shared/detections/rules/window-rule-list';
import type { Command, CommandContext } from '../command';
import {
  catalogueOf,
  type DetectionRun,
  type DetectionsResult,
  detectionsView,
  type RuleCatalogue,
  type RuleTestReport,
  type SettingsReport,
} from '../detections/detections-view';
import { runWindowRuleOnDuckDb } from '../detections/duckdb-rules';
import { detectLocally } from '../detections/local-detections';
import { eventRuleOutcomes, windowRuleOutcomes } from '../detections/rule-cases';
import { lastRunPath, localSettings, storeSettingsFile, withItemTitles } from '../detections/settings-file';
import { ExitCode } from '../exit-codes';
import { parseTimeInput } from '../inputs';
import { type ParsedCommandLine, stringValue } from '../options';
import { resultCommand } from '../render';
import { JSON_OPTION, STATE_DIR_OPTION } from '../shared-options';
import { resolveStateDir } from '../state-dir';
import { detectionsRefusals } from '../usage-errors';

const DEFAULT_SINCE = '30d';
const ACTIONS = 'list, test, run, settings load FILE, settings show';
const SINCE_DESCRIPTION = [
  'run: from when (an age such as 30d or 12h, a date, or RFC 3339;',
  `default ${DEFAULT_SINCE}).`,
].join(' ');

function noMore(args: ParsedCommandLine, count: number, what: string): void {
  if (args.positionals.length > count) {
    throw detectionsRefusals.extraArgument(what, args.positionals[count]);
  }
}

function chosenRules(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const ids = value.split(',').map((id) => id.trim());
  for (const id of ids) {
    if (!findRule(id)) throw detectionsRefusals.unknownRule(id, RULE_IDS);
  }
  return ids;
}

async function runRules(args: ParsedCommandLine, context: CommandContext): Promise<DetectionRun> {
  noMore(args, 1, 'detections run');
  const now = context.now();
  const since = parseTimeInput(stringValue(args, 'since') ?? DEFAULT_SINCE, '--since', now);
  if (!since || since.ms >= now) throw detectionsRefusals.sinceNotPast();
  const ruleIds = chosenRules(stringValue(args, 'rule'));
  const state = resolveStateDir(stringValue(args, 'state-dir'), context.env);
  const loaded = localSettings(state, stringValue(args, 'settings'));
  const { settings, unmatchedTitles } = withItemTitles(state, loaded.settings);
  const detections = await detectLocally(state.s3, {
    sinceMs: since.ms,
    untilMs: now,
    settings,
    ...(ruleIds ? { ruleIds } : {}),
  });
  const savedTo = lastRunPath(state);
  writePrivateFile(savedTo, detections.map((d) => `${JSON.stringify(d)}\n`).join(''));
  const rules = (ruleIds ?? RULE_IDS).filter((id) => !settings.disabledRules.includes(id)).length;
  return {
    exitCode: ExitCode.Ok,
    detections,
    sinceMs: since.ms,
    untilMs: now,
    rules,
    settingsSource: loaded.source,
    ...(loaded.path ? { settingsPath: loaded.path } : {}),
    savedTo,
    unmatchedTitles,
  };
}

async function testRules(args: ParsedCommandLine, context: CommandContext): Promise<RuleTestReport> {
  noMore(args, 1, 'detections test');
  const ruleIds = chosenRules(stringValue(args, 'rule'));
  const wanted = <R extends { id: string }>(rules: readonly R[]) =>
    rules.filter((r) => !ruleIds || ruleIds.includes(r.id));
  // Whole minutes: the cases place their events in minutes before the window's end.
  const endMs = Math.floor(context.now() / 60_000) * 60_000;
  const outcomes = wanted(EVENT_RULES).flatMap(eventRuleOutcomes);
  for (const rule of wanted(WINDOW_RULES))
    outcomes.push(...(await windowRuleOutcomes(rule, runWindowRuleOnDuckDb, endMs)));
  return { exitCode: outcomes.every((o) => o.passed) ? ExitCode.Ok : ExitCode.Failure, outcomes };
}

function settingsAction(args: ParsedCommandLine, context: CommandContext): SettingsReport {
  const [, verb, file] = args.positionals;
  const state = resolveStateDir(stringValue(args, 'state-dir'), context.env);
  if (verb === 'load') {
    if (file === undefined) throw detectionsRefusals.noSettingsFile();
    noMore(args, 3, 'detections settings load FILE');
    const { settings, stored } = storeSettingsFile(state, file);
    return { exitCode: ExitCode.Ok, settings, source: 'stored', path: stored, stored };
  }
  if (verb === 'show') {
    noMore(args, 2, 'detections settings show');
    const loaded = localSettings(state, stringValue(args, 'settings'));
    // Titles as uuids: what a stack's collector needs (it has no lookup to match titles with).
    const { settings, unmatchedTitles } = withItemTitles(state, loaded.settings);
    return {
      exitCode: ExitCode.Ok,
      settings,
      unmatchedTitles,
      source: loaded.source,
      ...(loaded.path ? { path: loaded.path } : {}),
    };
  }
  throw detectionsRefusals.unknownSettingsAction(verb);
}

function listRules(args: ParsedCommandLine, context: CommandContext): RuleCatalogue {
  noMore(args, 1, 'detections list');
  const state = resolveStateDir(stringValue(args, 'state-dir'), context.env);
  return {
    exitCode: ExitCode.Ok,
    ...catalogueOf(localSettings(state, stringValue(args, 'settings')).settings),
  };
}

/** The action the first argument names, run; prints nothing (detectionsView shows the result). */
async function gatherDetections(args: ParsedCommandLine, context: CommandContext): Promise<DetectionsResult> {
  const [action] = args.positionals;
  if (action === 'list') return { action, ...listRules(args, context) };
  if (action === 'test') return { action, ...(await testRules(args, context)) };
  if (action === 'run') return { action, ...(await runRules(args, context)) };
  if (action === 'settings') return { action, ...settingsAction(args, context) };
  throw detectionsRefusals.unknownAction(action, ACTIONS);
}

export const detectionsCommand: Command = resultCommand(
  {
    name: 'detections',
    brief: 'Detection rules: list them, test them, run them over the local store.',
    usage:
      'op-events detections list | test [--rule ID] | run [--since 30d] [--rule ID] [--settings FILE] | ' +
      'settings load FILE | settings show  [--json] [--state-dir DIR]',
    summary:
      `The ${ALL_RULES.length} detection rules (docs/detections.md): list shows the catalogue; test runs ` +
      "every rule's cases (exit 1 when one fails); run evaluates every rule over the events of the local " +
      'state folder and prints one detection per line, keeping them in ' +
      '<state>/detections/detections.ndjson; settings load checks a settings file and keeps it for run.',
    positionals: { max: 3, description: 'list | test | run | settings load FILE | settings show' },
    options: {
      since: {
        type: 'string',
        value: 'AGE|TIME',
        description: SINCE_DESCRIPTION,
      },
      rule: { type: 'string', value: 'ID[,ID]', description: 'run, test: only these rules.' },
      settings: {
        type: 'string',
        value: 'FILE',
        description: 'run, list, settings show: these settings instead of the loaded ones.',
      },
      ...JSON_OPTION,
      ...STATE_DIR_OPTION,
    },
    details:
      'With --json, run prints each detection as one JSON object (rule_id, severity, title, group_key, ' +
      'event_types, event_uuids, first_seen, last_seen, user, ip, key_fields, query), test one object per ' +
      'case.',
    examples: [
      { args: 'list', does: 'The catalogue: id, severity, how each rule runs, its MITRE ATT&CK technique.' },
      { args: 'test', does: "Every rule's cases that must fire and must stay quiet (what CI runs)." },
      {
        args: 'run --json',
        does: 'Every rule over the last 30 days of the local store, one JSON object per detection.',
      },
      { args: 'run --since 7d --rule sign-in-brute-force', does: 'One rule over the last 7 days.' },
      {
        args: 'settings load detections.json',
        does: 'Check watchlists, thresholds and rules switched off, and keep them for run.',
      },
    ],
  },
  gatherDetections,
  detectionsView,
);
