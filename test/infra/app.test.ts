import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildApp } from '../../infra/app/app';
import { makeFakeToken } from '../../local/simulator/fake-token';
import { expectNoTokenPiece } from '../support/token-pieces';
import { cdkJsonContext } from './helpers';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const run = promisify(execFile);
const outdirs: string[] = [];
const tempOutdir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'op-events-cdk-out-'));
  outdirs.push(dir);
  return dir;
};

afterAll(() => {
  for (const dir of outdirs) rmSync(dir, { recursive: true, force: true });
});

describe('full app synthesis through buildApp (as `cdk synth` runs it)', () => {
  let assembly: CloudAssembly;
  let outdir: string;

  beforeAll(() => {
    outdir = tempOutdir();
    const { app } = buildApp({ context: cdkJsonContext(), outdir });
    assembly = app.synth();
  });

  it('writes one stack named OnePasswordEvents', () => {
    expect(assembly.stacks.map((s) => s.stackName)).toEqual(['OnePasswordEvents']);
    expect(existsSync(join(outdir, 'OnePasswordEvents.template.json'))).toBe(true);
  });

  /** The asset folder of the functions whose environment has (or has not) EVENT_TYPE: the collectors, or the scheduled rules. */
  function assetOf(collector: boolean): { dir: string; codeKeys: Set<string> } {
    const template = assembly.getStackByName('OnePasswordEvents').template;
    const functions = Object.values(
      template.Resources as Record<
        string,
        {
          Type: string;
          Properties: { Code?: unknown; Environment?: { Variables?: Record<string, unknown> } };
        }
      >,
    ).filter(
      (r) =>
        r.Type === 'AWS::Lambda::Function' &&
        (r.Properties.Environment?.Variables?.EVENT_TYPE !== undefined) === collector,
    );
    const codeKeys = new Set(functions.map((r) => JSON.stringify(r.Properties.Code)));
    const dir = readdirSync(outdir).find(
      (d) => d.startsWith('asset.') && [...codeKeys][0]?.includes(d.replace('asset.', '')),
    );
    return { dir: join(outdir, dir as string), codeKeys };
  }

  it('bundles functions/collector.ts once, as minified ESM exporting handler, with the AWS SDK inside', () => {
    // Two assets: the collector, and the scheduled detection rules (functions/scheduled-rules.ts).
    expect(readdirSync(outdir).filter((d) => d.startsWith('asset.'))).toHaveLength(2);
    const { dir: assetDir, codeKeys } = assetOf(true);
    expect(codeKeys.size).toBe(1);
    expect(readdirSync(assetDir)).toEqual(['index.mjs']);
    const code = readFileSync(join(assetDir, 'index.mjs'), 'utf8');
    expect(code).toMatch(/export\s*\{[^}]*\bhandler\b/);
    expect(code).not.toMatch(/from\s*["']@aws-sdk\//);
    // Credentials come from the environment only (functions/lambda-credentials.ts): no SSO, ini files or IMDS chain.
    expect(code).not.toMatch(/fromSSO|sso_start_url/);
    expect(code).toMatch(/AWS_SECRET_ACCESS_KEY/);
    // The CLI's Athena, S3 and CloudWatch clients (op-events verify, query --stack) stay out of it.
    expect(code).not.toMatch(/StartQueryExecution|ListObjectsV2|DescribeAlarms/);
    // Minified: long lines on average.
    expect(code.length / code.split('\n').length).toBeGreaterThan(1000);
    expect(statSync(join(assetDir, 'index.mjs')).size).toBeGreaterThan(1000);
  });

  it('bundles the scheduled rules apart, with Athena, and without the collector', () => {
    const { dir, codeKeys } = assetOf(false);
    expect(codeKeys.size).toBe(1);
    const code = readFileSync(join(dir, 'index.mjs'), 'utf8');
    expect(code).toMatch(/StartQueryExecution/);
    expect(code).not.toMatch(/PutRecordBatch/);
  });

  it('loads as an ES module on Node and fails a run without configuration by naming the variable', async () => {
    const bundle = (await import(pathToFileURL(join(assetOf(true).dir, 'index.mjs')).href)) as {
      handler: (event: unknown, context: unknown) => Promise<unknown>;
    };
    expect(typeof bundle.handler).toBe('function');
    vi.stubEnv('EVENT_TYPE', '');
    try {
      const context = { getRemainingTimeInMillis: () => 50_000, awsRequestId: 'test' };
      // keepNames: error classes keep their names in the minified bundle (they appear in logs).
      await expect(bundle.handler({}, context)).rejects.toMatchObject({
        name: 'ConfigError',
        message: expect.stringMatching(/EVENT_TYPE/),
      });
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('passes the validation plugins (cdk-nag) with nothing to report', () => {
    const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')) as {
      pluginReports: { violations?: unknown[] }[];
    };
    expect(report.pluginReports.flatMap((r) => r.violations ?? [])).toEqual([]);
  });
});

// The CLI runs `npx tsx infra/app/app.ts` with the context in CDK_CONTEXT_JSON. A full synthesis in a
// child process costs 8-12 s on two cores; the failing path below proves the entry point runs
// buildApp with the CLI's context, and the successful synthesis is covered in-process above.
describe('infra/app/app.ts as the CDK CLI runs it (npx tsx infra/app/app.ts)', () => {
  const tsx = join(ROOT, 'node_modules', '.bin', 'tsx');
  const contextEnv = (extra: Record<string, unknown>) => JSON.stringify({ ...cdkJsonContext(), ...extra });

  it('fails with one line naming the bad context key, and exit code 1', async () => {
    const failure = await run(tsx, ['infra/app/app.ts'], {
      cwd: ROOT,
      env: { ...process.env, CDK_OUTDIR: tempOutdir(), CDK_CONTEXT_JSON: contextEnv({ schedule: 'hourly' }) },
    }).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure?.code).toBe(1);
    expect(failure?.stderr.trim()).toMatch(
      /^Configuration error: Invalid "schedule": must be an EventBridge/,
    );
    expect(failure?.stderr).not.toContain('    at ');
  });

  it('never repeats a token given as -c eventsApiUrl=https://<token>, lower-cased host or not', async () => {
    const token = makeFakeToken({ host: 'events.1password.com', features: ['auditevents'] });
    const failure = await run(tsx, ['infra/app/app.ts'], {
      cwd: ROOT,
      env: {
        ...process.env,
        CDK_OUTDIR: tempOutdir(),
        CDK_CONTEXT_JSON: contextEnv({ eventsApiUrl: `https://${token}` }),
      },
    }).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toMatch(/^Configuration error: Invalid "eventsApiUrl": eventsApiUrl host /);
    expectNoTokenPiece(failure?.stderr ?? '', token);
  });
});
