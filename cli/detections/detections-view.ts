import { ALL_RULES } from '../../shared/detections/catalogue';
import type { Detection, Severity } from '../../shared/detections/detection';
import type { DetectionSettings } from '../../shared/detections/settings';
import { formatTable, printable } from '../format-table';
import type { CommandResult, ResultView, Shown } from '../render';
import { displayPath } from '../state-dir';
import type { CaseOutcome } from './rule-cases';
import type { SettingsSource } from './settings-file';

/** `op-events detections list`: the catalogue, with which rules the settings switch off. */
export interface RuleCatalogue extends CommandResult {
  readonly rules: readonly {
    readonly id: string;
    readonly title: string;
    readonly severity: Severity;
    readonly kind: 'event' | 'window';
    readonly event_types: readonly string[];
    readonly mitre: string;
    readonly group_key: string;
    readonly enabled: boolean;
  }[];
}

export function catalogueOf(settings: DetectionSettings): Omit<RuleCatalogue, 'exitCode'> {
  return {
    rules: ALL_RULES.map((rule) => ({
      id: rule.id,
      title: rule.title,
      severity: rule.severity,
      kind: rule.kind,
      event_types: [...rule.eventTypes],
      mitre: `${rule.mitre.id} ${rule.mitre.name}`,
      group_key: rule.groupKeyText,
      enabled: !settings.disabledRules.includes(rule.id),
    })),
  };
}

export const catalogueView: ResultView<RuleCatalogue> = {
  text: ({ rules }) => ({
    lines: [
      formatTable(
        ['id', 'severity', 'runs', 'types', 'MITRE ATT&CK', 'on'],
        rules.map((r) => [
          r.id,
          r.severity,
          r.kind === 'event' ? 'each page' : 'window',
          r.event_types.join(','),
          r.mitre,
          r.enabled ? 'yes' : 'off',
        ]),
      ),
    ],
    notes: [
      `${rules.length} rules; op-events detections list --json gives each with its title and group key.`,
    ],
  }),
  json: ({ rules }) => ({ lines: rules }),
};

/** `op-events detections test`: every case of every rule. */
export interface RuleTestReport extends CommandResult {
  readonly outcomes: readonly CaseOutcome[];
}

export const ruleTestView: ResultView<RuleTestReport> = {
  text: ({ outcomes }) => {
    const failed = outcomes.filter((o) => !o.passed);
    const rules = [...new Set(outcomes.map((o) => o.ruleId))];
    return {
      lines: [
        ...rules.map((id) => {
          const mine = outcomes.filter((o) => o.ruleId === id);
          const bad = mine.filter((o) => !o.passed).length;
          return `${bad === 0 ? 'ok  ' : 'FAIL'}  ${id}  ${mine.length - bad}/${mine.length} cases`;
        }),
        ...failed.map(
          (o) =>
            `FAIL  ${o.ruleId}: ${o.expected === 'fires' ? 'should fire' : 'should stay quiet'} ` +
            `on "${o.caseName}": ${printable(o.problem ?? '')}`,
        ),
      ],
      notes: [
        failed.length === 0
          ? `${rules.length} rules, ${outcomes.length} cases: all passed.`
          : `${failed.length} of ${outcomes.length} cases failed.`,
      ],
    };
  },
  json: ({ outcomes }) => ({
    lines: outcomes.map((o) => ({
      rule_id: o.ruleId,
      case: o.caseName,
      expected: o.expected,
      passed: o.passed,
      ...(o.problem ? { problem: o.problem } : {}),
    })),
  }),
};

/** `op-events detections run`: what the rules found over the local store. */
export interface DetectionRun extends CommandResult {
  readonly detections: readonly Detection[];
  readonly sinceMs: number;
  readonly untilMs: number;
  readonly rules: number;
  readonly settingsSource: SettingsSource;
  readonly settingsPath?: string;
  readonly savedTo: string;
  readonly unmatchedTitles: readonly string[];
}

function who(d: Detection): string {
  return d.user?.email ?? d.user?.name ?? d.user?.uuid ?? '';
}

