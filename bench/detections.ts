import { ATHENA_PRICE_USD_PER_TB, billedBytes } from '../cli/athena-cost';
import { DEFAULT_SCHEDULE_MINUTES } from '../infra/props/detection-props';
import { EventBridgeStandIn } from '../local/eventbridge-standin';
import { pageToLines } from '../shared/collector/delivery/page-lines';
import { RecordBufferPool } from '../shared/collector/delivery/record-buffer-pool';
import { packRecords } from '../shared/collector/delivery/record-packer';
import { parsePageBody } from '../shared/collector/events-api/page-body';
import { runCollector } from '../shared/collector/run/collector-runtime';
import { EVENT_TYPES, type EventType } from '../shared/contracts/event-types';
import { alertDetail } from '../shared/detections/alert-event';
import { evaluateEventRules } from '../shared/detections/event-rules';
import { WINDOW_RULES } from '../shared/detections/rules/window-rule-list';
import { scheduledWindow } from '../shared/detections/scheduled-rules';
import { DEFAULT_DETECTION_SETTINGS, type DetectionSettings } from '../shared/detections/settings';
import { WINDOW_RULE_VIEWS, windowRuleSql } from '../shared/detections/window-query';
import { vaultExport } from '../test/support/alert-events';
import { makeEvents, PipelineHarness } from '../test/support/pipeline-harness';
import { eventTypeOfFile, withHistoryDatabase } from './athena-bytes';
import { demoEventTexts, pageBody } from './demo-pages';
import { eventFileScans } from './duckdb-scans';
import { HOT_PATH_DEFAULTS } from './hot-path';
import { PRICES } from './prices';
import { mark, n, TARGETS, table, usd } from './report-format';
import { withRowsAndSection } from './results-splice';
import { median, msPerCall } from './stats';

/**
 * Issue 22 item 8: what the detections cost the pipeline. The hot path with every one-event rule
 * on against the JSON floor; the time from an event at the API to its alert published; the monthly
 * bill of the scheduled window rules at 1M events a month.
 */

/** Every watchlist holds entries, so the watchlist rules do their lookups (none of them matches). */
const EVERY_RULE_ON: DetectionSettings = {
  ...DEFAULT_DETECTION_SETTINGS,
  watchlists: {
    vaults: ['BENCHVAULT0000000000000001'],
    groups: ['BENCHGROUP0000000000000001'],
    items: ['BENCHITEM00000000000000001'],
    itemTitles: ['bench title'],
  },
  disabledRules: [],
};

// ---- 1. Hot path with every one-event rule on -------------------------------------------------

export interface RulesHotPathRow {
  readonly type: EventType;
  /** Median over rounds of collector / floor, without and with the rules. */
  readonly ratioWithout: number;
  readonly ratioWith: number;
  readonly usWithout: number;
  readonly usWith: number;
  readonly usFloor: number;
  /** Alerts the rules raise on the page (the demo events trigger some). */
  readonly alertsPerPage: number;
}

export function measureRulesHotPath(options = HOT_PATH_DEFAULTS): RulesHotPathRow[] {
  return EVENT_TYPES.map((type) => {
    const body = pageBody(demoEventTexts(type, options.eventsPerPage));
    const context = { type, receivedAtMs: Date.parse('2026-01-02T00:01:00Z'), runId: 'bench-run' };
    const pool = new RecordBufferPool();
    // As encodePage does (shared/collector/run/page-delivery.ts): lines, then the rules over the
    // page's parsed events, each detection made an alert (AlertDispatch.detect).
    const collector = (rules: boolean) => () => {
      const page = parsePageBody(body);
      const records = packRecords(pageToLines(page, context).lines, undefined, undefined, pool);
      pool.release(records);
      if (!rules) return records.length;
      const objects = page.items as readonly Record<string, unknown>[];
      return evaluateEventRules(type, objects, EVERY_RULE_ON).map(alertDetail).length;
    };
    const without = collector(false);
    const withRules = collector(true);
    const floor = () => JSON.stringify(JSON.parse(body)).length;
    const alertsPerPage = withRules();
    for (let i = 0; i < options.warmupCalls; i++) {
      without();
      withRules();
      floor();
    }
    const times = { without: [] as number[], with: [] as number[], floor: [] as number[] };
    const ratios = { without: [] as number[], with: [] as number[] };
    const order = [
      ['without', without],
      ['with', withRules],
      ['floor', floor],
    ] as const;
    for (let round = 0; round < options.rounds; round++) {
      // Rotate the order so that none always runs right after another's garbage.
      const ms: Record<string, number> = {};
      for (let k = 0; k < order.length; k++) {
        const [name, fn] = order[(round + k) % order.length] as (typeof order)[number];
        ms[name] = msPerCall(fn, options.callsPerRound);
      }
      times.without.push(ms.without as number);
      times.with.push(ms.with as number);
      times.floor.push(ms.floor as number);
      ratios.without.push((ms.without as number) / (ms.floor as number));
      ratios.with.push((ms.with as number) / (ms.floor as number));
    }
    const perEvent = (values: number[]) => (median(values) * 1000) / options.eventsPerPage;
    return {
      type,
      ratioWithout: median(ratios.without),
      ratioWith: median(ratios.with),
      usWithout: perEvent(times.without),
      usWith: perEvent(times.with),
      usFloor: perEvent(times.floor),
      alertsPerPage,
    };
  });
}

