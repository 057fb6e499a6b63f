import { quoteIdentifier } from '../util/sql-quoting';
import type { EventType } from './event-types';
import { CHUNK_TEXT_KEY, METADATA_KEY } from './s3-layout';

/**
 * Column layout of the Glue tables (one per event type), written once as data so that the
 * stack (Hive type strings for Glue) and local tools (DuckDB types) derive the same schema.
 *
 * Source: the v2 event shapes of the 1Password Events API. Every field is optional in the
 * data; a field missing from a line reads as NULL, and fields the API adds later are ignored
 * by the SerDe until a column is added here (the raw line in S3 keeps them either way).
 * Timestamps stay strings: the API sends RFC 3339 with 0 to 9 fractional digits, and a cast at
 * read time would lose precision or fail on some lines.
 */
export type FieldType = ScalarType | StructType | ArrayType;

export type ScalarType = 'string' | 'bigint' | 'int' | 'double' | 'boolean' | 'timestamp';

export interface StructType {
  readonly struct: readonly Field[];
}

/** A list of values of one type (the ECS and OCSF views have some; the event tables none). */
export interface ArrayType {
  readonly array: FieldType;
}

export interface Field {
  readonly name: string;
  readonly type: FieldType;
  /** Shown as the Glue column comment. */
  readonly comment?: string;
}

const s = (name: string, comment?: string): Field => ({ name, type: 'string', comment });
const struct = (name: string, fields: readonly Field[], comment?: string): Field => ({
  name,
  type: { struct: fields },
  comment,
});

const userFields = [s('uuid'), s('name'), s('email'), s('user_type'), s('user_account_uuid')];
const objectRefFields = [s('uuid'), s('name'), s('email')];
const location = struct(
  'location',
  [
    s('country'),
    s('region'),
    s('city'),
    { name: 'latitude', type: 'double' },
    { name: 'longitude', type: 'double' },
  ],
  'Where the request came from (may be absent)',
);
const client = struct('client', [
  s('app_name'),
  s('app_version'),
  s('platform_name'),
  s('platform_version'),
  s('os_name'),
  s('os_version'),
  s('ip_address'),
]);

/** Columns the collector adds to every line (see shared/contracts/s3-layout.ts). */
export const COLLECTOR_COLUMNS: readonly Field[] = [
  struct(
    METADATA_KEY,
    [
      s('type'),
      s(
        'event_date',
        'UTC date of the event timestamp (the receive date when date_fallback is set); equals dt',
      ),
      s('received_at'),
      s('run_id'),
      s(
        'date_fallback',
        'Why event_date is the receive date: missing, unreadable, before_range, after_range',
      ),
      { name: 'lone_surrogates', type: 'int' },
      s('as_sent', 'The event text as sent, when the line holds one reading of ambiguous JSON'),
      struct('chunk', [s('uuid'), { name: 'index', type: 'int' }, { name: 'count', type: 'int' }]),
    ],
    'Collector metadata',
  ),
  s(CHUNK_TEXT_KEY, 'Slice of an oversized event JSON text (chunk lines only)'),
];

export const EVENT_COLUMNS: Readonly<Record<EventType, readonly Field[]>> = {
  auditevents: [
    s('uuid'),
    s('timestamp', 'RFC 3339 as sent by the API'),
    s('actor_uuid'),
    struct('actor_details', userFields),
    s('actor_type'),
    s('actor_account_uuid'),
    s('account_uuid'),
    s('action'),
    s('object_type'),
    s('object_uuid'),
    struct('object_details', objectRefFields),
    { name: 'aux_id', type: 'bigint' },
    s('aux_uuid'),
    struct('aux_details', objectRefFields),
    s('aux_info'),
    struct('session', [s('uuid'), s('login_time'), s('device_uuid'), s('ip')]),
    location,
    ...COLLECTOR_COLUMNS,
  ],
  itemusages: [
    s('uuid'),
    s('timestamp', 'RFC 3339 as sent by the API'),
    { name: 'used_version', type: 'bigint' },
    s('vault_uuid'),
    s('item_uuid'),
    s('action', 'reveal, fill, secure-copy, export, share, server-*, other, ... (open set)'),
    struct('user', userFields),
    client,
    location,
    s('account_uuid'),
    ...COLLECTOR_COLUMNS,
  ],
  signinattempts: [
    s('uuid'),
    s('session_uuid'),
    s('timestamp', 'RFC 3339 as sent by the API'),
    s('category', 'success, credentials_failed, mfa_failed, sso_failed, ... (open set)'),
    s('type'),
    s('country', 'ISO 3166 code or full name'),
    struct('details', [s('value')]),
    struct('target_user', userFields),
    client,
    location,
    s('account_uuid'),
    ...COLLECTOR_COLUMNS,
  ],
};

/** Glue table per event type: the API's own name. */
export const TABLE_NAMES: Readonly<Record<EventType, string>> = {
  auditevents: 'auditevents',
  itemusages: 'itemusages',
  signinattempts: 'signinattempts',
};

/** Each scalar type as Glue (Hive), DuckDB and Trino (Presto) spell it. */
const SCALAR_TYPES: Readonly<Record<ScalarType, { glue: string; duckdb: string; presto: string }>> = {
  string: { glue: 'string', duckdb: 'VARCHAR', presto: 'varchar' },
  bigint: { glue: 'bigint', duckdb: 'BIGINT', presto: 'bigint' },
  int: { glue: 'int', duckdb: 'INTEGER', presto: 'integer' },
  double: { glue: 'double', duckdb: 'DOUBLE', presto: 'double' },
  boolean: { glue: 'boolean', duckdb: 'BOOLEAN', presto: 'boolean' },
  timestamp: { glue: 'timestamp', duckdb: 'TIMESTAMP', presto: 'timestamp(3)' },
};

/** Hive/Glue type string, e.g. `struct<uuid:string,index:int>`. */
export function toGlueType(type: FieldType): string {
  if (typeof type === 'string') return SCALAR_TYPES[type].glue;
  if ('array' in type) return `array<${toGlueType(type.array)}>`;
  return `struct<${type.struct.map((f) => `${f.name}:${toGlueType(f.type)}`).join(',')}>`;
}

/** DuckDB type string, e.g. `STRUCT("uuid" VARCHAR, "index" INTEGER)`. */
export function toDuckDbType(type: FieldType): string {
  if (typeof type === 'string') return SCALAR_TYPES[type].duckdb;
  if ('array' in type) return `${toDuckDbType(type.array)}[]`;
  return `STRUCT(${type.struct.map((f) => `${quoteIdentifier(f.name)} ${toDuckDbType(f.type)}`).join(', ')})`;
}

/**
 * Trino (Presto) type signature, as Athena writes it in a view's column list, e.g.
 * `row("uuid" varchar, "index" integer)`. Field names are quoted: some are SQL keywords.
 */
export function toPrestoType(type: FieldType): string {
  if (typeof type === 'string') return SCALAR_TYPES[type].presto;
  if ('array' in type) return `array(${toPrestoType(type.array)})`;
  return `row(${type.struct.map((f) => `${quoteIdentifier(f.name)} ${toPrestoType(f.type)}`).join(', ')})`;
}
