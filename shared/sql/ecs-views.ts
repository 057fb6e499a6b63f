import { EVENT_TYPES, type EventType } from '../contracts/event-types';
import { METADATA_KEY, PARTITION_COLUMN } from '../contracts/s3-layout';
import { LOCATION_COUNTRY_CODE, LOCATION_COUNTRY_JOIN, LOCATION_COUNTRY_NAME } from './countries';
import type { SqlDialect } from './dialect';
import { AUDIT_LOOKUPS, ITEM_USAGE_LOOKUPS, SIGN_IN_USER_JOIN } from './lookup-joins';
import { group, leaf, shapedView, text, type ViewColumn, type ViewShape } from './view-columns';
import { distinctTexts, ref, textArray, utcMillisTimestamp } from './view-expressions';
import { namesPerType } from './view-names';
import { UNIQUE_VIEW_NAMES, type ViewDefinition } from './views';

/**
 * ECS views: one row per event uuid (they read the de-duplicated views), with the fields Elastic's
 * `1password` integration produces (ECS 8.11.0), minus what needs GeoIP or the Elastic agent. The
 * mapping and its reasons: docs/analyst-views.md. Names from the lookup tables fill in what the
 * event lacks.
 */
export const ECS_VIEW_NAMES: Readonly<Record<EventType, string>> = namesPerType('_ecs');

export const ECS_VERSION = '8.11.0';

const constant = (value: string) => `'${value}'`;

function eventGroup(category: string, type: string, action: string, outcome?: string): ViewColumn {
  return group('event', [
    text('kind', constant('event')),
    leaf('category', { array: 'string' }, textArray([category])),
    leaf('type', { array: 'string' }, textArray([type])),
    text('action', action),
    ...(outcome ? [text('outcome', outcome)] : []),
    leaf('created', 'timestamp', (d) => utcMillisTimestamp(d, ref(METADATA_KEY, 'received_at'))),
  ]);
}

/** ECS `user`: the event's own values; the users lookup (alias `lookup`) fills in a missing name or email. */
function userGroup(id: string, email: string, name: string, lookup: string): ViewColumn {
  const fullName = `coalesce(${name}, ${lookup}.name)`;
  return group('user', [
    text('id', id),
    text('email', `coalesce(${email}, ${lookup}.email)`),
    text('full_name', fullName),
    text('name', `nullif(${fullName}, '')`),
  ]);
}

/**
 * ECS `source`: the IP, and `source.geo` from 1Password's own `location` (no GeoIP); the country as
 * its ISO code and its name whichever of the two the event sent (shared/sql/countries.ts).
 */
function sourceGroup(ip: string): ViewColumn {
  return group('source', [
    text('ip', ip),
    group(
      'geo',
      [
        text('city_name', ref('location', 'city')),
        text('region_name', ref('location', 'region')),
        text('country_iso_code', LOCATION_COUNTRY_CODE),
        text('country_name', LOCATION_COUNTRY_NAME),
        group(
          'location',
          [
            leaf('lat', 'double', ref('location', 'latitude')),
            leaf('lon', 'double', ref('location', 'longitude')),
          ],
          `${ref('location', 'latitude')} IS NOT NULL AND ${ref('location', 'longitude')} IS NOT NULL`,
        ),
      ],
      `${ref('location')} IS NOT NULL`,
    ),
  ]);
}

const hostGroup = group('host', [
  group('os', [text('name', ref('client', 'os_name')), text('version', ref('client', 'os_version'))]),
]);

const clientApp = group('client', [
  text('app_name', ref('client', 'app_name')),
  text('app_version', ref('client', 'app_version')),
  text('platform_name', ref('client', 'platform_name')),
  text('platform_version', ref('client', 'platform_version')),
]);

const person = (name: string, path: string) =>
  group(name, [
    text('uuid', ref(path, 'uuid')),
    text('name', ref(path, 'name')),
    text('email', ref(path, 'email')),
  ]);

const ecsGroup = group('ecs', [text('version', constant(ECS_VERSION))]);
const timestamp = leaf('timestamp', 'timestamp', (d: SqlDialect) => utcMillisTimestamp(d, ref('timestamp')));
const partition = text(PARTITION_COLUMN, ref(PARTITION_COLUMN));

