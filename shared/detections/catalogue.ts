import type { RuleDescription } from './rule';
import { EVENT_RULES } from './rules/event-rule-list';
import { WINDOW_RULES } from './rules/window-rule-list';

/** Every rule: those one event decides, then those over windows, baselines or several types. */
export const ALL_RULES: readonly ((typeof EVENT_RULES)[number] | (typeof WINDOW_RULES)[number])[] = [
  ...EVENT_RULES,
  ...WINDOW_RULES,
];

export const RULE_IDS: readonly string[] = ALL_RULES.map((rule) => rule.id);

export function findRule(id: string): (typeof ALL_RULES)[number] | undefined {
  return ALL_RULES.find((rule) => rule.id === id);
}

/** How a rule runs, in words, for the catalogue. */
export function whereItRuns(rule: RuleDescription & { readonly kind: 'event' | 'window' }): string {
  return rule.kind === 'event' ? 'each delivered page (collector)' : 'schedule (Athena) / local (DuckDB)';
}
