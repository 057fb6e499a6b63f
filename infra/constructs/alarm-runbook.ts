import { constructFaults } from './construct-errors';

/**
 * One alarm: its name suffix, what it means, and the first thing to do. Its description in CloudWatch
 * and its row in the Alarms table of docs/deploy.md say the same (test/infra/alarms.test.ts).
 */
export interface AlarmRunbookEntry {
  readonly suffix: string;
  readonly meaning: string;
  readonly firstStep: string;
}

/**
 * Every alarm a collector has (`<prefix>-<type>-<suffix>`), in the order of the runbook in
 * docs/deploy.md. Each alarm means one thing.
 */
export const ALARM_RUNBOOK: readonly AlarmRunbookEntry[] = [
  {
    suffix: 'token-missing',
    meaning:
      'Runs fail because there is no usable token: the secret is missing, empty, still the placeholder ' +
      'the stack created, or unreadable.',
    firstStep: 'Put the token in the secret (section 3: `put-secret-value` with `file://`).',
  },
  {
    suffix: 'auth-failures',
    meaning:
      "Runs fail because the Events API refused the token (401/403) or the token lacks this type's feature.",
    firstStep:
      'Issue a token with the feature in 1Password (Integrations → Events Reporting) ' +
      'and put it in the secret.',
  },
  {
    suffix: 'token-expiring',
    meaning: 'The token expires within `tokenExpiryDays` days (14 by default), by its own `exp` claim.',
    firstStep: 'Issue a new token in 1Password and put it in the secret before the old one expires.',
  },
  {
    suffix: 'account-changed',
    meaning:
      'Runs fail because the token belongs to another 1Password account than the one this type has ' +
      'collected from.',
    firstStep:
      'Put the right token back; if the new account is intended, run `op-events accept-account --type ' +
      '<type> --stack <stack>`.',
  },
  {
    suffix: 'api-unavailable',
    meaning:
      'Runs have failed for 15 minutes because the Events API answers 5xx, times out or sends broken ' +
      'answers beyond the retries.',
    firstStep:
      "Check 1Password's status page; nothing is lost, the next run after the outage continues from " +
      'the stored cursor.',
  },
  {
    suffix: 'throttled',
    meaning:
      'Runs have stopped on throttling (429 longer than a run can wait) in every 5 minutes for ' +
      '`throttledMinutes` (30 by default).',
    firstStep:
      'Lower `requestBudgetPerMinute`, or find the other integrations that share the account limit ' +
      '(600 requests a minute).',
  },
  {
    suffix: 'delivery-failures',
    meaning:
      'Firehose did not deliver some records to `events/`: S3 writes failed, records went to ' +
      '`errors/`, or the partition count was exceeded.',
    firstStep:
      "Read the stream's delivery log group (`DeliveryLogGroup`), then list `errors/<type>/` in the " +
      'events bucket.',
  },
  {
    suffix: 'firehose-put-failures',
    meaning:
      'Runs fail because Firehose did not take their records: PutRecordBatch was refused (permissions, ' +
      "a missing stream) or kept failing records beyond the retries, or the stream's throughput quota " +
      'could not take a page in time.',
    firstStep:
      'Read the run\'s error ("failed runs and why"): it names the stream and the cause; nothing is ' +
      'lost, the next run repeats the page.',
  },
  {
    suffix: 'alert-publish-failures',
    meaning:
      "For 15 minutes, alerts of this type's detections could not be published to EventBridge " +
      '(PutEvents failed beyond its retries: a missing bus, a denied permission, an outage). ' +
      'Collection goes on; the alerts stay staged in the cursor table and each run tries them again.',
    firstStep:
      'Search the function\'s log group for "Alerts could not be published": its firstError names the ' +
      "cause (the bus in `detections.eventBus`, the role's events:PutEvents).",
  },
  {
    suffix: 'failed-runs',
    meaning:
      'Most runs fail, for 15 minutes, for a cause without an alarm of its own (token, authentication, ' +
      'account, API outage and Firehose put failures have theirs; a throttled run or a spent request ' +
      'budget is not a failure).',
    firstStep: 'Run the saved Logs Insights query "failed runs and why"; each error says what was committed.',
  },
  {
    suffix: 'function-errors',
    meaning:
      'The function ended in error without a failed run being counted: crashes, timeouts or ' +
      'out-of-memory the code could not report (failed runs, which the handler rethrows, are left out).',
    firstStep:
      'Search the function\'s log group for "Task timed out" or "Runtime exited"; ' +
      'raise the timeout or memory.',
  },
  {
    suffix: 'stuck-pages',
    meaning:
      'For 15 minutes the API has answered this type with the page and cursor it was asked for ' +
      '(`has_more` true); the page was delivered once.',
    firstStep:
      'Report it to 1Password support; to move on, `op-events reset --type <type> --from <time after ' +
      'the stuck page>`.',
  },
  {
    suffix: 'stale',
    meaning:
      'Runs keep leaving a backlog whose newest delivered event is older than ' +
      '`freshnessThresholdMinutes` (2 h by default).',
    firstStep:
      'Check the throttled alarm; raise `requestBudgetPerMinute` if other integrations leave room, or ' +
      'the Firehose quota in slow regions.',
  },
  {
    suffix: 'no-events',
    meaning: 'No events delivered for `noEventsWindowHours` (24 h by default); missing data counts.',
    firstStep:
      'Check the other alarms of the type; a quiet account also causes it (raise `noEventsWindowHours`).',
  },
];

