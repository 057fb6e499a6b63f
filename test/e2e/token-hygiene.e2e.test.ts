import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { handler, resetRuntimeForTests } from '../../functions/collector';
import { runCollector } from '../../shared/collector/run/collector-runtime';
import { type CapturedOutput, captureLambdaOutput } from '../support/lambda-output';
import { fakeContext, makeEvents, PipelineHarness, SECRET_ID } from '../support/pipeline-harness';
import { expectNoTokenPiece } from '../support/token-pieces';

// The token end to end: a malformed secret is refused before anything is sent or cached, and a
// server that echoes the token (or a part of it) gets none of it into a log line, the cursor row or
// the error the Lambda runtime receives.
let h: PipelineHarness;
/** Everything written to stdout, stderr or the console during a test: Powertools log lines and console.error. */
let output: CapturedOutput;

beforeEach(async () => {
  h = await PipelineHarness.start();
  resetRuntimeForTests();
  output = captureLambdaOutput();
});
afterEach(async () => {
  vi.restoreAllMocks();
  resetRuntimeForTests();
  await h.stop();
});

const soon = () => Date.now() + 30_000;

async function handlerError(): Promise<Error> {
  return handler({}, fakeContext()).then(
    () => {
      throw new Error('the handler succeeded');
    },
    (error: unknown) => error as Error,
  );
}

/** What the Lambda runtime reports of a thrown error: its type, message and stack (and any cause). */
function runtimeView(error: Error): string {
  return JSON.stringify({
    errorType: error.name,
    errorMessage: error.message,
    stack: error.stack,
    cause: String((error as { cause?: unknown }).cause ?? ''),
  });
}

describe('a secret with a line break inside the token', () => {
  it.each([
    ['CR LF', '\r\n'],
    ['LF', '\n'],
    ['NUL', '\u0000'],
    ['tab', '\t'],
    ['zero-width space', '\u200b'],
  ])(
    '(%s) is refused with its position, never sent, never cached, and not reported as an outage',
    async (_, bad) => {
      h.api.addEvents('auditevents', makeEvents('auditevents', 3));
      const at = 100;
      h.secrets.setSecret(SECRET_ID, `${h.token.slice(0, at)}${bad}${h.token.slice(at)}`);
      Object.assign(process.env, h.env('auditevents'));

      const error = await handlerError();
      expect(error.message).toMatch(new RegExp(`at character ${at + 1} of ${h.token.length + bad.length}`));
      expect(error.message).toMatch(/Re-save it as one line/);
      expect(error.message).not.toMatch(/did not answer|unavailable/i);
      expect(h.api.requests).toHaveLength(0);
      expect(await h.store().read('auditevents')).toEqual({ type: 'auditevents', totalEvents: 0 });
      expectNoTokenPiece(runtimeView(error) + output.text(), h.token);

      // Fixed in the secret: the very next invocation of the same warm function uses it.
      h.secrets.setSecret(SECRET_ID, h.token);
      const summary = await handler({}, fakeContext());
      expect(summary).toMatchObject({ status: 'ok', events: 3 });
    },
  );
});

describe('a server echoing the token', () => {
  it.each([
    ['the payload', (token: string) => `claims ${token.split('.')[1]} rejected`],
    ['the signature', (token: string) => `signature ${token.split('.')[2]} does not verify`],
    [
      'a 20-character piece of the signature',
      (token: string) => `sig ...${token.split('.')[2]?.slice(10, 30)}...`,
    ],
    ['the whole token', (token: string) => `token ${token} revoked`],
  ])('in a 401 (%s) reaches no log, no cursor row and not the runtime', async (_, echo) => {
    const message = echo(h.token);
    h.api.enqueueFault({
      kind: 'status',
      status: 401,
      path: '/api/v2/auditevents',
      body: JSON.stringify({ status: 401, message }),
    });
    await expect(runCollector(h.runtime('auditevents'), { deadlineMs: soon() })).rejects.toThrow(
      /refused the token/,
    );
    const row = await h.store().read('auditevents');
    expect(row.lastRun?.result).toBe('failed');
    expectNoTokenPiece(JSON.stringify(row), h.token);
    expectNoTokenPiece(h.telemetry.text(), h.token);

    // The same through the Lambda handler: what it logs and what it throws to the runtime.
    h.api.enqueueFault({
      kind: 'status',
      status: 401,
      path: '/api/v2/auditevents',
      body: JSON.stringify({ status: 401, message }),
    });
    Object.assign(process.env, h.env('auditevents'));
    const error = await handlerError();
    expect(error.message).toMatch(/refused the token/);
    // The handler's log line of the failure was captured, so the check below reads what it wrote.
    expect(output.jsonLines().some((line) => line.message === 'Run failed')).toBe(true);
    expectNoTokenPiece(runtimeView(error) + output.text(), h.token);
  });

  it('in 5xx bodies until the retries run out, reported without it', async () => {
    const body = JSON.stringify({ message: `upstream said ${h.token.split('.')[2]}` });
    h.api.setFaultPlan((request) =>
      request.path === '/api/v2/auditevents' ? { kind: 'status', status: 500, body } : undefined,
    );
    const runtime = h.runtime('auditevents', {}, { sleep: async () => undefined });
    await expect(runCollector(runtime, { deadlineMs: soon() })).rejects.toThrow(/did not answer/);
    const row = await h.store().read('auditevents');
    expect(row.lastRun?.error).toMatch(/last: 500/);
    expectNoTokenPiece(JSON.stringify(row), h.token);
    expectNoTokenPiece(h.telemetry.text(), h.token);
  });
});

describe('a configuration error rethrown by the handler', () => {
  it.each([
    ['the token pasted as EVENTS_API_URL', (token: string) => ({ EVENTS_API_URL: token })],
    // URL parsing lower-cases a host: the host error must not quote it, whatever the case.
    ['the token as the EVENTS_API_URL host', (token: string) => ({ EVENTS_API_URL: `https://${token}` })],
    [
      'the token as the EVENTS_API_URL path',
      (token: string) => ({ EVENTS_API_URL: `https://events.1password.com/${token}` }),
    ],
    ['the signature pasted as PAGE_SIZE', (token: string) => ({ PAGE_SIZE: token.split('.')[2] ?? '' })],
    ['the payload pasted as START_TIME', (token: string) => ({ START_TIME: token.split('.')[1] ?? '' })],
  ])('names the variable without repeating the value (%s)', async (_, env) => {
    const settings = env(h.token);
    Object.assign(process.env, h.env('auditevents', settings));
    const error = await handlerError();
    expect(error.message).toContain(Object.keys(settings)[0]);
    expectNoTokenPiece(runtimeView(error) + output.text(), h.token);
    expect(h.api.requests).toHaveLength(0);
  });
});
