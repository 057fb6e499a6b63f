import { EVENT_TYPES, type EventType } from '../contracts/event-types';
import { METADATA_KEY, PARTITION_COLUMN } from '../contracts/s3-layout';
import type { FieldType } from '../contracts/table-schema';
import { sqlString } from '../util/sql-quoting';
import { LOCATION_COUNTRY_CODE, LOCATION_COUNTRY_JOIN, LOCATION_COUNTRY_NAME } from './countries';
import type { SqlDialect } from './dialect';
import { AUDIT_LOOKUPS, ITEM_USAGE_LOOKUPS, lookupJoin, SIGN_IN_USER_JOIN } from './lookup-joins';
import { group, leaf, shapedView, text, type ViewColumn, type ViewShape } from './view-columns';
import { epochMillis, ref, rowOf, utcMillisTimestamp } from './view-expressions';
import { namesPerType } from './view-names';
import { UNIQUE_VIEW_NAMES, type ViewDefinition } from './views';

/**
 * OCSF 1.1.0 views: one row per event uuid, columns named as OCSF attributes, objects as nested
 * rows. Sign-in attempts are Authentication (3002); item usages Web Resources Activity (6001);
 * audit events Account Change (3001), Group Management (3006), User Access Management (3005) or
 * Entity Management (3004) by object type. The decisions behind the mapping: docs/analyst-views.md.
 */
export const OCSF_VIEW_NAMES: Readonly<Record<EventType, string>> = namesPerType('_ocsf');

export const OCSF_VERSION = '1.1.0';

interface OcsfClass {
  readonly uid: number;
  readonly name: string;
  readonly categoryUid: number;
  /** activity_id -> activity name, from the 1.1.0 class; 99 (Other) takes the source's action as name. */
  readonly activities: Readonly<Record<number, string>>;
}

const CATEGORY_NAMES: Readonly<Record<number, string>> = {
  3: 'Identity & Access Management',
  6: 'Application Activity',
};

export const OCSF_CLASSES = {
  accountChange: {
    uid: 3001,
    name: 'Account Change',
    categoryUid: 3,
    activities: { 0: 'Unknown', 1: 'Create', 2: 'Enable', 5: 'Disable', 6: 'Delete' },
  },
  authentication: { uid: 3002, name: 'Authentication', categoryUid: 3, activities: { 1: 'Logon' } },
  entityManagement: {
    uid: 3004,
    name: 'Entity Management',
    categoryUid: 3,
    activities: { 0: 'Unknown', 1: 'Create', 2: 'Read', 3: 'Update', 4: 'Delete' },
  },
  userAccess: {
    uid: 3005,
    name: 'User Access Management',
    categoryUid: 3,
    activities: { 0: 'Unknown', 1: 'Assign Privileges', 2: 'Revoke Privileges' },
  },
  groupManagement: {
    uid: 3006,
    name: 'Group Management',
    categoryUid: 3,
    activities: {
      0: 'Unknown',
      1: 'Assign Privileges',
      2: 'Revoke Privileges',
      3: 'Add User',
      4: 'Remove User',
    },
  },
  webResources: {
    uid: 6001,
    name: 'Web Resources Activity',
    categoryUid: 6,
    activities: { 0: 'Unknown', 1: 'Create', 2: 'Read', 3: 'Update', 7: 'Export', 8: 'Share' },
  },
} as const satisfies Record<string, OcsfClass>;

const CLASS_LIST: readonly OcsfClass[] = Object.values(OCSF_CLASSES);

/** `CASE <value> WHEN 'a' THEN 1 ... ELSE other END` from a table of values per result. */
function caseOf(
  value: string,
  table: Readonly<Record<number, readonly string[]>>,
  otherwise: string,
): string {
  const whens = Object.entries(table).map(
    ([result, values]) => `WHEN ${value} IN (${values.map(sqlString).join(', ')}) THEN ${result}`,
  );
  return `CASE ${whens.join(' ')} ELSE ${otherwise} END`;
}

// ---- columns every view has ----

/** `CASE WHEN u.class_uid = <uid> THEN <value> ... END`, a value per class. */
const perClass = (value: (c: OcsfClass) => string) =>
  `CASE ${CLASS_LIST.map((c) => `WHEN u.class_uid = ${c.uid} THEN ${value(c)}`).join(' ')} END`;