/** One line of a detection: time, severity, rule, title, group, who, where from, how many events. */
export function detectionLine(d: Detection): string {
  const user = who(d);
  const parts = [
    d.last_seen,
    d.severity.padEnd(8),
    d.rule_id,
    `"${printable(d.title)}"`,
    `group=${printable(d.group_key)}`,
    ...(user ? [`user=${printable(user)}`] : []),
    ...(d.ip ? [`ip=${printable(d.ip)}`] : []),
    `events=${d.event_uuids.length}`,
  ];
  // Each part on one line, the columns two spaces apart.
  return parts.join('  ');
}

const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

function runNotes(run: DetectionRun): string[] {
  const window = `${new Date(run.sinceMs).toISOString()} to ${new Date(run.untilMs).toISOString()}`;
  const from =
    run.settingsSource === 'defaults'
      ? 'default settings'
      : `settings of ${displayPath(run.settingsPath ?? '')}`;
  return [
    `${count(run.detections.length, 'detection')} from ${count(run.rules, 'rule')} over ${window} ` +
      `(${from}); kept in ${displayPath(run.savedTo)}.`,
    ...titleNotes(run.unmatchedTitles),
  ];
}

export const detectionRunView: ResultView<DetectionRun> = {
  text: (run) => ({ lines: run.detections.map(detectionLine), notes: runNotes(run) }),
  json: (run) => ({ lines: run.detections, notes: runNotes(run) }),
};

/** `op-events detections settings load|show`: the settings in effect and where they come from. */
export interface SettingsReport extends CommandResult {
  readonly settings: DetectionSettings;
  readonly source: SettingsSource;
  readonly path?: string;
  readonly stored?: string;
  /** show: watched titles the local items lookup has no item of (the others are shown as uuids). */
  readonly unmatchedTitles?: readonly string[];
}

export const settingsView: ResultView<SettingsReport> = {
  text: (report) => ({
    lines: [JSON.stringify(report.settings, null, 2)],
    notes: [
      report.stored
        ? `Checked and stored in ${displayPath(report.stored)}: op-events detections run uses these settings.`
        : report.source === 'defaults'
          ? 'The default settings (none loaded: op-events detections settings load FILE).'
          : `From ${displayPath(report.path ?? '')}, watched item titles added as uuids from the items ` +
            'lookup.',
      ...titleNotes(report.unmatchedTitles ?? []),
    ],
  }),
  json: (report) => ({ lines: [report.settings], notes: titleNotes(report.unmatchedTitles ?? []) }),
};

/** What `op-events detections` found, whichever action ran, tagged with the action's name. */
export type DetectionsResult =
  | (RuleCatalogue & { readonly action: 'list' })
  | (RuleTestReport & { readonly action: 'test' })
  | (DetectionRun & { readonly action: 'run' })
  | (SettingsReport & { readonly action: 'settings' });

/** A result with the view that shows it, ready to show in either form. */
function shownBy<R>(
  view: ResultView<R>,
  result: R,
): { text(): Shown<string>; json(): Shown<unknown> | undefined } {
  return { text: () => view.text(result), json: () => view.json(result) };
}

function actionView(result: DetectionsResult) {
  switch (result.action) {
    case 'list':
      return shownBy(catalogueView, result);
    case 'test':
      return shownBy(ruleTestView, result);
    case 'run':
      return shownBy(detectionRunView, result);
    case 'settings':
      return shownBy(settingsView, result);
  }
}

/** Each action's result as its own view shows it. */
export const detectionsView: ResultView<DetectionsResult> = {
  text: (result) => actionView(result).text(),
  json: (result) => actionView(result).json(),
};

function titleNotes(unmatched: readonly string[]): string[] {
  if (unmatched.length === 0) return [];
  const titles = unmatched.map((t) => JSON.stringify(t)).join(', ');
  return [
    `No item of the items lookup has the watched title(s) ${titles}: load it with ` +
      'op-events lookups load items FILE.',
  ];
}
