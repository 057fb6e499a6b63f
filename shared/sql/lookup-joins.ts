import { LOOKUP_SPECS, type LookupKind } from '../contracts/lookup-schema';
import { ref } from './view-expressions';

/**
 * How the views, saved queries and the report join the lookup tables (shared/contracts/lookup-schema.ts).
 * A lookup is the user's table, loaded and refreshed by hand or by `op-events lookups load`, so it may
 * list an id twice: loaded twice, in two cases, or once with its names and once without. Joined as it
 * is, every such id would repeat the event's row (and double its counts). Each is joined instead as
 * one row per id (lower case, as events carry some uuids in lower case), each column its greatest
 * value: NULL only where every repeat lacks it, and the same in every engine whatever order it reads
 * the rows in.
 */

/** The columns each lookup is joined for. */
const JOINED_COLUMNS: Readonly<Record<LookupKind, readonly string[]>> = {
  users: ['email', 'name'],
  vaults: ['name'],
  items: ['title', 'vault_name'],
  groups: ['name'],
};

/** The lookup as one row per lower-case `id`, with the given columns. */
function lookupPerId(kind: LookupKind): string {
  const columns = JOINED_COLUMNS[kind].map((c) => `max(${c}) AS ${c}`);
  const table = LOOKUP_SPECS[kind].table;
  return `(SELECT lower(id) AS id, ${columns.join(', ')} FROM ${table} GROUP BY lower(id))`;
}

/** `LEFT JOIN <lookup per id> <alias>` on an id (any case), and on a condition where one is given. */
export function lookupJoin(kind: LookupKind, alias: string, id: string, when?: string): string {
  const on = `${alias}.id = lower(${id})`;
  return `LEFT JOIN ${lookupPerId(kind)} ${alias} ON ${when ? `${when} AND ${on}` : on}`;
}

/** The users lookup as `lu`, joined on a sign-in attempt (alias `u`)'s target user. */
export const SIGN_IN_USER_JOIN = lookupJoin('users', 'lu', ref('target_user', 'uuid'));

export const ITEM_USAGE_LOOKUPS = {
  /** The lookups an item usage (alias `u`) is named from: its user `lu`, its vault `lv`, its item `li`. */
  joins: [
    lookupJoin('users', 'lu', ref('user', 'uuid')),
    lookupJoin('vaults', 'lv', ref('vault_uuid')),
    lookupJoin('items', 'li', ref('item_uuid')),
  ],
  /** The name of an item's vault: the vaults lookup's, else the one the items lookup lists with it. */
  vaultName: 'coalesce(lv.name, li.vault_name)',
} as const;

const objectIs = (type: string) => `${ref('object_type')} = '${type}'`;

export const AUDIT_LOOKUPS = {
  /** The users lookup as `lu`, joined on an audit event (alias `u`)'s actor. */
  actorJoin: lookupJoin('users', 'lu', ref('actor_uuid')),
  /** The lookups an audit event (alias `u`)'s object is named from (`objectName`), by object type. */
  objectJoins: {
    user: lookupJoin('users', 'lo_user', ref('object_uuid'), objectIs('user')),
    vault: lookupJoin('vaults', 'lo_vault', ref('object_uuid'), objectIs('vault')),
    item: lookupJoin('items', 'lo_item', ref('object_uuid'), objectIs('item')),
    group: lookupJoin('groups', 'lo_group', ref('object_uuid'), objectIs('group')),
  },
  /**
   * The name of an audit event (alias `u`)'s object, by its type; needs the joins of `objectJoins`
   * (a `lo_vault` joined on more object types names a vault the same).
   */
  objectName: `CASE ${ref('object_type')}
      WHEN 'user' THEN coalesce(${ref('object_details', 'name')}, lo_user.name)
      WHEN 'vault' THEN lo_vault.name
      WHEN 'item' THEN lo_item.title
      WHEN 'group' THEN lo_group.name
      ELSE ${ref('object_details', 'name')}
    END`,
} as const;
