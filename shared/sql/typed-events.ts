import { EVENT_TYPES, type EventType } from '../contracts/event-types';
import { PROJECTION_DAYS_AHEAD, PROJECTION_FIRST_DATE } from '../contracts/partition-projection';
import { PARTITION_COLUMN } from '../contracts/s3-layout';
import {
  EVENT_COLUMNS,
  type Field,
  type FieldType,
  TABLE_NAMES,
  toDuckDbType,
  toPrestoType,
} from '../contracts/table-schema';
import { quoteIdentifier, sqlString } from '../util/sql-quoting';
import { DUCKDB_DIALECT, type SqlDialect } from './dialect';
import { namesPerType } from './view-names';
import { PARTITION_FIELD, type ViewDefinition } from './views';

/**
 * Event tables that survive type drift. Every line the collector wrote is read as ONE string
 * (`<type>_raw`: `line`, `dt`); the typed table (`<type>`, the columns of table-schema.ts) is a view
 * derived from it field by field, so a field that arrives with another JSON type than the schema
 * expects (an object where a string was expected, text where a number was) reads as NULL in that
 * column only, never as a failed query; `<type>_drift` lists each such field, one row per field and
 * event, so the drift is counted and the original value is still there to read.
 *
 * The rule is strict and the same for every engine: a column keeps a value only when the JSON type
 * is the schema's (a string for string; a whole number in range for bigint/int; any number for
 * double; true/false for boolean; an object for a struct). JSON null and absent fields are NULL and
 * are not drift. A line that is not a JSON object is left out of the typed table and shows in the
 * drift view as the field `(line)`.
 */

export const RAW_LINE_COLUMN = 'line';

export const RAW_TABLE_NAMES: Readonly<Record<EventType, string>> = {
  auditevents: 'auditevents_raw',
  itemusages: 'itemusages_raw',
  signinattempts: 'signinattempts_raw',
};

export const DRIFT_VIEW_NAMES: Readonly<Record<EventType, string>> = namesPerType('_drift');

/** The raw table's columns (the partition column `dt` comes after). */
export const RAW_COLUMNS: readonly Field[] = [
  { name: RAW_LINE_COLUMN, type: 'string', comment: 'The whole line as the collector wrote it' },
];

/** The field path as users write it (`client.ip_address`), its keys and its type. */
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
    return typeof field.type === 'object' && 'struct' in field.type
      ? [self, ...fieldPaths(field.type.struct, keys)]
      : [self];
  });
}

const childrenOf = (paths: readonly FieldPath[], parent: FieldPath) =>
  paths.filter((p) => p.keys.length === parent.keys.length + 1 && p.dotted.startsWith(`${parent.dotted}.`));

/** What the drift view says arrived: one word per JSON type, the same in both engines. */
const ARRIVED_AS = ['string', 'number', 'object', 'array', 'boolean'] as const;

/**
 * How one engine reads a path: `kind` is an expression giving one of ARRIVED_AS (or 'null', or SQL
 * NULL when absent) and `text` its value as text (strings without quotes, others as JSON).
 */
interface PathReader {
  kind(path: FieldPath): string;
  text(path: FieldPath): string;
  /** The FROM clause giving the parsed lines, with `dt` and the line. */
  readonly from: string;
}

/**
 * DuckDB: the line is a JSON object. A valid JSON text is an object exactly when its first character
 * after JSON whitespace is `{` (as Athena's reader tells it below), which saves parsing each line a
 * second time for json_type.
 */
const JSON_WHITESPACE = `' ' || chr(9) || chr(10) || chr(13)`;
const DUCKDB_IS_OBJECT =
  `json_valid(${RAW_LINE_COLUMN}) AND ` + `starts_with(ltrim(${RAW_LINE_COLUMN}, ${JSON_WHITESPACE}), '{')`;

// ---- DuckDB: one parse per line for the types of all paths (`t`), one for their text (`v`) ----

function duckDbReader(type: EventType, paths: readonly FieldPath[]): PathReader {
  const index = new Map(paths.map((p, i) => [p.dotted, i + 1]));
  const list = `[${paths.map((p) => sqlString(`$.${p.keys.map(quoteIdentifier).join('.')}`)).join(', ')}]`;
  return {
    kind: (p) => `CASE t[${index.get(p.dotted)}]
      WHEN 'VARCHAR' THEN 'string' WHEN 'BIGINT' THEN 'number' WHEN 'UBIGINT' THEN 'number'
      WHEN 'DOUBLE' THEN 'number' WHEN 'OBJECT' THEN 'object' WHEN 'ARRAY' THEN 'array'
      WHEN 'BOOLEAN' THEN 'boolean' WHEN 'NULL' THEN 'null' END`,
    text: (p) => `v[${index.get(p.dotted)}]`,
    from: `(
  SELECT ${RAW_LINE_COLUMN}, ${PARTITION_COLUMN},
    json_type(${RAW_LINE_COLUMN}, ${list}) AS t,
    json_extract_string(${RAW_LINE_COLUMN}, ${list}) AS v
  FROM ${RAW_TABLE_NAMES[type]}
  WHERE ${DUCKDB_IS_OBJECT}
) parsed`,
  };
}

