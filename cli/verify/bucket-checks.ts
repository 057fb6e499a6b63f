import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import type { EventType } from '../../shared/contracts/event-types';
import { eventsPrefixFor } from '../../shared/contracts/s3-layout';
import { STACK_SETTINGS } from '../../shared/contracts/settings';
import { deliveryStreamOutputKey, pipelineOutputKey } from '../../shared/contracts/stack-outputs';
import { type CheckResult, couldNotCheck, fail, pass, warn } from './check-result';

/**
 * Where Firehose puts the records it could not partition or deliver (infra, shared/contracts/s3-layout.ts).
 */
export const ERRORS_PREFIX = 'errors/';

/** ListObjectsV2 returns at most 1,000 keys per call (Amazon S3 API reference, MaxKeys). */
const LIST_PAGE_MAX = 1_000;

export interface EventsObjectsCheck {
  readonly result: CheckResult;
  /** Objects exist under the type's events prefix (undefined when the bucket could not be listed). */
  readonly found: boolean | undefined;
  /** The `dt` of the object the listing found (the oldest stored day), to probe the views on. */
  readonly storedDate?: string;
}

const BUFFER_DEFAULT_SECONDS = STACK_SETTINGS.firehoseBufferInterval.default;

/** Objects under `events/<type>/`: what Firehose delivered for this type. */
export async function eventsObjectsCheck(
  s3: S3Client,
  bucket: string,
  type: EventType,
  eventsDelivered: number,
  pipelineId = '',
): Promise<EventsObjectsCheck> {
  const prefix = eventsPrefixFor(type);
  const check = `s3 ${prefix}`;
  let keys: string[];
  try {
    const answer = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, MaxKeys: 1 }));
    keys = (answer.Contents ?? []).flatMap((o) => (o.Key ? [o.Key] : []));
  } catch (error) {
    return {
      result: couldNotCheck(check, error, `listing s3://${bucket}/${prefix}`, `s3:ListBucket on ${bucket}`),
      found: undefined,
    };
  }
  if (keys.length > 0) {
    const storedDate = /\/dt=(\d{4}-\d{2}-\d{2})\//.exec(keys[0] ?? '')?.[1];
    return {
      result: pass(check, `objects in s3://${bucket}/${prefix}, e.g. ${keys[0]}`),
      found: true,
      ...(storedDate ? { storedDate } : {}),
    };
  }
  if (eventsDelivered === 0) {
    return {
      result: warn(
        check,
        `no objects yet in s3://${bucket}/${prefix}, and the collector has delivered no ${type} events.`,
        `Nothing is stored until the account has ${type} activity; run verify again when it has.`,
      ),
      found: false,
    };
  }
  return {
    result: fail(
      check,
      `no objects in s3://${bucket}/${prefix}, although the collector has delivered ` +
        `${eventsDelivered} events.`,
      `Firehose writes after its buffer interval (firehoseBufferSeconds, ${BUFFER_DEFAULT_SECONDS} s ` +
        'by default, up to 1.5 times that with dynamic partitioning): wait that long. If it stays empty, ' +
        'read the log group of the delivery stream in stack output ' +
        `${pipelineOutputKey(pipelineId, deliveryStreamOutputKey(type))}.`,
    ),
    found: false,
  };
}

/** Nothing under `errors/`: every record Firehose received was partitioned and delivered. */
export async function errorObjectsCheck(s3: S3Client, bucket: string): Promise<CheckResult> {
  const check = `s3 ${ERRORS_PREFIX}`;
  let keys: string[];
  let more: boolean;
  try {
    const answer = await s3.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: ERRORS_PREFIX, MaxKeys: LIST_PAGE_MAX }),
    );
    keys = (answer.Contents ?? []).flatMap((o) => (o.Key ? [o.Key] : []));
    more = answer.IsTruncated === true;
  } catch (error) {
    return couldNotCheck(
      check,
      error,
      `listing s3://${bucket}/${ERRORS_PREFIX}`,
      `s3:ListBucket on ${bucket}`,
    );
  }
  if (keys.length === 0) return pass(check, `no objects in s3://${bucket}/${ERRORS_PREFIX}`);
  // errors/<type>/<error-output-type>/<yyyy>/<MM>/<dd>/...: name the folders, not every object.
  const folders = [...new Set(keys.map((key) => key.split('/').slice(1, 3).join('/')))].sort();
  const count = `${more ? 'more than ' : ''}${keys.length} object${keys.length === 1 ? '' : 's'}`;
  return fail(
    check,
    `${count} in s3://${bucket}/${ERRORS_PREFIX} (${folders.join(', ')}), e.g. ${keys[0]}`,
    'Each holds records Firehose could not partition or deliver; the folder names the error type and ' +
      "the delivery stream's log group says why. They are not in the tables: see docs/deploy.md " +
      '(Partitioning and storage choices).',
  );
}
