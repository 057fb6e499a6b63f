import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The OCSF 1.1.0 schema files in test/fixtures/ocsf-1.1.0, assembled as the schema server does:
 * a class extends its category and base_event, `$include` pulls in includes (profiles only when
 * enabled: the views enable none); an object extends its parent object. Checks a record against it.
 */
const ROOT = join(import.meta.dirname, '..', 'fixtures', 'ocsf-1.1.0');

type Requirement = 'required' | 'recommended' | 'optional' | undefined;

interface AttributeSpec {
  readonly requirement?: Requirement;
  readonly enum?: Record<string, unknown>;
}

interface Definition {
  readonly attributes: Record<string, AttributeSpec>;
  readonly constraints: { readonly at_least_one?: readonly string[]; readonly just_one?: readonly string[] };
}

interface DictionaryEntry {
  readonly type: string;
  readonly is_array?: boolean;
  readonly enum?: Record<string, unknown>;
}

const readJson = (path: string) => JSON.parse(readFileSync(join(ROOT, path), 'utf8'));

const DICTIONARY: Record<string, DictionaryEntry> = readJson('dictionary.json').attributes;
const CLASS_FILES: Readonly<Record<number, string>> = {
  3001: 'events/iam/account_change.json',
  3002: 'events/iam/authentication.json',
  3004: 'events/iam/entity_management.json',
  3005: 'events/iam/user_access.json',
  3006: 'events/iam/group_management.json',
  6001: 'events/application/web_resources_activity.json',
};
const CATEGORY_FILES: Readonly<Record<string, string>> = {
  iam: 'events/iam/iam.json',
  application: 'events/application/application.json',
  base_event: 'events/base_event.json',
};

function merge(
  into: Record<string, AttributeSpec>,
  from: Record<string, unknown>,
  profiles: readonly string[],
): void {
  for (const [name, spec] of Object.entries(from)) {
    if (name === '$include') {
      for (const path of spec as string[]) {
        const file = readJson(path);
        // A profile's attributes count only when the record names the profile (metadata.profiles).
        if (path.startsWith('profiles/') && !profiles.includes(file.name)) continue;
        merge(into, file.attributes, profiles);
      }
      continue;
    }
    into[name] = { ...into[name], ...(spec as AttributeSpec) };
  }
}

function assembleEvent(path: string, profiles: readonly string[]): Definition {
  const file = readJson(path);
  const parent: Definition = file.extends
    ? assembleEvent(CATEGORY_FILES[file.extends] as string, profiles)
    : { attributes: {}, constraints: {} };
  const attributes = { ...parent.attributes };
  merge(attributes, file.attributes, profiles);
  return { attributes, constraints: file.constraints ?? {} };
}

function assembleObject(name: string): Definition {
  const file = readJson(`objects/${name}.json`);
  const parent: Definition = file.extends
    ? assembleObject(file.extends)
    : { attributes: {}, constraints: {} };
  const attributes = { ...parent.attributes };
  merge(attributes, file.attributes, []);
  return { attributes, constraints: file.constraints ?? parent.constraints };
}

export function classDefinition(classUid: number, profiles: readonly string[] = []): Definition {
  const path = CLASS_FILES[classUid];
  if (!path) throw new Error(`class ${classUid} is not among the fixture classes`);
  return assembleEvent(path, profiles);
}

/** category_uid and class_uid of a class as the schema numbers them (category uid * 1000 + class uid). */
export function classUids(classUid: number): { categoryUid: number; classUid: number } {
  const file = readJson(CLASS_FILES[classUid] as string);
  const categoryName: string = file.category ?? readJson(CATEGORY_FILES[file.extends] as string).category;
  const categoryUid: number = readJson('categories.json').attributes[categoryName].uid;
  return { categoryUid, classUid: categoryUid * 1000 + file.uid };
}

export function requiredAttributes(definition: Definition): string[] {
  return Object.entries(definition.attributes)
    .filter(([, spec]) => spec.requirement === 'required')
    .map(([name]) => name)
    .sort();
}

const SCALARS: Readonly<Record<string, (v: unknown) => boolean>> = {
  string_t: (v) => typeof v === 'string',
  email_t: (v) => typeof v === 'string' && v.includes('@'),
  ip_t: (v) => typeof v === 'string',
  integer_t: (v) => Number.isInteger(v),
  long_t: (v) => Number.isInteger(v),
  timestamp_t: (v) => Number.isInteger(v) && (v as number) > 0,
  boolean_t: (v) => typeof v === 'boolean',
  float_t: (v) => typeof v === 'number',
};

const present = (v: unknown) => v !== undefined && v !== null;

/** Every problem of a record (null members count as absent): an empty list means valid. */
export function validateRecord(record: Record<string, unknown>): string[] {
  const classUid = record.class_uid as number;
  const profiles = ((record.metadata as { profiles?: string[] } | undefined)?.profiles ?? []) as string[];
  const definition = classDefinition(classUid, profiles);
  const problems = checkAgainst(definition, record, `class ${classUid}`);
  const uids = classUids(classUid);
  if (uids.classUid !== classUid) problems.push(`class_uid ${classUid} is not the schema's ${uids.classUid}`);
  if (record.category_uid !== uids.categoryUid) problems.push(`category_uid is not ${uids.categoryUid}`);
  const activities = definition.attributes.activity_id?.enum ?? {};
  const activity = String(record.activity_id);
  if (!(activity in activities) && activity !== '0' && activity !== '99') {
    problems.push(`activity_id ${activity} is not an activity of class ${classUid}`);
  }
  if (record.type_uid !== classUid * 100 + (record.activity_id as number))
    problems.push('type_uid is not class_uid*100+activity_id');
  return problems;
}

function checkAgainst(definition: Definition, value: Record<string, unknown>, where: string): string[] {
  const problems: string[] = [];
  for (const name of requiredAttributes(definition)) {
    if (!present(value[name])) problems.push(`${where}: required ${name} is missing`);
  }
  for (const [kind, names] of Object.entries(definition.constraints)) {
    const count = (names ?? []).filter((n) => present(value[n])).length;
    if (kind === 'at_least_one' && count < 1)
      problems.push(`${where}: needs at least one of ${names?.join(', ')}`);
    if (kind === 'just_one' && count !== 1) problems.push(`${where}: needs just one of ${names?.join(', ')}`);
  }
  for (const [name, member] of Object.entries(value)) {
    if (!present(member)) continue;
    const spec = definition.attributes[name];
    const entry = DICTIONARY[name];
    if (!spec || !entry) {
      problems.push(`${where}: ${name} is not an attribute here`);
      continue;
    }
    // class_uid and category_uid are numbered by the category (checked in validateRecord).
    const enumValues = name === 'class_uid' || name === 'category_uid' ? {} : { ...entry.enum, ...spec.enum };
    if (Object.keys(enumValues).length > 0 && !(String(member) in enumValues)) {
      problems.push(`${where}: ${name} = ${String(member)} is not in its enumeration`);
    }
    const items = entry.is_array ? member : [member];
    if (!Array.isArray(items)) {
      problems.push(`${where}: ${name} must be an array`);
      continue;
    }
    for (const item of items) problems.push(...checkValue(entry.type, item, `${where}.${name}`));
  }
  return problems;
}

function checkValue(type: string, value: unknown, where: string): string[] {
  const scalar = SCALARS[type];
  if (scalar) return scalar(value) ? [] : [`${where}: ${JSON.stringify(value)} is not ${type}`];
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return [`${where}: not an object (${type})`];
  return checkAgainst(assembleObject(type), value as Record<string, unknown>, where);
}
