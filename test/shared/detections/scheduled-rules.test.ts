import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ensureCursorTable, type RunningDynalite, startDynalite } from '../../../local/dynalite-server';
import { EventBridgeStandIn } from '../../../local/eventbridge-standin';
import { AlertDispatch } from '../../../shared/collector/run/alert-dispatch';
import type { AlertDetail } from '../../../shared/detections/alert-event';
import { AlertOutbox } from '../../../shared/detections/alert-outbox';
import { EventBridgePublisher } from '../../../shared/detections/alert-publisher';
import { WINDOW_RULES } from '../../../shared/detections/rules/window-rule-list';
import {
  runScheduledRules,
  SCHEDULED_RULES_SOURCE,
  scheduledWindow,
} from '../../../shared/detections/scheduled-rules';
import { DEFAULT_DETECTION_SETTINGS } from '../../../shared/detections/settings';
import { windowRuleAthenaSql } from '../../../shared/detections/window-query';
import { athenaResults } from '../../cli/aws-fakes';
import { standInClientConfig } from '../../local/sdk-config';
import { RecordingTelemetry } from '../../support/recording-telemetry';

// Athena is mocked at its API (its SQL runs on DuckDB in test/shared/detections/window-rules.test.ts);
// the outbox, suppression and publishing run against dynalite and the EventBridge stand-in.
const athena = mockClient(AthenaClient);
let dynalite: RunningDynalite;
let bus: EventBridgeStandIn;
let dynamo: DynamoDBClient;
let tables = 0;

beforeAll(async () => {
  dynalite = await startDynalite();
  bus = await EventBridgeStandIn.start({ buses: ['alerts'] });
  dynamo = new DynamoDBClient(standInClientConfig(dynalite, dynalite.endpoint));
});
afterAll(async () => {
  dynamo.destroy();
  await bus.stop();
  await dynalite.stop();
});
beforeEach(() => {
  athena.reset();
  bus.events.length = 0;
});

const NOW = Date.parse('2026-03-01T12:07:30Z');
const PERIOD_MS = 15 * 60_000;
const bruteForce = WINDOW_RULES.find((rule) => rule.id === 'sign-in-brute-force');

/** Athena's answer to a SELECT: a header row, then the values as text. */
const resultSet = (columns: readonly string[], rows: readonly (string | null)[][]) =>
  athenaResults(
    columns.map((name) => ({ name, type: 'varchar' })),
    rows,
  );

const COLUMNS = [
  'group_key',
  'user_uuid',
  'user_email',
  'user_name',
  'ip',
  'first_seen_ms',
  'last_seen_ms',
  'uuids_signinattempts',
  'failures',
  'distinct_users',
  'distinct_ips',
];
const ROW = [
  'ip:198.51.100.7',
  null,
  null,
  null,
  '198.51.100.7',
  String(NOW - 20 * 60_000),
  String(NOW - 10 * 60_000),
  'A1,A2,A3',
  '12',
  '9',
  '1',
];

async function run(rules = bruteForce ? [bruteForce] : []) {
  const table = `scheduled-${++tables}`;
  await ensureCursorTable(dynamo, table);
  const telemetry = new RecordingTelemetry();
  const events = new EventBridgeClient(standInClientConfig(bus, bus.url));
  const dispatch = new AlertDispatch({
    outbox: new AlertOutbox(dynamo, table, SCHEDULED_RULES_SOURCE, () => NOW),
    publisher: new EventBridgePublisher({
      client: events,
      eventBusName: 'alerts',
      sleep: async () => undefined,
      now: () => NOW,
    }),
    suppressionMs: 60 * 60_000,
    telemetry,
    now: () => NOW,
  });
  const report = await runScheduledRules({
    athena: new AthenaClient({ region: 'us-east-1' }),
    workGroup: 'op-events-wg',
    database: 'op_events',
    settings: DEFAULT_DETECTION_SETTINGS,
    periodMs: PERIOD_MS,
    dispatch,
    telemetry,
    deadlineMs: NOW + 30_000,
    now: () => NOW,
    sleep: async () => undefined,
    rules,
  });
  events.destroy();
  return { report, telemetry };
}

describe('scheduled window rules', () => {
  it('cover two periods ending five minutes before the run, on period boundaries', () => {
    expect(scheduledWindow(NOW, PERIOD_MS)).toEqual({
      since: new Date('2026-03-01T11:30:00Z'),
      until: new Date('2026-03-01T12:00:00Z'),
    });
  });

  it('start each rule’s Athena text for the window and publish its rows as alerts', async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q1' });
    athena
      .on(GetQueryExecutionCommand)
      .resolvesOnce({ QueryExecution: { Status: { State: 'RUNNING' } } })
      .resolves({
        QueryExecution: { Status: { State: 'SUCCEEDED' }, Statistics: { DataScannedInBytes: 123_456 } },
      });
    athena.on(GetQueryResultsCommand).resolves(resultSet(COLUMNS, [ROW]));
    const { report } = await run();
    const start = athena.commandCalls(StartQueryExecutionCommand)[0]?.args[0].input;
    const window = scheduledWindow(NOW, PERIOD_MS);
    expect(start).toEqual({
      QueryString: windowRuleAthenaSql(bruteForce!, window.since, window.until, DEFAULT_DETECTION_SETTINGS),
      WorkGroup: 'op-events-wg',
      QueryExecutionContext: { Database: 'op_events' },
    });
    expect(start?.QueryString).toMatch(/dt >= '2026-03-01' AND dt <= '2026-03-01'/);
    expect(report).toMatchObject({ published: 1, failedRules: [], bytesScanned: 123_456, rules: 1 });
    const alert = bus.events[0]?.detail as AlertDetail;
    expect(alert).toMatchObject({
      rule_id: 'sign-in-brute-force',
      group_key: 'ip:198.51.100.7',
      event_uuids: ['A1', 'A2', 'A3'],
      ip: '198.51.100.7',
      key_fields: { failures: 12, distinct_users: 9, distinct_ips: 1 },
    });
  });

  it('report a rule whose query failed, still publishing the others', async () => {
    const exfiltration = WINDOW_RULES.find((rule) => rule.id === 'item-exfiltration-burst');
    athena
      .on(StartQueryExecutionCommand)
      .resolvesOnce({ QueryExecutionId: 'ok' })
      .resolves({ QueryExecutionId: 'bad' });
    athena.on(GetQueryExecutionCommand, { QueryExecutionId: 'ok' }).resolves({
      QueryExecution: { Status: { State: 'SUCCEEDED' }, Statistics: { DataScannedInBytes: 10 } },
    });
    athena.on(GetQueryExecutionCommand, { QueryExecutionId: 'bad' }).resolves({
      QueryExecution: { Status: { State: 'FAILED', StateChangeReason: 'TABLE_NOT_FOUND' } },
    });
    athena.on(GetQueryResultsCommand).resolves(resultSet(COLUMNS, [ROW]));
    const { report, telemetry } = await run([bruteForce!, exfiltration!]);
    expect(report).toMatchObject({ published: 1, failedRules: ['item-exfiltration-burst'] });
    expect(JSON.stringify(telemetry.logs)).toContain('TABLE_NOT_FOUND');
  });
});