const classColumns = (action: string): ViewColumn[] => [
  leaf('activity_id', 'int', 'u.activity_id'),
  text(
    'activity_name',
    `CASE ${CLASS_LIST.flatMap((c) =>
      Object.entries(c.activities).map(
        ([id, name]) => `WHEN u.class_uid = ${c.uid} AND u.activity_id = ${id} THEN ${sqlString(name)}`,
      ),
    ).join(' ')} ELSE coalesce(${action}, 'Other') END`,
  ),
  // The category from the class table, not class_uid / 1000: `/` divides integers as integers in
  // Trino and gives a fraction in DuckDB.
  leaf(
    'category_uid',
    'int',
    perClass((c) => String(c.categoryUid)),
  ),
  text(
    'category_name',
    perClass((c) => sqlString(CATEGORY_NAMES[c.categoryUid] ?? '')),
  ),
  leaf('class_uid', 'int', 'u.class_uid'),
  text(
    'class_name',
    perClass((c) => sqlString(c.name)),
  ),
  leaf('type_uid', 'bigint', 'CAST(u.class_uid AS BIGINT) * 100 + u.activity_id'),
  leaf('severity_id', 'int', '1'),
  text('severity', sqlString('Informational')),
];

const timeColumn = leaf('time', 'bigint', (d: SqlDialect) =>
  epochMillis(d, utcMillisTimestamp(d, ref('timestamp'))),
);

function metadata(type: EventType, eventCode: string): ViewColumn {
  return group('metadata', [
    text('version', sqlString(OCSF_VERSION)),
    // The host profile brings `actor` to the classes that do not define it (6001, 3005, 3006).
    leaf('profiles', { array: 'string' }, `ARRAY['host']`),
    group('product', [
      text('vendor_name', sqlString('1Password')),
      text('name', sqlString('1Password Events API')),
    ]),
    text('uid', ref('uuid')),
    text('original_time', ref('timestamp')),
    leaf('logged_time', 'bigint', (d) =>
      epochMillis(d, utcMillisTimestamp(d, ref(METADATA_KEY, 'received_at'))),
    ),
    text('log_name', sqlString(type)),
    text('event_code', eventCode),
    text('tenant_uid', ref('account_uuid')),
  ]);
}

const OS_TYPES: Readonly<Record<number, readonly string[]>> = {
  100: ['windows'],
  200: ['linux'],
  201: ['android'],
  300: ['macos', 'macosx', 'mac os x'],
  301: ['ios'],
  302: ['ipados'],
};

/**
 * OCSF `src_endpoint` (network_endpoint): the IP, 1Password's location (the country as its ISO
 * code, its name as `desc`, whichever the event sent: shared/sql/countries.ts), the client's OS.
 */
function sourceEndpoint(ip: string, uid: string | undefined, client: boolean, onlyWhen = 'true'): ViewColumn {
  const country = ref('location', 'country');
  const osName = ref('client', 'os_name');
  // network_endpoint needs an ip or a uid: without them there is no src_endpoint.
  return group(
    'src_endpoint',
    [
      text('ip', ip),
      ...(uid ? [text('uid', uid)] : []),
      group(
        'location',
        [
          text('city', ref('location', 'city')),
          text('region', ref('location', 'region')),
          text('country', LOCATION_COUNTRY_CODE),
          text('desc', LOCATION_COUNTRY_NAME),
        ],
        `coalesce(${ref('location', 'city')}, ${ref('location', 'region')}, ${country}) IS NOT NULL`,
      ),
      ...(client
        ? [
            group(
              'os',
              [
                text('name', osName),
                text('version', ref('client', 'os_version')),
                leaf('type_id', 'int', caseOf(`lower(${osName})`, OS_TYPES, '99')),
              ],
              `${osName} IS NOT NULL AND ${osName} <> ''`,
            ),
          ]
        : []),
    ],
    `${onlyWhen} AND ${uid ? `coalesce(${ip}, ${uid})` : ip} IS NOT NULL`,
  );
}

