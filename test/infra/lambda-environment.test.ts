import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/app/app';
import {
  OnePasswordEventsPipeline,
  type OnePasswordEventsPipelineProps,
} from '../../infra/constructs/onepassword-events-pipeline';
import {
  DEPLOY_TIME_VALUE_BYTES,
  environmentBytes,
  refuseOversizedEnvironments,
} from '../../infra/props/lambda-environment';
import { LAMBDA } from '../../shared/contracts/aws-limits';
import { cdkJsonContext, errorOf, NO_BUNDLING } from './helpers';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
/** `count` distinct 1Password uuids (26 characters of base32). */
const uuids = (count: number) =>
  Array.from({ length: count }, (_, i) => `ABCDEFGHIJKLMNOPQRSTUVWX${BASE32[i >> 5]}${BASE32[i & 31]}`);

const stack = () => new Stack(new App({ context: { ...cdkJsonContext(), ...NO_BUNDLING } }), 'Test');

/** A function with exactly these variables (and no others: inline code adds none). */
function functionWith(scope: Stack, variables: Record<string, string>): lambda.Function {
  return new lambda.Function(scope, 'Fn', {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => {};'),
    environment: variables,
  });
}

describe("a function's environment against Lambda's 4 KB", () => {
  it('is measured as Lambda measures it: the variables as JSON text, in UTF-8 bytes', () => {
    expect(LAMBDA.maxEnvironmentBytes).toBe(4096);
    expect(environmentBytes({ A: 'b' })).toBe('{"A":"b"}'.length);
    expect(environmentBytes({ TITLE: 'Zürich' })).toBe('{"TITLE":"Zürich"}'.length + 1);
    // A value CloudFormation fills in at deploy counts at its estimate.
    const scope = stack();
    const bucket = new s3.Bucket(scope, 'Bucket');
    expect(environmentBytes({ B: bucket.bucketName })).toBe(`{"B":""}`.length + DEPLOY_TIME_VALUE_BYTES);
  });

  it('holds at exactly 4096 bytes and refuses one byte more, naming the function, its size and the limit', () => {
    const exactly = (extra: number) => {
      const scope = stack();
      const filler = 4096 - '{"SETTINGS":""}'.length + extra;
      return functionWith(scope, { SETTINGS: 'x'.repeat(filler) });
    };
    expect(() => refuseOversizedEnvironments([exactly(0)])).not.toThrow();
    const error = errorOf(() => refuseOversizedEnvironments([exactly(1)]));
    expect(error.message).toContain('Test/Fn (4,097 bytes');
    expect(error.message).toContain("larger than Lambda's 4,096 bytes");
  });
});

describe('the pipeline refuses detection settings its functions could not carry', () => {
  const pipeline = (props: OnePasswordEventsPipelineProps) =>
    new OnePasswordEventsPipeline(stack(), 'Pipeline', { eventTypes: ['auditevents'], ...props });

  it('at synth, naming each function (the collectors and the scheduled rules), the sizes and what to do', () => {
    const error = errorOf(() =>
      pipeline({ detections: { settings: { watchlists: { vaults: uuids(200) } } } }),
    );
    expect(error.key).toBe('detections.settings');
    expect(error.message).toMatch(/^Test\/Pipeline: Invalid "detections.settings": make the environment of/);
    expect(error.message).toMatch(/Test\/Pipeline\/auditevents\/Function \([\d,]+ bytes, DETECTION_SETTINGS/);
    expect(error.message).toMatch(/Test\/Pipeline\/ScheduledRules\/Function \([\d,]+ bytes/);
    expect(error.message).toContain('4,096 bytes');
    expect(error.message).toMatch(
      /DETECTION_SETTINGS, which has room for about [\d,]+ bytes: shorten the watchlists/,
    );
    expect(error.message).toContain('or leave out what equals the default, in detections.settings.');
  });

  it('and passes watchlists that fit, which reach the functions whole', () => {
    const built = pipeline({ detections: { settings: { watchlists: { vaults: uuids(20) } } } });
    const settings = built.collector('auditevents').function.node.defaultChild as lambda.CfnFunction;
    const variables = (Stack.of(built).resolve(settings.environment) as { variables: Record<string, string> })
      .variables;
    expect(JSON.parse(variables.DETECTION_SETTINGS as string).watchlists.vaults).toHaveLength(20);
    expect(environmentBytes(variables)).toBeLessThan(LAMBDA.maxEnvironmentBytes);
  });

  it('from the CDK context too (-c detectionSettings), before anything is deployed', () => {
    const context = {
      ...cdkJsonContext(),
      ...NO_BUNDLING,
      detectionSettings: { watchlists: { groups: uuids(200) } },
    };
    const error = errorOf(() => buildApp({ context, nag: false }));
    expect(error.key).toBe('detectionSettings');
    expect(error.message).toMatch(/^OnePasswordEvents\/Pipeline: Invalid "detectionSettings": make the/);
    expect(error.message).toContain('OnePasswordEvents/Pipeline/auditevents/Function');
    expect(error.message).toContain('or leave out what equals the default, in detectionSettings.');
    expect(error.message).not.toContain('detections.settings');
  });

  it('naming the context key the settings were given with: -c detectionSettingsFile', () => {
    const dir = mkdtempSync(join(tmpdir(), 'op-events-settings-'));
    try {
      const file = join(dir, 'settings.json');
      writeFileSync(file, JSON.stringify({ watchlists: { groups: uuids(200) } }));
      const context = { ...cdkJsonContext(), ...NO_BUNDLING, detectionSettingsFile: file };
      const error = errorOf(() => buildApp({ context, nag: false }));
      expect(error.key).toBe('detectionSettingsFile');
      expect(error.constructPath).toBe('OnePasswordEvents/Pipeline');
      expect(error.message).toMatch(
        /^OnePasswordEvents\/Pipeline: Invalid "detectionSettingsFile": make the environment of/,
      );
      expect(error.message).toContain('or leave out what equals the default, in detectionSettingsFile.');
      expect(error.message).not.toContain('detections.settings');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
