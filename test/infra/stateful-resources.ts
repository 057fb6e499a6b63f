/**
 * What identifies each stateful resource of a template: its logical id, and the properties whose
 * change makes CloudFormation replace it (a new bucket, table, secret, key or Glue table, the old one
 * retained or deleted) or rename it. test/infra/stateful-resources.test.ts compares these with the
 * committed snapshot (test/infra/stateful-resources.snapshot.json).
 *
 * Replacement properties, from the CloudFormation template reference ("Update requires:
 * Replacement"): AWS::S3::Bucket BucketName and ObjectLockEnabled
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-s3-bucket.html);
 * AWS::DynamoDB::Table TableName and KeySchema
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-dynamodb-table.html);
 * AWS::SecretsManager::Secret Name; AWS::Glue::Database CatalogId and DatabaseInput.Name (a Glue
 * database or table cannot be renamed: the name is its identity); AWS::Glue::Table CatalogId,
 * DatabaseName and TableInput.Name; AWS::KMS::Key (its logical id: a new key cannot decrypt what the
 * old one encrypted); AWS::Logs::LogGroup LogGroupName, for log groups the stack retains.
 */
import type { Template } from 'aws-cdk-lib/assertions';

type CfnResource = {
  Type: string;
  Properties?: Record<string, unknown>;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
};

/** The identity of one stateful resource, as it is kept in the snapshot. */
export interface StatefulIdentity {
  readonly type: string;
  readonly deletionPolicy: string;
  readonly identity: Record<string, unknown>;
}

const pick = (props: Record<string, unknown>, ...keys: string[]) =>
  Object.fromEntries(keys.filter((k) => props[k] !== undefined).map((k) => [k, props[k]]));

const nested = (props: Record<string, unknown>, key: string, ...keys: string[]) =>
  pick((props[key] ?? {}) as Record<string, unknown>, ...keys);

/** The replacement-relevant properties of each stateful type; other types are not stateful. */
const IDENTITY: Record<string, (props: Record<string, unknown>, r: CfnResource) => unknown> = {
  'AWS::S3::Bucket': (p) => pick(p, 'BucketName', 'ObjectLockEnabled'),
  'AWS::DynamoDB::Table': (p) => pick(p, 'TableName', 'KeySchema'),
  'AWS::SecretsManager::Secret': (p) => pick(p, 'Name'),
  'AWS::Glue::Database': (p) => ({ ...pick(p, 'CatalogId'), ...nested(p, 'DatabaseInput', 'Name') }),
  'AWS::Glue::Table': (p) => ({
    ...pick(p, 'CatalogId', 'DatabaseName'),
    ...nested(p, 'TableInput', 'Name'),
  }),
  'AWS::KMS::Key': () => ({}),
  'AWS::Logs::LogGroup': (p, r) => (r.DeletionPolicy === 'Retain' ? pick(p, 'LogGroupName') : undefined),
};

/** The stateful resources of a template by logical id, sorted. */
export function statefulIdentities(template: Template): Record<string, StatefulIdentity> {
  const resources = template.toJSON().Resources as Record<string, CfnResource>;
  const out: Record<string, StatefulIdentity> = {};
  for (const id of Object.keys(resources).sort()) {
    const r = resources[id] as CfnResource;
    const read = IDENTITY[r.Type];
    const identity = read?.(r.Properties ?? {}, r);
    if (identity === undefined) continue;
    out[id] = {
      type: r.Type,
      deletionPolicy: r.DeletionPolicy ?? 'Delete',
      identity: identity as Record<string, unknown>,
    };
  }
  return out;
}

/** One line per difference between the snapshot and now: what a deploy would replace, rename or drop. */
export function statefulDifferences(
  before: Record<string, StatefulIdentity>,
  now: Record<string, StatefulIdentity>,
): string[] {
  const lines: string[] = [];
  for (const [id, was] of Object.entries(before)) {
    const is = now[id];
    if (!is)
      lines.push(`${id} (${was.type}) is gone or has a new logical id: a deploy deletes or replaces it`);
    else if (JSON.stringify(is) !== JSON.stringify(was))
      lines.push(`${id} (${was.type}) changed ${JSON.stringify(was)} -> ${JSON.stringify(is)}`);
  }
  for (const [id, is] of Object.entries(now)) {
    if (!before[id]) lines.push(`${id} (${is.type}) is new`);
  }
  return lines;
}
