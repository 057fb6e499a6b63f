import { type Stack, Validations } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/app/app';
import { LOOKUP_KINDS } from '../../shared/contracts/lookup-schema';
import { cdkJsonContext, NO_BUNDLING, type Synthesized, synthApp } from './helpers';

/**
 * cdk-nag 3 is a validation plugin: it reports through `validateScope` (and fails `synth`), not
 * through construct annotations. These tests read its report directly.
 */
interface Finding {
  readonly rule: string;
  readonly severity: string | undefined;
  readonly path: string;
}

type Pack = AwsSolutionsChecks | NIST80053R5Checks;

function findings(
  scope: IConstruct,
  honourAcknowledgements: boolean,
  pack: Pack = new AwsSolutionsChecks(),
): Finding[] {
  if (!honourAcknowledgements) {
    // Raw findings: what the stack would report with no acknowledgement at all.
    (pack as unknown as { isAcknowledged: () => boolean }).isAcknowledged = () => false;
  }
  return pack.validateScope(scope).violations.flatMap((v) =>
    v.violatingResources.map((r) => ({
      rule: v.ruleName,
      severity: v.severity,
      path: r.constructPath ?? '',
    })),
  );
}

interface Acknowledgement {
  readonly rule: string;
  readonly reason: string;
  readonly path: string;
}

/**
 * Acknowledgements of one pack's rules (their ids start with the pack's prefix). Those of wildcard
 * resources are written by the constructs' validations, at synth (compliance/nag.ts
 * acknowledgeWildcardResources): they are run here as synth runs them, and each synth writes them
 * again, so one acknowledgement is counted once per construct.
 */
function acknowledgements(scope: IConstruct, rulePrefix = 'AwsSolutions-'): Acknowledgement[] {
  for (const c of scope.node.findAll()) c.node.validate();
  const found = scope.node.findAll().flatMap((c) =>
    c.node.metadata
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((m) =>
        Object.entries(m.data as Record<string, string>)
          .map(([id, reason]) => ({
            rule: id.replace(/^annotation::/i, ''),
            reason,
            path: c.node.path,
          }))
          .filter((a) => a.rule.startsWith(rulePrefix)),
      ),
  );
  const unique = new Map(found.map((a) => [`${a.path} ${a.rule}`, a]));
  return [...unique.values()];
}

const DEFAULT_OPTIONS = {};
const REUSE_OPTIONS = {
  existingBucketName: 'corp-security-logs',
  existingSecretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:op-events-token-AbC123',
  existingSecretKmsKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
  eventTypes: 'signinattempts',
};

describe.each([
  ['default deployment', DEFAULT_OPTIONS],
  ['existing bucket, secret and key, one type', REUSE_OPTIONS],
])('cdk-nag AwsSolutions: %s', (_name, options) => {
  let built: Synthesized;
  beforeAll(() => {
    built = synthApp(options);
  });

  it('leaves zero unacknowledged errors and zero warnings', () => {
    expect(findings(built.app, true)).toEqual([]);
  });

  it('has no error or warning annotations on the stack either (AwsSolutions or CDK)', () => {
    const annotations = Annotations.fromStack(built.stack);
    expect(annotations.findError('*', Match.stringLikeRegexp('AwsSolutions-.*'))).toEqual([]);
    expect(annotations.findWarning('*', Match.stringLikeRegexp('AwsSolutions-.*'))).toEqual([]);
    expect(annotations.findError('*', Match.anyValue())).toEqual([]);
    expect(annotations.findWarning('*', Match.anyValue())).toEqual([]);
  });

  it('acknowledges exactly the raw findings, each where it occurs, with a specific reason', () => {
    const raw = findings(built.app, false);
    const acks = acknowledgements(built.app);
    // Every raw finding is acknowledged on the construct (or an ancestor) it was found on ...
    for (const f of raw) {
      const ack = acks.find(
        (a) => a.rule === f.rule && (f.path === a.path || f.path.startsWith(`${a.path}/`)),
      );
      expect({ finding: f, acknowledged: ack !== undefined }).toEqual({ finding: f, acknowledged: true });
    }
    // ... and no acknowledgement is stale (each silences a finding that exists).
    for (const a of acks) {
      const used = raw.some(
        (f) => f.rule === a.rule && (f.path === a.path || f.path.startsWith(`${a.path}/`)),
      );
      expect({ ack: a.rule, path: a.path, used }).toEqual({ ack: a.rule, path: a.path, used: true });
    }
    // Reasons are written for the finding, not boilerplate.
    expect(new Set(acks.map((a) => a.reason)).size).toBe(acks.length);
    for (const a of acks) expect(a.reason.length).toBeGreaterThan(60);
  });
});