// ---- Athena (Trino): each path's JSON extracted once per line (`j<N>`); json_format's first
// character gives its JSON type ----

function athenaReader(type: EventType, paths: readonly FieldPath[]): PathReader {
  const index = new Map(paths.map((p, i) => [p.dotted, i + 1]));
  const column = (p: FieldPath) => `j${index.get(p.dotted)}`;
  const first = (p: FieldPath) => `substr(json_format(${column(p)}), 1, 1)`;
  const extracts = paths.map(
    (p) =>
      `json_extract(${RAW_LINE_COLUMN}, ${sqlString(`$${p.keys.map((k) => `["${k}"]`).join('')}`)}) AS ` +
      `${column(p)}`,
  );
  return {
    // An absent path is SQL NULL, not a type: a simple CASE on NULL takes its ELSE branch
    // (https://trino.io/docs/current/functions/conditional.html#case), so it is tested first.
    kind: (p) => `CASE WHEN ${column(p)} IS NULL THEN NULL ELSE CASE ${first(p)}
      WHEN '"' THEN 'string' WHEN '{' THEN 'object' WHEN '[' THEN 'array'
      WHEN 't' THEN 'boolean' WHEN 'f' THEN 'boolean' WHEN 'n' THEN 'null'
      ELSE 'number' END END`,
    text: (p) =>
      `CASE WHEN ${first(p)} = '"' THEN json_extract_scalar(${column(p)}, '$') ELSE ` +
      `json_format(${column(p)}) END`,
    from: `(
  SELECT ${RAW_LINE_COLUMN}, ${PARTITION_COLUMN},
    ${extracts.join(',\n    ')}
  FROM ${RAW_TABLE_NAMES[type]}
  WHERE substr(ltrim(${RAW_LINE_COLUMN}), 1, 1) = '{' AND try(json_parse(${RAW_LINE_COLUMN})) IS NOT NULL
) parsed`,
  };
}

/**
 * The engine's reader with each path's kind and text computed once per line, as columns k<N> and
 * v<N> of one more select: the typed and drift views then name them instead of repeating them.
 */
function readerFor(d: SqlDialect, type: EventType, paths: readonly FieldPath[]): PathReader {
  const engine = d.engine === 'athena' ? athenaReader(type, paths) : duckDbReader(type, paths);
  const index = new Map(paths.map((p, i) => [p.dotted, i + 1]));
  const columns = paths.map(
    (p) => `${engine.kind(p)} AS k${index.get(p.dotted)}, ${engine.text(p)} AS v${index.get(p.dotted)}`,
  );
  return {
    kind: (p) => `k${index.get(p.dotted)}`,
    text: (p) => `v${index.get(p.dotted)}`,
    from: `(
  SELECT ${RAW_LINE_COLUMN}, ${PARTITION_COLUMN},
    ${columns.join(',\n    ')}
  FROM ${engine.from}
) kinds`,
  };
}

const WHOLE_NUMBER = '^-?[0-9]+$';

/** The typed value of a path: NULL unless its JSON type is the schema's. */
function typedValue(d: SqlDialect, r: PathReader, paths: readonly FieldPath[], p: FieldPath): string {
  const kind = r.kind(p);
  const text = r.text(p);
  const matches = (pattern: string) =>
    d.engine === 'athena' ? `regexp_like(${text}, '${pattern}')` : `regexp_full_match(${text}, '${pattern}')`;
  const type = p.type;
  if (type === 'string') return `CASE WHEN ${kind} = 'string' THEN ${text} END`;
  if (type === 'bigint' || type === 'int') {
    const sqlType = type === 'bigint' ? 'BIGINT' : 'INTEGER';
    const whole = `${kind} = 'number' AND ${matches(WHOLE_NUMBER)}`;
    return `CASE WHEN ${whole} THEN TRY_CAST(${text} AS ${sqlType}) END`;
  }
  if (type === 'double') return `CASE WHEN ${kind} = 'number' THEN TRY_CAST(${text} AS DOUBLE) END`;
  if (type === 'boolean') return `CASE WHEN ${kind} = 'boolean' THEN ${text} = 'true' END`;
  if (type === 'timestamp' || !('struct' in type)) throw new Error(`no JSON reading for ${p.dotted}`);
  const members = childrenOf(paths, p).map((child) => typedValue(d, r, paths, child));
  const typeText = d.engine === 'athena' ? toPrestoType(type) : toDuckDbType(type);
  return `CASE WHEN ${kind} = 'object' THEN CAST(ROW(${members.join(', ')}) AS ${typeText}) END`;
}

