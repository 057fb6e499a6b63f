import type { EventType } from '../event-types';
import { PARTITION_COLUMN } from '../output-format';
import { EVENT_COLUMNS, type Field, type FieldType, TABLE_NAMES, toDuckDbType } from './table-schema';

/**
 * Event tables that survive type drift. Every line the collector wrote is read as ONE string
 * (`<type>_raw`: `line`, `dt`); the typed table (`<type>`, the columns of shared/sql/table-schema.ts)
 * is derived from it field by field, so a field that arrives with another JSON type than the
 * schema expects (an object where a string was expected, text where a number was) reads as NULL
 * in that column only, never as a failed query; `<type>_drift` lists each such field, one row per
 * field and event, so the drift is counted and the original value is still there to read.
 *
 * The rule is strict and the same for every engine: a column keeps a value only when the JSON type
 * is the schema's (string for string; a whole number for bigint/int, in range; any number for
 * double; true/false for boolean; an object for a struct). JSON null and absent fields are NULL
 * and are not drift. A line that is not a JSON object is left out of the typed table and shows in
 * the drift view as the field `(line)`.
 */

export const RAW_LINE_COLUMN = 'line';

export const RAW_TABLE_NAMES: Readonly<Record<EventType, string>> = {
  auditevents: 'auditevents_raw',
  itemusages: 'itemusages_raw',
  signinattempts: 'signinattempts_raw',
};

export const DRIFT_VIEW_NAMES: Readonly<Record<EventType, string>> = {
  auditevents: 'auditevents_drift',
  itemusages: 'itemusages_drift',
  signinattempts: 'signinattempts_drift',
};

/** The field path as users write it (`client.ip_address`) and the JSON path that reads it. */
export interface FieldPath {
  readonly dotted: string;
  readonly keys: readonly string[];
  readonly type: FieldType;
}

/** Every column and every field inside a struct column, parents before their children. */
export function fieldPaths(fields: readonly Field[], parent: readonly string[] = []): FieldPath[] {
  return fields.flatMap((field) => {
    const keys = [...parent, field.name];
    const self: FieldPath = { dotted: keys.join('.'), keys, type: field.type };
    return typeof field.type === 'string' ? [self] : [self, ...fieldPaths(field.type.struct, keys)];
  });
}

const jsonPath = (keys: readonly string[]) => `$.${keys.map((k) => `"${k}"`).join('.')}`;
const sqlString = (text: string) => `'${text.replaceAll("'", "''")}'`;
const quoted = (name: string) => `"${name}"`;

// ---- DuckDB ----
// One parse per line for the JSON types of all paths (`t`), one for their text (`v`): DuckDB's
// json_type / json_extract_string take a list of paths and return a list (1-based).

interface DuckDbPaths {
  readonly paths: readonly FieldPath[];
  readonly index: ReadonlyMap<string, number>;
}

function duckDbPaths(type: EventType): DuckDbPaths {
  const paths = fieldPaths(EVENT_COLUMNS[type]);
  return { paths, index: new Map(paths.map((p, i) => [p.dotted, i + 1])) };
}

const WHOLE_NUMBER_TYPES = `('BIGINT', 'UBIGINT')`;
const NUMBER_TYPES = `('BIGINT', 'UBIGINT', 'DOUBLE')`;

/** The typed value of one path from the parsed lists, NULL when its JSON type is not the schema's. */
function duckDbValue(p: DuckDbPaths, path: FieldPath): string {
  const i = p.index.get(path.dotted);
  const t = `t[${i}]`;
  const v = `v[${i}]`;
  const type = path.type;
  if (type === 'string') return `CASE WHEN ${t} = 'VARCHAR' THEN ${v} END`;
  if (type === 'bigint') return `CASE WHEN ${t} IN ${WHOLE_NUMBER_TYPES} THEN TRY_CAST(${v} AS BIGINT) END`;
  if (type === 'int') return `CASE WHEN ${t} IN ${WHOLE_NUMBER_TYPES} THEN TRY_CAST(${v} AS INTEGER) END`;
  if (type === 'double') return `CASE WHEN ${t} IN ${NUMBER_TYPES} THEN TRY_CAST(${v} AS DOUBLE) END`;
  if (type === 'boolean') return `CASE WHEN ${t} = 'BOOLEAN' THEN ${v} = 'true' END`;
  if (type === 'timestamp') return `CASE WHEN ${t} = 'VARCHAR' THEN TRY_CAST(${v} AS TIMESTAMP) END`;
  const members = type.struct.map((field) => {
    const child = p.paths.find((c) => c.dotted === `${path.dotted}.${field.name}`);
    if (!child) throw new Error(`no path for ${path.dotted}.${field.name}`);
    return `${quoted(field.name)} := ${duckDbValue(p, child)}`;
  });
  return `CASE WHEN ${t} = 'OBJECT' THEN CAST(struct_pack(${members.join(', ')}) AS ${toDuckDbType(type)}) END`;
}