/** OCSF `user` from a 1Password person; `type_id` 1 User for `user`, 99 Other for other types. */
function ocsfUser(
  name: string,
  uid: string,
  fullName: string,
  email: string,
  userType: string | undefined,
): ViewColumn {
  return group(
    name,
    [
      text('uid', uid),
      text('name', fullName),
      text('email_addr', email),
      ...(userType
        ? [
            text('type', userType),
            leaf(
              'type_id',
              'int',
              `CASE WHEN ${userType} IS NULL THEN NULL WHEN ${userType} = 'user' THEN 1 ELSE 99 END`,
            ),
          ]
        : []),
    ],
    `coalesce(${uid}, ${fullName}) IS NOT NULL`,
  );
}

const status = (id: string, name: string): ViewColumn[] => [
  leaf('status_id', 'int', id),
  text('status', name),
];
const SUCCESS = status('1', sqlString('Success'));
const partition = text(PARTITION_COLUMN, ref(PARTITION_COLUMN));

interface OcsfShape extends ViewShape {
  /** The class of a row, then its activity: computed once per row in two nested selects. */
  readonly classUid: string;
  readonly activityId: string;
}

const SUCCESSFUL = ['success', 'firewall_reported_success'];

const SIGN_IN: OcsfShape = {
  classUid: String(OCSF_CLASSES.authentication.uid),
  activityId: '1',
  columns: [
    ...classColumns(ref('category')),
    ...status(
      `CASE WHEN ${ref('category')} IN (${SUCCESSFUL.map(sqlString).join(', ')}) THEN 1 ELSE 2 END`,
      `CASE WHEN ${ref('category')} IN (${SUCCESSFUL.map(sqlString).join(', ')}) THEN 'Success' ELSE ` +
        `'Failure' END`,
    ),
    text('status_code', ref('category')),
    text(
      'status_detail',
      `CASE WHEN ${ref('details', 'value')} IS NULL THEN ${ref('type')} ELSE ` +
        `concat(coalesce(${ref('type')}, ''), ': ', ${ref('details', 'value')}) END`,
    ),
    text(
      'message',
      `concat('1Password sign-in attempt: ', coalesce(${ref('category')}, 'unknown'), ' (', ` +
        `coalesce(${ref('type')}, 'unknown'), ')')`,
    ),
    timeColumn,
    metadata('signinattempts', ref('category')),
    // The class requires a user: with no uuid and no name, the email, else 'unknown', names it.
    ocsfUser(
      'user',
      ref('target_user', 'uuid'),
      `coalesce(${ref('target_user', 'name')}, lu.name, CASE WHEN ${ref('target_user', 'uuid')} IS ` +
        `NULL THEN coalesce(${ref('target_user', 'email')}, 'unknown') END)`,
      ref('target_user', 'email'),
      ref('target_user', 'user_type'),
    ),
    group('service', [text('name', sqlString('1Password'))]),
    group('session', [text('uid', ref('session_uuid'))], `${ref('session_uuid')} IS NOT NULL`),
    leaf('is_mfa', 'boolean', `CASE WHEN ${ref('type')} = 'mfa_ok' THEN true END`),
    sourceEndpoint(ref('client', 'ip_address'), undefined, true),
    partition,
  ],
  joins: [SIGN_IN_USER_JOIN, LOCATION_COUNTRY_JOIN],
};

const ITEM_ACTIVITIES: Readonly<Record<number, readonly string[]>> = {
  1: ['server-create'],
  2: ['fill', 'reveal', 'secure-copy', 'select-sso-provider', 'server-fetch'],
  3: ['server-update'],
  7: ['export'],
  8: ['share'],
};

const WEB_RESOURCE: FieldType = {
  struct: [
    { name: 'uid', type: 'string' },
    { name: 'type', type: 'string' },
    { name: 'name', type: 'string' },
  ],
};

/** Item usages' `web_resources`: the item and its vault. */
const webResources = leaf('web_resources', { array: WEB_RESOURCE }, (d) => {
  const item = rowOf(d, WEB_RESOURCE, [ref('item_uuid'), sqlString('Item'), 'li.title']);
  const vault = rowOf(d, WEB_RESOURCE, [ref('vault_uuid'), sqlString('Vault'), ITEM_USAGE_LOOKUPS.vaultName]);
  return `ARRAY[${item}, ${vault}]`;
});