const SIGN_IN: ViewShape = {
  columns: [
    timestamp,
    ecsGroup,
    eventGroup(
      'authentication',
      'info',
      ref('category'),
      `CASE WHEN ${ref('category')} IN ('success', 'firewall_reported_success') THEN 'success' ELSE ` +
        `'failure' END`,
    ),
    userGroup(ref('target_user', 'uuid'), ref('target_user', 'email'), ref('target_user', 'name'), 'lu'),
    hostGroup,
    sourceGroup(ref('client', 'ip_address')),
    group('related', [
      leaf('ip', { array: 'string' }, (d) => distinctTexts(d, [ref('client', 'ip_address')])),
      leaf('user', { array: 'string' }, (d) =>
        distinctTexts(d, [
          ref('target_user', 'uuid'),
          ref('target_user', 'email'),
          ref('target_user', 'name'),
        ]),
      ),
    ]),
    group('onepassword', [
      text('uuid', ref('uuid')),
      text('session_uuid', ref('session_uuid')),
      text('type', ref('type')),
      text('country', ref('country')),
      group('details', [text('value', ref('details', 'value'))], `${ref('details')} IS NOT NULL`),
      clientApp,
      text('account_uuid', ref('account_uuid')),
    ]),
    partition,
  ],
  joins: [SIGN_IN_USER_JOIN, LOCATION_COUNTRY_JOIN],
};

const ITEM_USAGE: ViewShape = {
  columns: [
    timestamp,
    ecsGroup,
    eventGroup('file', 'access', ref('action')),
    userGroup(ref('user', 'uuid'), ref('user', 'email'), ref('user', 'name'), 'lu'),
    hostGroup,
    sourceGroup(ref('client', 'ip_address')),
    group('related', [
      leaf('ip', { array: 'string' }, (d) => distinctTexts(d, [ref('client', 'ip_address')])),
      leaf('user', { array: 'string' }, (d) =>
        distinctTexts(d, [ref('user', 'uuid'), ref('user', 'email'), ref('user', 'name')]),
      ),
    ]),
    group('onepassword', [
      text('uuid', ref('uuid')),
      leaf('used_version', 'bigint', ref('used_version')),
      text('vault_uuid', ref('vault_uuid')),
      text('vault_name', ITEM_USAGE_LOOKUPS.vaultName),
      text('item_uuid', ref('item_uuid')),
      text('item_title', 'li.title'),
      clientApp,
      text('account_uuid', ref('account_uuid')),
    ]),
    partition,
  ],
  joins: [...ITEM_USAGE_LOOKUPS.joins, LOCATION_COUNTRY_JOIN],
};

const AUDIT_EVENT: ViewShape = {
  columns: [
    timestamp,
    ecsGroup,
    eventGroup('configuration', 'access', ref('action')),
    userGroup(ref('actor_uuid'), ref('actor_details', 'email'), ref('actor_details', 'name'), 'lu'),
    sourceGroup(ref('session', 'ip')),
    group('related', [
      leaf('ip', { array: 'string' }, (d) => distinctTexts(d, [ref('session', 'ip')])),
      leaf('user', { array: 'string' }, (d) =>
        distinctTexts(d, [
          ref('actor_details', 'name'),
          ref('actor_uuid'),
          `CASE WHEN ${ref('object_type')} = 'user' THEN ${ref('object_uuid')} END`,
          `CASE WHEN ${ref('object_type')} IN ('gm', 'device', 'uva') THEN ${ref('aux_uuid')} END`,
        ]),
      ),
    ]),
    group('onepassword', [
      text('uuid', ref('uuid')),
      group('actor_details', [text('uuid', ref('actor_details', 'uuid'))]),
      text('actor_type', ref('actor_type')),
      text('actor_account_uuid', ref('actor_account_uuid')),
      text('account_uuid', ref('account_uuid')),
      text('object_type', ref('object_type')),
      text('object_uuid', ref('object_uuid')),
      text('object_name', AUDIT_LOOKUPS.objectName),
      person('object_details', 'object_details'),
      leaf('aux_id', 'bigint', ref('aux_id')),
      text('aux_uuid', ref('aux_uuid')),
      person('aux_details', 'aux_details'),
      text('aux_info', ref('aux_info')),
      group('session', [
        text('uuid', ref('session', 'uuid')),
        text('login_time', ref('session', 'login_time')),
        text('device_uuid', ref('session', 'device_uuid')),
      ]),
    ]),
    partition,
  ],
  joins: [AUDIT_LOOKUPS.actorJoin, ...Object.values(AUDIT_LOOKUPS.objectJoins), LOCATION_COUNTRY_JOIN],
};

const SHAPES: Readonly<Record<EventType, ViewShape>> = {
  auditevents: AUDIT_EVENT,
  itemusages: ITEM_USAGE,
  signinattempts: SIGN_IN,
};

function ecsView(type: EventType): ViewDefinition {
  return shapedView(
    {
      name: ECS_VIEW_NAMES[type],
      description:
        `${type} in ECS ${ECS_VERSION} fields (as Elastic's 1password integration maps them), one row ` +
        'per event uuid; names from the lookup tables.',
      type,
    },
    SHAPES[type],
    () => `${UNIQUE_VIEW_NAMES[type]} u`,
  );
}

export const ECS_VIEWS: readonly ViewDefinition[] = EVENT_TYPES.map(ecsView);
