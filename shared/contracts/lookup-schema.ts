import type { Field } from './table-schema';

/**
 * Lookup tables: what the 1Password CLI lists (vaults, items, users, groups), kept beside the events
 * so that queries show names instead of uuids. `op-events lookups load` writes them; the stack has a
 * Glue table for each (infra/constructs/lookup-tables.ts) and `op-events query` a DuckDB table.
 *
 * Layout (local state folder and events bucket alike): lookups/<kind>/<kind>.json.gz, gzip NDJSON,
 * one row per line with the columns below, all strings. Only these columns are kept: an item list
 * also holds URLs and usernames (`urls`, `additional_information`), which a name lookup does not need.
 */
export const LOOKUP_KINDS = ['vaults', 'items', 'users', 'groups'] as const;

export type LookupKind = (typeof LOOKUP_KINDS)[number];

export interface LookupSpec {
  readonly kind: LookupKind;
  /** Glue/DuckDB table name. */
  readonly table: string;
  /** The 1Password CLI command whose JSON output this lookup takes. */
  readonly cliCommand: string;
  readonly columns: readonly Field[];
}

const s = (name: string, comment?: string): Field => ({ name, type: 'string', comment });

/** When `op-events lookups load` wrote the row (UTC, ISO 8601). */
const LOADED_AT = s('loaded_at', 'When op-events lookups load stored this row (UTC)');

export const LOOKUP_SPECS: Readonly<Record<LookupKind, LookupSpec>> = {
  vaults: {
    kind: 'vaults',
    table: 'lookup_vaults',
    cliCommand: 'op vault list --format json',
    columns: [s('id', 'Vault uuid, as vault_uuid in item usages'), s('name'), LOADED_AT],
  },
  items: {
    kind: 'items',
    table: 'lookup_items',
    cliCommand: 'op item list --format json',
    columns: [
      s('id', 'Item uuid, as item_uuid in item usages'),
      s('title'),
      s('vault_id'),
      s('vault_name'),
      s('category'),
      LOADED_AT,
    ],
  },
  users: {
    kind: 'users',
    table: 'lookup_users',
    cliCommand: 'op user list --format json',
    columns: [s('id', 'User uuid'), s('name'), s('email'), s('type'), s('state'), LOADED_AT],
  },
  groups: {
    kind: 'groups',
    table: 'lookup_groups',
    cliCommand: 'op group list --format json',
    columns: [s('id', 'Group uuid'), s('name'), s('description'), s('state'), LOADED_AT],
  },
};

export function isLookupKind(value: string): value is LookupKind {
  return (LOOKUP_KINDS as readonly string[]).includes(value);
}

/** Folder of a lookup in the bucket and in the local state folder's s3/. */
export function lookupPrefixFor(kind: LookupKind): string {
  return `lookups/${kind}/`;
}

/** The one object a lookup is: replaced whole on every load. */
export function lookupKeyFor(kind: LookupKind): string {
  return `${lookupPrefixFor(kind)}${kind}.json.gz`;
}