/** `<type>`: the Glue columns in their order, then `dt`, read from `<type>_raw`. */
function typedView(type: EventType): ViewDefinition {
  const paths = fieldPaths(EVENT_COLUMNS[type]);
  return {
    name: TABLE_NAMES[type],
    description:
      `1Password ${type} with the schema's columns, read from ${RAW_TABLE_NAMES[type]}: a field of ` +
      `another JSON type reads as NULL (see ${DRIFT_VIEW_NAMES[type]}).`,
    eventTypes: [type],
    columns: [...EVENT_COLUMNS[type], PARTITION_FIELD],
    select: (d) => {
      const r = readerFor(d, type, paths);
      const columns = EVENT_COLUMNS[type].map((field) => {
        const path = paths.find((p) => p.dotted === field.name) as FieldPath;
        return `  ${typedValue(d, r, paths, path)} AS ${quoteIdentifier(field.name)}`;
      });
      return `SELECT\n${[...columns, `  ${PARTITION_COLUMN}`].join(',\n')}\nFROM ${r.from}`;
    },
  };
}

export const DRIFT_COLUMNS: readonly Field[] = [
  { name: 'uuid', type: 'string' },
  PARTITION_FIELD,
  {
    name: 'field',
    type: 'string',
    comment: 'Dotted path of the field, or (line) for a line that is not a JSON object',
  },
  { name: 'arrived_as', type: 'string', comment: `JSON type that arrived: ${ARRIVED_AS.join(', ')}` },
  { name: 'value', type: 'string', comment: 'What arrived, as text' },
];

/** `<type>_drift`: one row per event and field whose JSON type is not the schema's. */
function driftView(type: EventType): ViewDefinition {
  const paths = fieldPaths(EVENT_COLUMNS[type]);
  const uuidPath = paths.find((p) => p.dotted === 'uuid') as FieldPath;
  return {
    name: DRIFT_VIEW_NAMES[type],
    description:
      `Fields of ${type} that arrived with another JSON type than the schema's and read as NULL in ` +
      `${TABLE_NAMES[type]}.`,
    eventTypes: [type],
    columns: DRIFT_COLUMNS,
    select: (d) => {
      const r = readerFor(d, type, paths);
      const entries = paths.map((p) => {
        // A struct drifts when it is not an object (its members are checked on their own).
        const typed =
          typeof p.type === 'object'
            ? `CASE WHEN ${r.kind(p)} = 'object' THEN 1 END`
            : typedValue(d, r, paths, p);
        const drifted = `${r.kind(p)} <> 'null' AND (${typed}) IS NULL`;
        return (
          `CASE WHEN ${drifted} THEN CAST(ROW(${sqlString(p.dotted)}, ${r.kind(p)}, ${r.text(p)}) AS ` +
          `${DRIFT_ENTRY[d.engine]}) END`
        );
      });
      const list = `ARRAY[\n      ${entries.join(',\n      ')}\n    ]`;
      const uuid = typedValue(d, r, paths, uuidPath);
      const notObject =
        d.engine === 'athena'
          ? `NOT (substr(ltrim(${RAW_LINE_COLUMN}), 1, 1) = '{' AND try(json_parse(${RAW_LINE_COLUMN})) ` +
            'IS NOT NULL)'
          : `NOT (${DUCKDB_IS_OBJECT})`;
      const perField =
        d.engine === 'athena'
          ? `SELECT ${uuid} AS uuid, ${PARTITION_COLUMN}, d.field, d.arrived_as, d.value
FROM ${r.from}
CROSS JOIN UNNEST(filter(${list}, x -> x IS NOT NULL)) AS d (field, arrived_as, value)`
          : `SELECT uuid, ${PARTITION_COLUMN}, d.field, d.arrived_as, d.value
FROM (
  SELECT ${uuid} AS uuid, ${PARTITION_COLUMN}, unnest(list_filter(${list}, x -> x IS NOT NULL)) AS d
  FROM ${r.from}
)`;
      return `${perField}
UNION ALL
SELECT CAST(NULL AS VARCHAR) AS uuid, ${PARTITION_COLUMN}, '(line)' AS field,
  'not an object' AS arrived_as, ${RAW_LINE_COLUMN} AS value
FROM ${RAW_TABLE_NAMES[type]}
WHERE ${notObject}`;
    },
  };
}