/**
 * Every alarm of the scheduled window rules' function (`<prefix>-scheduled-rules-<suffix>`, with
 * detections on), in the order of their table in docs/deploy.md.
 */
export const SCHEDULED_RULES_ALARM_RUNBOOK: readonly AlarmRunbookEntry[] = [
  {
    suffix: 'rule-failures',
    meaning:
      "A window rule's Athena query failed in a run of the scheduled rules (every " +
      '`detections.scheduleMinutes`, 15 by default); the other rules ran. Each run covers the last ' +
      'two periods, so the next one looks at half of that window again; a rule that keeps failing ' +
      'detects nothing.',
    firstStep:
      'Search the log group of the scheduled rules function (its name contains `ScheduledRules`) for ' +
      '"A window rule could not run": `ruleId` names the rule and `error` gives Athena\'s reason.',
  },
  {
    suffix: 'alert-publish-failures',
    meaning:
      'Alerts of the window rules could not be published to EventBridge (PutEvents failed beyond its ' +
      'retries: a missing bus, a denied permission, an outage). They stay staged in the cursor table and ' +
      'each run tries them again.',
    firstStep:
      'Search the log group of the scheduled rules function for "Alerts could not be published": its ' +
      "firstError names the cause (the bus in `detections.eventBus`, the role's events:PutEvents).",
  },
  {
    suffix: 'function-errors',
    meaning:
      'The scheduled rules function ended in error for another cause than a failed rule: a timeout (5 ' +
      'minutes), a crash, or a setting the stack should have set.',
    firstStep:
      'Search the log group of the scheduled rules function for "Task timed out", "Runtime exited" or ' +
      '"is not set" (a missing setting: deploy the stack again).',
  },
];

/** The entry for `suffix` in `runbook`; an alarm without one is a bug of the construct. */
export function runbookEntry(runbook: readonly AlarmRunbookEntry[], suffix: string): AlarmRunbookEntry {
  const entry = runbook.find((candidate) => candidate.suffix === suffix);
  if (!entry) throw constructFaults.alarmWithoutRunbookEntry(suffix);
  return entry;
}

/** An alarm's description in CloudWatch: its runbook line, and where the table is. */
export function alarmDescription(entry: AlarmRunbookEntry): string {
  return `${entry.meaning} First step: ${entry.firstStep} (docs/deploy.md, Alarms)`;
}