// ---- 2. Detection latency -------------------------------------------------------------------

/** The collectors' default schedule (infra: every minute). */
export const SCHEDULE_SECONDS = 60;
export const LATENCY_TARGET_SECONDS = 120;
const LATENCY_RUNS = 20;
const BACKGROUND_EVENTS = 1000;

export interface DetectionLatency {
  /** Wall time of each collector run, start to return (its alert published: the run settles its sends first). */
  readonly inRunMs: readonly number[];
  readonly inRunP95Ms: number;
  /** p95 of schedule wait (uniform over the interval) + in-run time. */
  readonly p95Seconds: number;
  readonly published: number;
}

export async function measureDetectionLatency(): Promise<DetectionLatency> {
  const harness = await PipelineHarness.start();
  const bus = await EventBridgeStandIn.start({ credentials: harness.credentials, buses: ['alerts'] });
  const endpointBefore = process.env.AWS_ENDPOINT_URL_EVENTBRIDGE;
  process.env.AWS_ENDPOINT_URL_EVENTBRIDGE = bus.url;
  try {
    const inRunMs: number[] = [];
    for (let i = 1; i <= LATENCY_RUNS; i++) {
      harness.api.addEvents('auditevents', [
        ...makeEvents('auditevents', BACKGROUND_EVENTS),
        vaultExport(i, `BENCHACTOR${i}`),
      ]);
      const runtime = harness.runtime('auditevents', { ALERT_EVENT_BUS: 'alerts' });
      const started = performance.now();
      const summary = await runCollector(runtime, { deadlineMs: Date.now() + 30_000 });
      inRunMs.push(performance.now() - started);
      if (summary.alerts?.published !== 1) {
        throw new Error(`run ${i} published ${summary.alerts?.published ?? 'no'} alerts, not 1`);
      }
    }
    return {
      inRunMs,
      inRunP95Ms: percentile(inRunMs, 0.95),
      p95Seconds: p95WithScheduleWait(inRunMs) / 1000,
      published: bus.events.length,
    };
  } finally {
    if (endpointBefore === undefined) delete process.env.AWS_ENDPOINT_URL_EVENTBRIDGE;
    else process.env.AWS_ENDPOINT_URL_EVENTBRIDGE = endpointBefore;
    await bus.stop();
    await harness.stop();
  }
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] as number;
}

/** The p95 of wait + run, the wait uniform over the schedule interval (1,000 steps) and each run equally likely. */
export function p95WithScheduleWait(
  inRunMs: readonly number[],
  scheduleMs = SCHEDULE_SECONDS * 1000,
): number {
  const steps = 1000;
  const sums: number[] = [];
  for (let j = 0; j < steps; j++) {
    const wait = ((j + 0.5) / steps) * scheduleMs;
    for (const run of inRunMs) sums.push(wait + run);
  }
  return percentile(sums, 0.95);
}

// ---- 3. Scheduled rules, monthly cost ---------------------------------------------------------

const TB = 2 ** 40;
/** The scheduled function (infra/constructs/scheduled-rules.ts): every 15 minutes, 256 MB, 5 min timeout. */
const PERIOD_MINUTES = DEFAULT_SCHEDULE_MINUTES;
const FUNCTION_MB = 256;
const FUNCTION_TIMEOUT_S = 300;
const RUNS_PER_MONTH = (30 * 24 * 60) / PERIOD_MINUTES;

export interface RuleBytes {
  readonly rule: string;
  readonly partitions: number;
  readonly bytes: number;
  readonly billedBytes: number;
}