describe('cdk-nag acknowledgements of the default deployment', () => {
  it('are the secret rotation, the two per-type prefix wildcards of the delivery roles, and the prefixes the scheduled rules read and write', () => {
    const { app } = buildApp({ context: cdkJsonContext() });
    const rules = acknowledgements(app)
      .map((a) => `${a.path.replace(/^OnePasswordEvents\/Pipeline\//, '')} ${a.rule}`)
      .sort();
    expect(rules).toEqual(
      [
        'TokenSecret AwsSolutions-SMG4',
        ...['auditevents', 'itemusages', 'signinattempts'].flatMap((t) => [
          `${t}/DeliveryRole AwsSolutions-IAM5[Resource::<PipelineEventsBucket68D8B819.Arn>/errors/${t}/*]`,
          `${t}/DeliveryRole AwsSolutions-IAM5[Resource::<PipelineEventsBucket68D8B819.Arn>/events/${t}/*]`,
          `ScheduledRules/Role AwsSolutions-IAM5[Resource::<PipelineEventsBucket68D8B819.Arn>/events/${t}/*]`,
        ]),
        ...LOOKUP_KINDS.map(
          (kind) =>
            `ScheduledRules/Role AwsSolutions-IAM5[Resource::<PipelineEventsBucket68D8B819.Arn>/lookups/${kind}/*]`,
        ),
        'ScheduledRules/Role AwsSolutions-IAM5[Resource::<PipelineAthenaResultsBucket52541C89.Arn>/results/*]',
      ].sort(),
    );
  });
});

describe('cdk-nag as registered by the app', () => {
  it('fails synthesis when a resource breaks a rule', () => {
    const { app, stack } = buildApp({ context: cdkJsonContext() });
    new s3.Bucket(stack as Stack, 'UnloggedBucket');
    expect(() => app.synth()).toThrow(/AwsSolutions-S1/);
  });
});

const NIST_PREFIX = 'NIST.800.53.R5-';
const EVIDENCE_OPTIONS = {
  tokenSecretKeyAdminArns: 'arn:aws:iam::123456789012:role/security-admins',
  objectLockMode: 'GOVERNANCE',
  objectLockRetentionDays: '90',
  objectLockAtBucketCreation: 'true',
};

describe.each([
  ['default deployment', DEFAULT_OPTIONS],
  ['customer-managed token key and Object Lock', EVIDENCE_OPTIONS],
  ['existing bucket, secret and key, one type', REUSE_OPTIONS],
])('cdk-nag NIST 800-53 rev. 5, reviewed: %s', (_name, options) => {
  let built: Synthesized;
  beforeAll(() => {
    built = synthApp({ ...NO_BUNDLING, ...options });
  });

  it('leaves zero unacknowledged findings', () => {
    expect(findings(built.app, true, new NIST80053R5Checks())).toEqual([]);
  });

  it('acknowledges only findings that exist, each with its own reason', () => {
    const raw = findings(built.app, false, new NIST80053R5Checks());
    const acks = acknowledgements(built.app, NIST_PREFIX);
    expect(acks.length).toBeGreaterThan(0);
    for (const a of acks) {
      const used = raw.some((f) => f.rule === a.rule && f.path.startsWith(`${a.path}/`));
      expect({ ack: a.rule, used }).toEqual({ ack: a.rule, used: true });
      expect(a.reason.length).toBeGreaterThan(100);
    }
    expect(new Set(acks.map((a) => a.reason)).size).toBe(acks.length);
  });
});

describe('the NIST review', () => {
  it('with a customer-managed token key, the secret passes SecretsManagerUsingKMSKey unacknowledged', () => {
    const { app } = synthApp({ ...NO_BUNDLING, ...EVIDENCE_OPTIONS });
    const rule = `${NIST_PREFIX}SecretsManagerUsingKMSKey`;
    expect(findings(app, false, new NIST80053R5Checks()).filter((f) => f.rule === rule)).toEqual([]);
    expect(acknowledgements(app, NIST_PREFIX).map((a) => a.rule)).not.toContain(rule);
  });

  it('keeps the findings the design accepts, and nothing about deletion protection or recovery', () => {
    const { app } = synthApp({ ...NO_BUNDLING });
    const rules = new Set(findings(app, false, new NIST80053R5Checks()).map((f) => f.rule));
    expect([...rules].sort()).toEqual(
      [
        'CloudWatchLogGroupEncrypted',
        'DynamoDBInBackupPlan',
        'IAMNoInlinePolicy',
        'LambdaConcurrency',
        'LambdaDLQ',
        'LambdaInsideVPC',
        'S3BucketReplicationEnabled',
        'S3BucketVersioningEnabled',
        'S3DefaultEncryptionKMS',
        'SecretsManagerRotationEnabled',
        'SecretsManagerUsingKMSKey',
      ].map((r) => `${NIST_PREFIX}${r}`),
    );
  });
});