function duckDbParsed(type: EventType, p: DuckDbPaths): string {
  const list = `[${p.paths.map((path) => sqlString(jsonPath(path.keys))).join(', ')}]`;
  return `SELECT ${RAW_LINE_COLUMN}, ${PARTITION_COLUMN},
    json_type(${RAW_LINE_COLUMN}, ${list}) AS t,
    json_extract_string(${RAW_LINE_COLUMN}, ${list}) AS v
  FROM ${RAW_TABLE_NAMES[type]}
  WHERE json_valid(${RAW_LINE_COLUMN}) AND json_type(${RAW_LINE_COLUMN}) = 'OBJECT'`;
}

/** `<type>` over `<type>_raw`: the Glue columns in their order, then `dt`. */
export function duckDbTypedView(type: EventType): string {
  const p = duckDbPaths(type);
  const columns = EVENT_COLUMNS[type].map((field) => {
    const path = p.paths.find((c) => c.dotted === field.name);
    if (!path) throw new Error(`no path for ${field.name}`);
    return `  ${duckDbValue(p, path)} AS ${quoted(field.name)}`;
  });
  return `CREATE VIEW ${TABLE_NAMES[type]} AS
SELECT
${[...columns, `  ${PARTITION_COLUMN}`].join(',\n')}
FROM (
  ${duckDbParsed(type, p)}
) parsed`;
}

/** `<type>_drift`: one row per event and field whose JSON type is not the schema's. */
export function duckDbDriftView(type: EventType): string {
  const p = duckDbPaths(type);
  const entries = p.paths.map((path) => {
    const i = p.index.get(path.dotted);
    const drifted = `t[${i}] IS NOT NULL AND t[${i}] <> 'NULL' AND (${duckDbValue(p, path)}) IS NULL`;
    return `CASE WHEN ${drifted} THEN {'field': ${sqlString(path.dotted)}, 'arrived_as': lower(t[${i}]), 'value': v[${i}]} END`;
  });
  const uuidIndex = p.index.get('uuid');
  return `CREATE VIEW ${DRIFT_VIEW_NAMES[type]} AS
SELECT uuid, ${PARTITION_COLUMN}, d.field, d.arrived_as, d.value
FROM (
  SELECT
    CASE WHEN t[${uuidIndex}] = 'VARCHAR' THEN v[${uuidIndex}] END AS uuid,
    ${PARTITION_COLUMN},
    unnest(list_filter([
      ${entries.join(',\n      ')}
    ], x -> x IS NOT NULL)) AS d
  FROM (
    ${duckDbParsed(type, p)}
  ) parsed
)
UNION ALL
SELECT NULL AS uuid, ${PARTITION_COLUMN}, '(line)' AS field,
  CASE WHEN json_valid(${RAW_LINE_COLUMN}) THEN lower(json_type(${RAW_LINE_COLUMN})) ELSE 'not JSON' END AS arrived_as,
  ${RAW_LINE_COLUMN} AS value
FROM ${RAW_TABLE_NAMES[type]}
WHERE NOT json_valid(${RAW_LINE_COLUMN}) OR json_type(${RAW_LINE_COLUMN}) <> 'OBJECT'`;
}

/** `<type>_raw` over the gzip NDJSON files (one VARCHAR per line), or an empty table when there are none. */
export function duckDbRawTable(type: EventType, filePattern: string | undefined): string {
  const name = RAW_TABLE_NAMES[type];
  if (filePattern === undefined) {
    // read_csv fails on a pattern with no files; an empty table keeps queries valid.
    return `CREATE TABLE ${name} (${RAW_LINE_COLUMN} VARCHAR, ${PARTITION_COLUMN} VARCHAR)`;
  }
  // chr(1) as the delimiter and no quoting: a JSON line never holds a raw control character, so each
  // line is one field, byte for byte.
  return `CREATE VIEW ${name} AS SELECT ${RAW_LINE_COLUMN}, ${PARTITION_COLUMN} FROM read_csv(${sqlString(filePattern)},
  columns = {'${RAW_LINE_COLUMN}': 'VARCHAR'}, delim = chr(1), quote = '', escape = '', header = false,
  auto_detect = false, compression = 'gzip', max_line_size = 16777216,
  hive_partitioning = true, hive_types = {'${PARTITION_COLUMN}': 'VARCHAR'})`;
}

/** The three statements that give DuckDB the raw table, the typed table and the drift view of a type. */
export function duckDbEventTableStatements(type: EventType, filePattern: string | undefined): string[] {
  return [duckDbRawTable(type, filePattern), duckDbTypedView(type), duckDbDriftView(type)];
}