export interface ScheduledCost {
  readonly rules: readonly RuleBytes[];
  readonly billedBytesPerRun: number;
  readonly athenaUsdPerMonth: number;
  /** Lambda at the function's whole timeout on every run: the most its duration can cost. */
  readonly lambdaUsdCeiling: number;
  readonly runsPerMonth: number;
}

export function measureScheduledCost(): Promise<ScheduledCost> {
  return withHistoryDatabase(WINDOW_RULE_VIEWS, async ({ db, now, bytesPerDay }) => {
    const { since, until } = scheduledWindow(now, PERIOD_MINUTES * 60_000);
    const window = { sinceMs: since.getTime(), untilMs: until.getTime() };
    const rules: RuleBytes[] = [];
    for (const rule of WINDOW_RULES) {
      const scans = await eventFileScans(db.connection, windowRuleSql(rule, window, EVERY_RULE_ON, 'duckdb'));
      let bytes = 0;
      let partitions = 0;
      for (const scan of scans) {
        const type = eventTypeOfFile(scan.files[0] ?? '');
        if (scan.filesRead > 0 && !type) throw new Error(`not an event file: ${scan.files[0]}`);
        partitions += scan.filesRead;
        if (type) bytes += scan.filesRead * bytesPerDay[type];
      }
      // As the CLI bills a query (cli/athena-cost.ts): whole MB rounded up, 10 MB at least.
      const billed = billedBytes({ scannedBytes: bytes, state: 'SUCCEEDED', statementType: 'DML' });
      rules.push({ rule: rule.id, partitions, bytes, billedBytes: billed });
    }
    const billedBytesPerRun = rules.reduce((sum, r) => sum + r.billedBytes, 0);
    return {
      rules,
      billedBytesPerRun,
      athenaUsdPerMonth: ((billedBytesPerRun * RUNS_PER_MONTH) / TB) * ATHENA_PRICE_USD_PER_TB,
      lambdaUsdCeiling:
        RUNS_PER_MONTH *
        ((FUNCTION_MB / 1024) * FUNCTION_TIMEOUT_S * PRICES.lambdaArmGbSecond.usd + PRICES.lambdaRequest.usd),
      runsPerMonth: RUNS_PER_MONTH,
    };
  });
}

// ---- Rows and section -------------------------------------------------------------------------

export interface DetectionResults {
  readonly loadAverage: number;
  readonly hotPath: readonly RulesHotPathRow[];
  readonly latency: DetectionLatency;
  readonly cost: ScheduledCost;
}

export const DETECTIONS_SECTION_TITLE = '## 10. Detections (bench/detections.ts)';
export const DETECTIONS_ROW_TITLES = [
  'Hot path with every one-event rule on',
  'Detection latency',
  'Scheduled rules, monthly cost at 1M events a month',
] as const;

export function detectionSummaryRows(r: DetectionResults): string[][] {
  const worst = r.hotPath.reduce((a, b) => (b.ratioWith > a.ratioWith ? b : a));
  const worstWithout = r.hotPath.reduce((a, b) => (b.ratioWithout > a.ratioWithout ? b : a));
  const total = r.cost.athenaUsdPerMonth + r.cost.lambdaUsdCeiling;
  return [
    [
      DETECTIONS_ROW_TITLES[0],
      `${n(worst.usWith, 2)} µs (${worst.type})`,
      `${n(worst.usFloor, 2)} µs JSON.parse + JSON.stringify`,
      `${n(worst.ratioWith, 2)}x (without rules: ${n(worstWithout.ratioWithout, 2)}x)`,
      `≤ ${TARGETS.hotPathRatio}x`,
      mark(r.hotPath.every((row) => row.ratioWith <= TARGETS.hotPathRatio)),
    ],
    [
      DETECTIONS_ROW_TITLES[1],
      `p95 ${n(r.latency.p95Seconds, 1)} s`,
      `schedule wait ≤ ${SCHEDULE_SECONDS} s + in-run p95 ${n(r.latency.inRunP95Ms)} ms`,
      '–',
      `≤ ${LATENCY_TARGET_SECONDS} s (one-event rules)`,
      mark(r.latency.p95Seconds <= LATENCY_TARGET_SECONDS),
    ],
    [
      DETECTIONS_ROW_TITLES[2],
      `${usd(total)} a month at most`,
      `Athena ${usd(r.cost.athenaUsdPerMonth)} + Lambda ≤ ${usd(r.cost.lambdaUsdCeiling)}`,
      '–',
      'recorded',
      '–',
    ],
  ];
}

