import type { EventType } from '../contracts/event-types';
import type { Detection, Severity } from './detection';
import type { RawEvent } from './event-fields';
import type { DetectionSettings } from './settings';

/** A MITRE ATT&CK (Enterprise) technique, https://attack.mitre.org/techniques/<id>/. */
export interface MitreTechnique {
  readonly id: string;
  readonly name: string;
}

/** What every rule states about itself: the catalogue's row. */
export interface RuleDescription {
  /** Lower case words joined by hyphens; unique. */
  readonly id: string;
  readonly title: string;
  readonly severity: Severity;
  readonly mitre: MitreTechnique;
  readonly eventTypes: readonly EventType[];
  /** The condition in words, with the fields it reads. */
  readonly condition: string;
  /** What a responder should check first. */
  readonly responderChecks: string;
  /** What groups repeats of the rule, in words (the detections' `group_key`). */
  readonly groupKeyText: string;
}

/** A test case of a one-event rule: the event, and the settings it is evaluated with (defaults if none). */
export interface EventRuleCase {
  readonly name: string;
  readonly event: RawEvent;
  readonly settings?: DetectionSettings;
}

/**
 * A rule's test cases, kept in `rules/<id>.cases.ts` beside the rule (as Panther keeps a rule's
 * tests beside it) so that the collector's bundle does not carry them: cases that must fire the
 * rule named by `ruleId`, and cases that must not.
 */
export interface RuleCases<Case> {
  readonly ruleId: string;
  readonly fires: readonly Case[];
  readonly quiet: readonly Case[];
}

/** A rule that one event decides: it runs on each delivered page, in the collector and locally. */
export interface EventRule extends RuleDescription {
  readonly kind: 'event';
  readonly eventType: EventType;
  matches(event: RawEvent, settings: DetectionSettings): boolean;
  /** The detection's group key for this event (e.g. the actor's uuid). */
  groupKey(event: RawEvent): string;
  /** The fields a responder reads first. */
  keyFields(event: RawEvent): Detection['key_fields'];
}
