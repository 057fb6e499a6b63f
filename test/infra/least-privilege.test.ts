import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { NO_BUNDLING, onlyLogicalId, resource, type Synthesized, synthApp } from './helpers';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const COLLECTOR_ENTRY = resolve(REPO, 'functions/collector.ts');

/** IAM service prefix of each SDK client package the collector may import. */
const SERVICE_OF_CLIENT: Readonly<Record<string, string>> = {
  '@aws-sdk/client-dynamodb': 'dynamodb',
  '@aws-sdk/client-eventbridge': 'events',
  '@aws-sdk/client-firehose': 'firehose',
  '@aws-sdk/client-secrets-manager': 'secretsmanager',
};

/** Every source file the collector function loads: relative imports followed from its entry point. */
function collectorSources(): string[] {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/from '(\.[^']+)'/g)) {
      const base = resolve(dirname(file), match[1] ?? '');
      const next = [`${base}.ts`, resolve(base, 'index.ts')].find((candidate) => existsSync(candidate));
      if (next) visit(next);
    }
  };
  visit(COLLECTOR_ENTRY);
  return [...seen];
}

/** `service:Operation` for every SDK command the collector constructs (`new XCommand(`). */
function sdkActionsOfCollector(): string[] {
  const actions = new Set<string>();
  for (const file of collectorSources()) {
    const text = readFileSync(file, 'utf8');
    for (const imported of text.matchAll(/import \{([^}]+)\} from '(@aws-sdk\/client-[a-z-]+)'/g)) {
      const service = SERVICE_OF_CLIENT[imported[2] ?? ''];
      const names = (imported[1] ?? '').split(',').map((n) => n.replace(/^\s*type\s+/, '').trim());
      for (const name of names.filter((n) => n.endsWith('Command'))) {
        if (!new RegExp(`new ${name}\\(`).test(text)) continue;
        expect(
          service,
          `${file} imports ${name} from ${imported[2]}, a client this test does not map`,
        ).toBeDefined();
        actions.add(`${service}:${name.slice(0, -'Command'.length)}`);
      }
    }
  }
  return [...actions].sort();
}

type Statement = { Sid?: string; Action: string | string[] };

function actionsOf(statements: readonly Statement[]): string[] {
  return statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
}

/** Actions the collector role of `type` is granted: its inline policy and its token policy. */
function grantedActions(built: Synthesized, type: string): string[] {
  const roleId = onlyLogicalId(built.template, 'AWS::IAM::Role', `1Password ${type} collector`);
  const role = resource(built.template, roleId).Properties as {
    Policies: { PolicyDocument: { Statement: Statement[] } }[];
  };
  const inline = role.Policies.flatMap((p) => p.PolicyDocument.Statement);
  const policies = Object.values(built.template.findResources('AWS::IAM::Policy')).filter((p) =>
    JSON.stringify(p.Properties.Roles).includes(roleId),
  ) as { Properties: { PolicyDocument: { Statement: Statement[] } } }[];
  const attached = policies.flatMap((p) => p.Properties.PolicyDocument.Statement);
  return [...new Set(actionsOf([...inline, ...attached]))].sort();
}

describe('the collector role grants exactly the calls the collector makes', () => {
  let built: Synthesized;
  beforeAll(() => {
    built = synthApp({ ...NO_BUNDLING, eventTypes: 'signinattempts,auditevents' });
  });

  it('finds the SDK calls in the collector code (the scan itself works)', () => {
    expect(sdkActionsOfCollector()).toEqual([
      'dynamodb:DeleteItem',
      'dynamodb:GetItem',
      'dynamodb:UpdateItem',
      'events:PutEvents',
      'firehose:PutRecordBatch',
      'secretsmanager:GetSecretValue',
    ]);
  });

  it.each(['signinattempts', 'auditevents'])(
    '%s: the SDK calls plus writing its own logs, nothing else',
    (type) => {
      expect(grantedActions(built, type)).toEqual(
        [...sdkActionsOfCollector(), 'logs:CreateLogStream', 'logs:PutLogEvents'].sort(),
      );
    },
  );

  it('adds only kms:Decrypt, through Secrets Manager, for an existing secret with its own key', () => {
    const reuse = synthApp({
      ...NO_BUNDLING,
      eventTypes: 'itemusages',
      existingSecretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:op-events-token-AbC123',
      existingSecretKmsKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    });
    expect(grantedActions(reuse, 'itemusages')).toEqual(
      [...sdkActionsOfCollector(), 'kms:Decrypt', 'logs:CreateLogStream', 'logs:PutLogEvents'].sort(),
    );
  });
});
