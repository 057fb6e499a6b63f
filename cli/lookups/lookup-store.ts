import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import {
  GetBucketEncryptionCommand,
  PutObjectCommand,
  type PutObjectCommandInput,
  type S3Client,
} from '@aws-sdk/client-s3';
import { writePrivateFile } from '../../local/private-files';
import { LOOKUP_SPECS, type LookupKind, lookupKeyFor } from '../../shared/contracts/lookup-schema';
import { explainAwsError } from '../aws-errors';
import type { LookupRow } from './lookup-input';

/** The object a lookup is stored as: gzip NDJSON, one row per line, the lookup's columns in order. */
export function lookupObjectBody(kind: LookupKind, rows: readonly LookupRow[], loadedAt: string): Buffer {
  const lines = rows.map((row) =>
    JSON.stringify(
      Object.fromEntries(
        LOOKUP_SPECS[kind].columns.map((c) => [
          c.name,
          c.name === 'loaded_at' ? loadedAt : (row[c.name] ?? null),
        ]),
      ),
    ),
  );
  return gzipSync(`${lines.join('\n')}\n`);
}

/**
 * Replaces a lookup in the local state folder's s3/ atomically: the body goes to a temporary file in
 * the same folder, which is then renamed over the old one (a reader sees the old or the new lookup,
 * never a mix). The temporary name does not end in .gz, so the tables never read it. Returns the path.
 */
export function replaceLocalLookup(s3Dir: string, kind: LookupKind, body: Buffer): string {
  const target = join(s3Dir, lookupKeyFor(kind));
  writePrivateFile(target, body);
  return target;
}

/** How the bucket encrypts new objects by default, as PutObject parameters. */
async function bucketEncryption(
  client: S3Client,
  bucket: string,
): Promise<Pick<PutObjectCommandInput, 'ServerSideEncryption' | 'SSEKMSKeyId' | 'BucketKeyEnabled'>> {
  const answer = await client.send(new GetBucketEncryptionCommand({ Bucket: bucket }));
  const rule = answer.ServerSideEncryptionConfiguration?.Rules?.[0];
  const defaults = rule?.ApplyServerSideEncryptionByDefault;
  if (!defaults?.SSEAlgorithm) return {};
  return {
    ServerSideEncryption: defaults.SSEAlgorithm,
    ...(defaults.KMSMasterKeyID ? { SSEKMSKeyId: defaults.KMSMasterKeyID } : {}),
    ...(rule?.BucketKeyEnabled !== undefined ? { BucketKeyEnabled: rule.BucketKeyEnabled } : {}),
  };
}

/**
 * Replaces a lookup in the stack's events bucket with one PutObject (S3 replaces an object whole:
 * a reader gets the old or the new one), encrypted as the bucket encrypts the events Firehose writes:
 * with the bucket's default encryption, asked for explicitly. Returns the key and the encryption used.
 */
export async function replaceStackLookup(
  client: S3Client,
  bucket: string,
  kind: LookupKind,
  body: Buffer,
): Promise<{ key: string; encryption: string }> {
  const key = lookupKeyFor(kind);
  try {
    const encryption = await bucketEncryption(client, bucket);
    await client.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: body,
        ContentType: 'application/gzip',
        ...encryption,
      }),
    );
    const named = encryption.ServerSideEncryption ?? 'the bucket default';
    return { key, encryption: encryption.SSEKMSKeyId ? `${named} (${encryption.SSEKMSKeyId})` : named };
  } catch (error) {
    throw explainAwsError(error, `storing the ${kind} lookup in s3://${bucket}/${key}`);
  }
}