export function detectionsSection(r: DetectionResults): string {
  const mib = (bytes: number) => `${n(bytes / 2 ** 20, 2)} MiB`;
  return [
    DETECTIONS_SECTION_TITLE,
    '',
    `Measured by \`npm run bench:detections\`; load average ${n(r.loadAverage, 2)} at the start.`,
    '',
    '### Hot path with every one-event rule on',
    '',
    "The collector's page work as encodePage does it (shared/collector/run/page-delivery.ts): parse, lines, " +
      'packed records, then evaluateEventRules over the parsed events and an alert per detection, every rule ' +
      'enabled and every watchlist holding entries (none matching the demo events). Pages of ' +
      `${HOT_PATH_DEFAULTS.eventsPerPage} demo events; without rules, with rules and the floor timed in turn in each ` +
      `of ${HOT_PATH_DEFAULTS.rounds} rounds; each ratio is the median over the rounds. Per event, medians.`,
    '',
    table(
      ['Type', 'Without rules', 'With rules', 'Floor', 'Ratio without', 'Ratio with', 'Alerts per page'],
      r.hotPath.map((row) => [
        row.type,
        `${n(row.usWithout, 2)} µs`,
        `${n(row.usWith, 2)} µs`,
        `${n(row.usFloor, 2)} µs`,
        `${n(row.ratioWithout, 2)}x`,
        `${n(row.ratioWith, 2)}x`,
        row.alertsPerPage,
      ]),
    ),
    '',
    '### Detection latency',
    '',
    'Model: an event becomes visible in the API; the next scheduled run of its collector (every ' +
      `${SCHEDULE_SECONDS} s by default) collects it and publishes its one-event alert in that run, after the ` +
      "page's commit. Latency = the wait for the next run, uniform over the schedule interval, + the run's time. " +
      `The run's time is measured: ${LATENCY_RUNS} collector runs of auditevents against the Events API simulator, ` +
      `dynalite and the EventBridge stand-in (local/), each over ${n(BACKGROUND_EVENTS)} events and one vault export ` +
      '(a new actor each, so none is suppressed), timed from the call to its return, which waits for the alert ' +
      "to be published. Not in it: the scheduler's own delay in invoking, a cold start (section 4), and the " +
      "network to AWS's endpoints instead of loopback.",
    '',
    table(
      ['Runs', 'Alerts published', 'In-run median', 'In-run p95', 'p95 with the schedule wait'],
      [
        [
          r.latency.inRunMs.length,
          r.latency.published,
          `${n(median(r.latency.inRunMs))} ms`,
          `${n(r.latency.inRunP95Ms)} ms`,
          `${n(r.latency.p95Seconds, 1)} s`,
        ],
      ],
    ),
    '',
    '### Scheduled rules, monthly cost at 1M events a month',
    '',
    `The scheduled function runs every ${PERIOD_MINUTES} minutes (${n(r.cost.runsPerMonth)} runs in 30 days) over ` +
      'the last two periods (shared/detections/scheduled-rules.ts), each window rule one Athena query; partitions as at the time of this run (a window across midnight reads one more day). The ' +
      'partitions each rule reads come from the DuckDB plan of its DuckDB text over 400 days of dt= folders, as ' +
      "in section 8, times one day's gzip bytes of its type at 1M events a month (section 8). Athena bills " +
      `$${ATHENA_PRICE_USD_PER_TB} per TB scanned, rounded up to the whole MB with a 10 MB minimum per query (https://aws.amazon.com/athena/pricing/; ` +
      'TB = 2^40 bytes here). Lambda: the run waits for Athena, whose time no stand-in gives, so its cost is the ' +
      `ceiling: ${FUNCTION_MB} MB for the whole ${FUNCTION_TIMEOUT_S} s timeout on every run, plus requests.`,
    '',
    table(
      ['Window rule', 'Partitions read', 'Bytes read', 'Billed'],
      r.cost.rules.map((rule) => [rule.rule, rule.partitions, mib(rule.bytes), mib(rule.billedBytes)]),
    ),
    '',
    `Per run ${mib(r.cost.billedBytesPerRun)} billed; Athena ${usd(r.cost.athenaUsdPerMonth)} a month; Lambda at ` +
      `most ${usd(r.cost.lambdaUsdCeiling)} a month.`,
  ].join('\n');
}

/** RESULTS.md with the detection rows and section put in (replaced when present). */
export function spliceDetections(text: string, results: DetectionResults): string {
  return withRowsAndSection(
    text,
    detectionSummaryRows(results),
    DETECTIONS_SECTION_TITLE,
    detectionsSection(results),
  );
}