const ITEM_USAGE: OcsfShape = {
  classUid: String(OCSF_CLASSES.webResources.uid),
  activityId:
    `CASE WHEN ${ref('action')} IS NULL THEN 0 ELSE ` + `${caseOf(ref('action'), ITEM_ACTIVITIES, '99')} END`,
  columns: [
    ...classColumns(ref('action')),
    ...SUCCESS,
    timeColumn,
    metadata('itemusages', ref('action')),
    webResources,
    group(
      'actor',
      [
        ocsfUser(
          'user',
          ref('user', 'uuid'),
          `coalesce(${ref('user', 'name')}, lu.name)`,
          ref('user', 'email'),
          ref('user', 'user_type'),
        ),
      ],
      `coalesce(${ref('user', 'uuid')}, ${ref('user', 'name')}, lu.name) IS NOT NULL`,
    ),
    sourceEndpoint(ref('client', 'ip_address'), undefined, true),
    partition,
  ],
  joins: [...ITEM_USAGE_LOOKUPS.joins, LOCATION_COUNTRY_JOIN],
};

const objectType = ref('object_type');
const { accountChange, groupManagement, userAccess, entityManagement } = OCSF_CLASSES;

// Audit events: the class follows the object type; without its required subject, Entity Management.
const AUDIT_CLASS = `CASE
    WHEN ${objectType} = 'user' AND ${ref('object_uuid')} IS NOT NULL THEN ${accountChange.uid}
    WHEN ${objectType} IN ('gm', 'gva') AND ${ref('aux_uuid')} IS NOT NULL THEN ${groupManagement.uid}
    WHEN ${objectType} = 'uva' AND ${ref('aux_uuid')} IS NOT NULL THEN ${userAccess.uid}
    ELSE ${entityManagement.uid}
  END`;

/** The activity_id of each action, per audit class (AUDIT_CLASS). */
const AUDIT_ACTIVITIES = {
  accountChange: {
    1: ['join', 'create', 'provsn'],
    2: ['reactivate'],
    5: ['suspend'],
    6: ['delete', 'purge'],
  },
  groupMembership: { 3: ['grant', 'join'], 4: ['revoke', 'leave'] },
  accessChange: { 1: ['grant'], 2: ['revoke'] },
  entityManagement: { 1: ['create'], 2: ['read'], 3: ['update'], 4: ['delete', 'trash', 'purge'] },
} as const satisfies Record<string, Readonly<Record<number, readonly string[]>>>;

const action = ref('action');
const auditActivity = (kind: keyof typeof AUDIT_ACTIVITIES) => caseOf(action, AUDIT_ACTIVITIES[kind], '99');
const AUDIT_ACTIVITY = `CASE
    WHEN ${objectType} = 'user' AND ${ref('object_uuid')} IS NOT NULL
      THEN ${auditActivity('accountChange')}
    WHEN ${objectType} = 'gm' AND ${ref('aux_uuid')} IS NOT NULL
      THEN ${auditActivity('groupMembership')}
    WHEN ${objectType} IN ('gva', 'uva') AND ${ref('aux_uuid')} IS NOT NULL
      THEN ${auditActivity('accessChange')}
    ELSE ${auditActivity('entityManagement')}
  END`;

const isClass = (c: OcsfClass) => `u.class_uid = ${c.uid}`;
const PRIVILEGES = `ARRAY[coalesce(nullif(${ref('aux_info')}, ''), 'vault access')]`;
/** The group of a Group Management event: the object of a membership (gm), else the aux (gva). */
const GROUP_UID = `CASE WHEN ${objectType} = 'gm' THEN ${ref('object_uuid')} ELSE ${ref('aux_uuid')} END`;