const DRIFT_ENTRY: Readonly<Record<SqlDialect['engine'], string>> = {
  athena: 'row(field varchar, arrived_as varchar, value varchar)',
  duckdb: 'STRUCT(field VARCHAR, arrived_as VARCHAR, value VARCHAR)',
};

/**
 * Some fields of a type, each read exactly as the typed table reads it (NULL unless its JSON type is
 * the schema's), with `dt`, from `<type>_raw`: the typed table's SELECT for these paths only. The
 * typed table extracts every path of the schema from each line on every read; a query that needs a
 * few fields of many lines (op-events report) parses them for those alone.
 * `fields`: output column name to the field's dotted path (`target_user.uuid`, `_collector.chunk`).
 * `objects`: output column name to a struct field's path, true where the typed table's column holds
 * a value (the field is a JSON object) and false where it is NULL, without reading its members.
 */
export function typedFieldsSelect(
  d: SqlDialect,
  type: EventType,
  fields: Readonly<Record<string, string>>,
  objects: Readonly<Record<string, string>> = {},
): string {
  const all = fieldPaths(EVENT_COLUMNS[type]);
  const find = (dotted: string) => {
    const path = all.find((p) => p.dotted === dotted);
    if (!path) throw new Error(`${type} has no field ${dotted}`);
    return path;
  };
  const chosen = Object.entries(fields).map(([name, dotted]) => ({ name, path: find(dotted) }));
  const present = Object.entries(objects).map(([name, dotted]) => {
    const path = find(dotted);
    if (typeof path.type !== 'object') throw new Error(`${type}.${dotted} is not a struct`);
    return { name, path };
  });
  // A struct's value is built from its members: read them too.
  const read = all.filter(
    (p) =>
      chosen.some(({ path }) => p.dotted === path.dotted || p.dotted.startsWith(`${path.dotted}.`)) ||
      present.some(({ path }) => p.dotted === path.dotted),
  );
  const r = readerFor(d, type, read);
  const columns = [
    ...chosen.map(({ name, path }) => `${typedValue(d, r, read, path)} AS ${quoteIdentifier(name)}`),
    // A struct's typed value is NULL exactly when the field is not an object (typedValue).
    ...present.map(
      ({ name, path }) => `coalesce(${r.kind(path)} = 'object', false) AS ${quoteIdentifier(name)}`,
    ),
  ];
  return `SELECT\n  ${[...columns, PARTITION_COLUMN].join(',\n  ')}\nFROM ${r.from}`;
}

export const TYPED_VIEWS: readonly ViewDefinition[] = EVENT_TYPES.map(typedView);
export const DRIFT_VIEWS: readonly ViewDefinition[] = EVENT_TYPES.map(driftView);

/**
 * DuckDB: `<type>_raw` over the gzip NDJSON files (one VARCHAR per line), or an empty table without files.
 */
export function duckDbRawTable(type: EventType, filePattern: string | undefined): string {
  const name = RAW_TABLE_NAMES[type];
  if (filePattern === undefined) {
    // read_csv fails on a pattern with no files; an empty table keeps queries valid.
    return `CREATE TABLE ${name} (${RAW_LINE_COLUMN} VARCHAR, ${PARTITION_COLUMN} VARCHAR)`;
  }
  // chr(1) as the delimiter and no quoting: a JSON line never holds a raw control character, so each
  // line is one field, byte for byte.
  return `CREATE VIEW ${name} AS SELECT ${RAW_LINE_COLUMN}, ${PARTITION_COLUMN}
FROM read_csv(${sqlString(filePattern)},
  columns = {'${RAW_LINE_COLUMN}': 'VARCHAR'}, delim = chr(1), quote = '', escape = '', header = false,
  auto_detect = false, compression = 'gzip', max_line_size = 16777216,
  hive_partitioning = true, hive_types = {'${PARTITION_COLUMN}': 'VARCHAR'})
WHERE ${projectedDates}`;
}

/**
 * The dates Athena projects (shared/contracts/partition-projection.ts), so a file outside them is skipped
 * here as it is there. DuckDB folds the current time into a constant and prunes the files with it.
 */
const projectedDates =
  `${PARTITION_COLUMN} BETWEEN '${PROJECTION_FIRST_DATE}' AND ` +
  `${DUCKDB_DIALECT.utcDateDaysAgo(-PROJECTION_DAYS_AHEAD)}`;
