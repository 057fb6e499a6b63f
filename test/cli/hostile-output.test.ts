import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_NAMES, localClientConfig } from '../../cli/local-services';
import { neutraliseControls } from '../../cli/terminal-text';
import { ensureCursorTable, startDynalite } from '../../local/dynalite-server';
import { INTROSPECT_PATH, makeFakeToken } from '../../local/events-api-simulator';
import { CursorStore } from '../../shared/collector/state/cursor-store';
import { HOSTILE, RAW_CONTROL } from '../support/hostile-text';
import { type CliResult, removeTempDirs, runCli, startTestApi, type TestApi, tempDir } from './cli-harness';

/**
 * Text from outside reaches the terminal only through Output (test/cli/output-path.test.ts): here
 * each kind the review found raw (introspection fields, API error bodies, a run's stored error)
 * is driven through its command, and nothing a terminal would act on comes out, while --json
 * still parses to the exact value. DuckDB's and Athena's error texts: query-read-only.test.ts and
 * query-athena-read-only.test.ts.
 */

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(async () => {
  await api.stop();
  removeTempDirs();
});

const SHOWN = neutraliseControls(HOSTILE);

function expectNothingActedOn(result: CliResult): void {
  expect(result.stdout).not.toMatch(RAW_CONTROL);
  expect(result.stderr).not.toMatch(RAW_CONTROL);
}

describe('text from outside is shown, never acted on', () => {
  const hostileToken = () => {
    const token = makeFakeToken({
      host: 'events.1password.com',
      features: ['auditevents'],
      subject: 'hostile',
    });
    api.sim.addToken(token, {
      features: ['auditevents', `auditevents${HOSTILE}`],
      accountUuid: `ACCOUNT${HOSTILE}`,
      tokenUuid: `TOKEN${HOSTILE}`,
    });
    return token;
  };

  it("check: the introspection answer's fields, as lines and as --json", async () => {
    const token = hostileToken();
    const table = await runCli(['check', '--types', 'auditevents'], api.env(token));
    expect(table.code).toBe(0);
    expectNothingActedOn(table);
    expect(table.stdout).toContain(`account   ACCOUNT${SHOWN}`);
    expect(table.stdout).toContain(`token id  TOKEN${SHOWN}`);

    const json = await runCli(['check', '--types', 'auditevents', '--json'], api.env(token));
    expect(json.code).toBe(0);
    expectNothingActedOn(json);
    expect(JSON.parse(json.stdout)).toMatchObject({
      account: `ACCOUNT${HOSTILE}`,
      tokenId: `TOKEN${HOSTILE}`,
      grantedFeatures: ['auditevents', `auditevents${HOSTILE}`],
    });
  });

  it('check: an error body the API sends', async () => {
    api.sim.enqueueFault({
      path: INTROSPECT_PATH,
      kind: 'status',
      status: 401,
      body: JSON.stringify({ status: 401, message: `bad request ${HOSTILE}` }),
    });
    const result = await runCli(['check', '--types', 'auditevents'], api.env());
    expect(result.code).not.toBe(0);
    expectNothingActedOn(result);
    // (The client folds whitespace, CR and U+2028 included, into spaces.)
    expect(result.stderr).toContain(
      `bad request ${neutraliseControls(HOSTILE.slice(0, HOSTILE.indexOf('\r')))}`,
    );
  });

  it("status: a run's stored error, as a line and as --json", async () => {
    const state = tempDir();
    const dynalite = await startDynalite({ path: join(state, 'dynamodb') });
    const client = new DynamoDBClient(localClientConfig(dynalite.endpoint, dynalite.credentials));
    try {
      await ensureCursorTable(client, LOCAL_NAMES.cursorTable);
      const store = new CursorStore(client, LOCAL_NAMES.cursorTable);
      await store.acquireLease('auditevents', 'run-1', Date.now() + 60_000);
      await store.releaseLease('auditevents', 'run-1', {
        runId: 'run-1',
        startedAt: new Date().toISOString(),
        finishedAt: new Date().toISOString(),
        result: 'failed',
        events: 0,
        pages: 0,
        stopReason: 'error',
        error: `API answered 500: ${HOSTILE}`,
      });
    } finally {
      client.destroy();
      await dynalite.stop();
    }
    const lines = await runCli(['status', '--types', 'auditevents', '--state-dir', state]);
    expect(lines.code).toBe(0);
    expectNothingActedOn(lines);
    expect(lines.stdout).toContain(`auditevents last run failed: API answered 500: ${SHOWN}`);

    const json = await runCli(['status', '--types', 'auditevents', '--state-dir', state, '--json']);
    expectNothingActedOn(json);
    expect(JSON.parse(json.stdout).lastRun.error).toBe(`API answered 500: ${HOSTILE}`);
  });
});