const AUDIT_EVENT: OcsfShape = {
  classUid: AUDIT_CLASS,
  activityId: AUDIT_ACTIVITY,
  columns: [
    ...classColumns(action),
    ...SUCCESS,
    timeColumn,
    metadata('auditevents', `concat(coalesce(${ref('object_type')}, ''), ':', coalesce(${action}, ''))`),
    group(
      'actor',
      [
        ocsfUser(
          'user',
          ref('actor_uuid'),
          `coalesce(${ref('actor_details', 'name')}, lu.name)`,
          ref('actor_details', 'email'),
          ref('actor_type'),
        ),
        group(
          'session',
          [
            text('uid', ref('session', 'uuid')),
            leaf('created_time', 'bigint', (d) =>
              epochMillis(d, utcMillisTimestamp(d, ref('session', 'login_time'))),
            ),
          ],
          `${ref('session', 'uuid')} IS NOT NULL`,
        ),
      ],
      `coalesce(${ref('actor_uuid')}, ${ref('actor_details', 'name')}, lu.name, ` +
        `${ref('session', 'uuid')}) IS NOT NULL`,
    ),
    // Account Change: the user acted on; Group Management (gm) and User Access: the member (aux).
    group(
      'user',
      [
        text(
          'uid',
          `CASE WHEN ${isClass(OCSF_CLASSES.accountChange)} THEN ${ref('object_uuid')} ELSE ` +
            `${ref('aux_uuid')} END`,
        ),
        text(
          'name',
          `CASE WHEN ${isClass(OCSF_CLASSES.accountChange)} THEN ` +
            `coalesce(${ref('object_details', 'name')}, lo_user.name) ELSE ` +
            `coalesce(${ref('aux_details', 'name')}, lx_user.name) END`,
        ),
        text(
          'email_addr',
          `CASE WHEN ${isClass(OCSF_CLASSES.accountChange)} THEN ${ref('object_details', 'email')} ` +
            `ELSE ${ref('aux_details', 'email')} END`,
        ),
      ],
      `${isClass(OCSF_CLASSES.accountChange)} OR ${isClass(OCSF_CLASSES.userAccess)} OR ` +
        `(${isClass(OCSF_CLASSES.groupManagement)} AND ${ref('object_type')} = 'gm')`,
    ),
    group('group', [text('uid', GROUP_UID), text('name', 'lg.name')], isClass(OCSF_CLASSES.groupManagement)),
    leaf(
      'privileges',
      { array: 'string' },
      `CASE WHEN ${isClass(OCSF_CLASSES.userAccess)} OR (${isClass(OCSF_CLASSES.groupManagement)} AND ` +
        `${ref('object_type')} = 'gva') THEN ${PRIVILEGES} END`,
    ),
    group(
      'resource',
      [text('uid', ref('object_uuid')), text('type', sqlString('Vault')), text('name', 'lo_vault.name')],
      `${ref('object_type')} IN ('uva', 'gva') AND NOT ${isClass(OCSF_CLASSES.entityManagement)}`,
    ),
    group(
      'entity',
      [
        text('uid', ref('object_uuid')),
        text('type', ref('object_type')),
        text('name', `coalesce(${AUDIT_LOOKUPS.objectName}, ${ref('object_type')}, 'unknown')`),
      ],
      isClass(OCSF_CLASSES.entityManagement),
    ),
    // Of the audit classes only Account Change has a src_endpoint in 1.1.0; the ECS view keeps the IP.
    sourceEndpoint(
      ref('session', 'ip'),
      ref('session', 'device_uuid'),
      false,
      isClass(OCSF_CLASSES.accountChange),
    ),
    partition,
  ],
  joins: [
    AUDIT_LOOKUPS.actorJoin,
    AUDIT_LOOKUPS.objectJoins.user,
    lookupJoin('users', 'lx_user', ref('aux_uuid')),
    // The vault of a vault's own events and of the vault access changes (uva, gva).
    lookupJoin('vaults', 'lo_vault', ref('object_uuid'), `${ref('object_type')} IN ('vault', 'uva', 'gva')`),
    AUDIT_LOOKUPS.objectJoins.item,
    AUDIT_LOOKUPS.objectJoins.group,
    lookupJoin('groups', 'lg', GROUP_UID),
    LOCATION_COUNTRY_JOIN,
  ],
};

const SHAPES: Readonly<Record<EventType, OcsfShape>> = {
  auditevents: AUDIT_EVENT,
  itemusages: ITEM_USAGE,
  signinattempts: SIGN_IN,
};

function ocsfView(type: EventType): ViewDefinition {
  const shape = SHAPES[type];
  return shapedView(
    {
      name: OCSF_VIEW_NAMES[type],
      description:
        `${type} as OCSF ${OCSF_VERSION} records (objects as nested rows), one row per event uuid; names ` +
        'from the lookup tables.',
      type,
    },
    shape,
    () => `(
  SELECT u.*, ${shape.activityId} AS activity_id
  FROM (SELECT u.*, ${shape.classUid} AS class_uid FROM ${UNIQUE_VIEW_NAMES[type]} u) u
) u`,
  );
}

export const OCSF_VIEWS: readonly ViewDefinition[] = EVENT_TYPES.map(ocsfView);
