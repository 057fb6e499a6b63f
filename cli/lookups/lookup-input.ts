import { LOOKUP_KINDS, LOOKUP_SPECS, type LookupKind } from '../../shared/contracts/lookup-schema';
import { lookupInputRefusals } from '../usage-errors';

/** One lookup row: the lookup's columns (loaded_at aside), text or NULL. */
export type LookupRow = Readonly<Record<string, string | null>>;

type Entry = Readonly<Record<string, unknown>>;

/** What is wrong with one entry of a list, or the row it gives. */
type Reading = { readonly row: LookupRow } | { readonly problem: string };

const isObject = (value: unknown): value is Entry =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** A field that must be non-empty text. */
function required(entry: Entry, key: string, label = key): string | { problem: string } {
  const value = entry[key];
  if (typeof value === 'string' && value.trim() !== '') return value;
  return {
    problem: value === undefined ? `has no "${label}"` : `has "${label}" as ${describeType(value)}, not text`,
  };
}

/** A field that may be absent or null, else text. */
function optional(entry: Entry, key: string, label = key): string | null | { problem: string } {
  const value = entry[key];
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return value;
  return { problem: `has "${label}" as ${describeType(value)}, not text` };
}

/** Builds a row from fields read with required/optional; the first problem wins. */
function rowOf(fields: Record<string, string | null | { problem: string }>): Reading {
  const row: Record<string, string | null> = {};
  for (const [name, value] of Object.entries(fields)) {
    if (value !== null && typeof value === 'object') return { problem: value.problem };
    row[name] = value;
  }
  return { row };
}

const READERS: Readonly<Record<LookupKind, (entry: Entry) => Reading>> = {
  vaults: (e) => rowOf({ id: required(e, 'id'), name: required(e, 'name') }),
  items: (e) => {
    const vault = e.vault;
    if (!isObject(vault)) {
      return {
        problem:
          vault === undefined ? 'has no "vault"' : `has "vault" as ${describeType(vault)}, not an object`,
      };
    }
    return rowOf({
      id: required(e, 'id'),
      title: required(e, 'title'),
      vault_id: required(vault, 'id', 'vault.id'),
      vault_name: optional(vault, 'name', 'vault.name'),
      category: optional(e, 'category'),
    });
  },
  users: (e) => {
    const reading = rowOf({
      id: required(e, 'id'),
      name: optional(e, 'name'),
      email: optional(e, 'email'),
      type: optional(e, 'type'),
      state: optional(e, 'state'),
    });
    if ('row' in reading && !reading.row.name && !reading.row.email)
      return { problem: 'has neither "name" nor "email"' };
    return reading;
  },
  groups: (e) =>
    rowOf({
      id: required(e, 'id'),
      name: required(e, 'name'),
      description: optional(e, 'description'),
      state: optional(e, 'state'),
    }),
};

/** Keys only one kind's list has: a users list given as vaults must not load as vault names. */
const FOREIGN_MARKS: readonly { readonly key: string; readonly kind: LookupKind }[] = [
  { key: 'email', kind: 'users' },
  { key: 'title', kind: 'items' },
];

/** Two entries whose ids differ only in case: the views would take them for one (and mix their names). */
function sameIdInAnotherCase(
  first: { readonly entry: number; readonly id: string },
  repeat: { readonly entry: number; readonly id: string },
): string {
  return (
    `entries ${first.entry} and ${repeat.entry} have the same id in different cases ` +
    `(${JSON.stringify(first.id)} and ${JSON.stringify(repeat.id)}), which the views take for one id ` +
    '(ids are compared without case); keep only the entry that is right'
  );
}

function readAll(kind: LookupKind, list: readonly unknown[]): { rows: LookupRow[] } | { problem: string } {
  const rows: LookupRow[] = [];
  // By lower-case id, as the views join (shared/sql/lookup-joins.ts): its entry and the id as given.
  const seen = new Map<string, { readonly entry: number; readonly id: string }>();
  for (const [index, entry] of list.entries()) {
    const where = `entry ${index + 1}`;
    if (!isObject(entry)) return { problem: `${where} is ${describeType(entry)}, not an object` };
    const foreign = FOREIGN_MARKS.find((mark) => mark.kind !== kind && mark.key in entry);
    if (foreign) return { problem: `${where} has "${foreign.key}", which ${foreign.kind} have` };
    const reading = READERS[kind](entry);
    if ('problem' in reading) return { problem: `${where} ${reading.problem}` };
    const id = String(reading.row.id);
    const first = seen.get(id.toLowerCase());
    if (first?.id === id) return { problem: `${where} repeats the id ${JSON.stringify(id)}` };
    if (first) return { problem: sameIdInAnotherCase(first, { entry: index + 1, id }) };
    seen.set(id.toLowerCase(), { entry: index + 1, id });
    rows.push(reading.row);
  }
  return { rows };
}

/**
 * Text of a file as `op ... > file` leaves it: UTF-8, or UTF-16 with a byte-order mark (Windows PowerShell).
 */
export function decodeCliOutput(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  return new TextDecoder('utf-8').decode(bytes).replace(/^\uFEFF/, '');
}

/**
 * Reads what `op <kind> list --format json` printed into lookup rows. Refuses, naming the problem
 * and the command to run, anything else: not JSON, not a list, an empty list, an entry without
 * the fields the lookup needs, a repeated id (also one repeated in another case).
 */
export function parseLookupInput(kind: LookupKind, text: string, source: string): LookupRow[] {
  const spec = LOOKUP_SPECS[kind];
  const input = { source, kind, cliCommand: spec.cliCommand };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    if (text.trim() === '') throw lookupInputRefusals.empty(input);
    throw lookupInputRefusals.notJson(input, (error as Error).message);
  }
  if (!Array.isArray(parsed)) throw lookupInputRefusals.notAList(input, describeType(parsed));
  if (parsed.length === 0) throw lookupInputRefusals.emptyList(input);
  const result = readAll(kind, parsed);
  if ('rows' in result) return result.rows;
  const others = LOOKUP_KINDS.filter((k) => k !== kind && 'rows' in readAll(k, parsed as unknown[]));
  const other = others.length === 1 ? others[0] : undefined;
  throw lookupInputRefusals.notTheList(
    input,
    result.problem,
    other ? { kind: other, cliCommand: LOOKUP_SPECS[other].cliCommand } : undefined,
  );
}
