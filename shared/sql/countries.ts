import { sqlString } from '../util/sql-quoting';
import { ISO_3166_COUNTRIES } from './country-codes';
import { isTwoLetterCode, ref } from './view-expressions';
import type { ViewDefinition } from './views';

/**
 * One spelling per country. 1Password sends a country (`location.country`, and the sign-in
 * attempt's own `country`) as an ISO 3166-1 alpha-2 code or as an English name, so `FR` and
 * `France` would count as two countries. The view `country_codes` lists every spelling it knows
 * (upper case) with the alpha-2 code and the name to show; the views and saved queries join it and
 * show the code where one is known, the name beside it.
 */
export const COUNTRY_VIEW_NAME = 'country_codes';

/**
 * Names that are not among CLDR's (shared/sql/country-codes.ts) but name a country without doubt, written
 * here by hand: older or shorter English names, and the ISO 3166-1 style of name where CLDR's differs
 * (`Korea, Republic of`), which sources that follow ISO send.
 */
const MORE_NAMES: Readonly<Record<string, readonly string[]>> = {
  BN: ['Brunei Darussalam'],
  BO: ['Bolivia, Plurinational State of'],
  BQ: ['Bonaire, Sint Eustatius and Saba'],
  CD: ['DR Congo', 'Democratic Republic of the Congo', 'Congo, The Democratic Republic of the'],
  CG: ['Congo Republic', 'Republic of the Congo', 'Congo'],
  CI: ['Ivory Coast'],
  CV: ['Cabo Verde'],
  CZ: ['Czech Republic'],
  FK: ['Falkland Islands (Malvinas)'],
  FM: ['Federated States of Micronesia', 'Micronesia, Federated States of'],
  GB: ['Great Britain'],
  GS: ['South Georgia and the South Sandwich Islands'],
  HM: ['Heard Island and McDonald Islands'],
  IR: ['Iran, Islamic Republic of'],
  KP: ["Korea, Democratic People's Republic of"],
  KR: ['Korea, Republic of'],
  MD: ['Moldova, Republic of'],
  MF: ['Saint Martin (French part)'],
  MK: ['Macedonia'],
  MM: ['Burma'],
  MO: ['Macau'],
  PS: ['Palestine, State of'],
  RU: ['Russian Federation'],
  SH: ['Saint Helena, Ascension and Tristan da Cunha'],
  SX: ['Sint Maarten (Dutch part)'],
  SZ: ['Swaziland'],
  TR: ['Turkey'],
  TW: ['Taiwan, Province of China'],
  TZ: ['Tanzania, United Republic of'],
  UM: ['United States Minor Outlying Islands'],
  US: ['USA', 'United States of America'],
  VA: ['Vatican', 'Holy See', 'Holy See (Vatican City State)'],
  VC: ['Saint Vincent and the Grenadines'],
  VE: ['Venezuela, Bolivarian Republic of'],
  VG: ['Virgin Islands, British'],
  VI: ['Virgin Islands, U.S.'],
  VN: ['Viet Nam'],
};

/**
 * A name as sources also write it: CLDR writes `’`, `&`, `St.` and accents where many write `'`, `and`,
 * `Saint` and plain letters (`Côte d’Ivoire`, `Bosnia & Herzegovina`, `St. Lucia`, `São Tomé`).
 */
function spellingsOf(name: string): string[] {
  const plain = name
    .replaceAll('’', "'")
    .replaceAll(' & ', ' and ')
    .replace(/^St\. /, 'Saint ');
  return [name, plain].flatMap((spelling) => [spelling, spelling.normalize('NFD').replace(/\p{M}/gu, '')]);
}

export interface CountrySpelling {
  /** The spelling in upper case, as `upper()` gives it in both engines. */
  readonly spelling: string;
  readonly code: string;
  readonly name: string;
}

/** Every spelling: the code itself, each name, and the names above; each spelling once. */
export const COUNTRY_SPELLINGS: readonly CountrySpelling[] = ISO_3166_COUNTRIES.flatMap(
  ([code, ...names]) => {
    const shown = names[0] ?? code;
    const spellings = [code, ...[...names, ...(MORE_NAMES[code] ?? [])].flatMap(spellingsOf)];
    return [...new Set(spellings.map((n) => n.toUpperCase()))].map((spelling) => ({
      spelling,
      code,
      name: shown,
    }));
  },
);

export const COUNTRY_VIEW: ViewDefinition = {
  name: COUNTRY_VIEW_NAME,
  description:
    'Country spellings (ISO 3166-1 alpha-2 codes and English names, upper case) with the alpha-2 code ' +
    'and the name to show.',
  eventTypes: [],
  columns: [
    { name: 'spelling', type: 'string', comment: 'A code or name in upper case: join on upper(<country>)' },
    { name: 'code', type: 'string', comment: 'ISO 3166-1 alpha-2' },
    { name: 'name', type: 'string', comment: 'English short name' },
  ],
  select: () => `SELECT spelling, code, name FROM (VALUES
  ${COUNTRY_SPELLINGS.map((c) => `(${[c.spelling, c.code, c.name].map(sqlString).join(', ')})`).join(',\n  ')}
) AS countries (spelling, code, name)`,
};

/** `LEFT JOIN country_codes <alias>` on a country value (a code or a name). */
export function countryJoin(alias: string, value: string): string {
  return `LEFT JOIN ${COUNTRY_VIEW_NAME} ${alias} ON ${alias}.spelling = upper(${value})`;
}

/** The alpha-2 code of a country value joined as `alias`; an unknown two-letter value as it came. */
function countryCode(alias: string, value: string): string {
  return `coalesce(${alias}.code, CASE WHEN ${isTwoLetterCode(value)} THEN ${value} END)`;
}

/** The name to show: the table's, else the value as it came unless it is a two-letter code. */
export function countryName(alias: string, value: string): string {
  return `coalesce(${alias}.name, CASE WHEN NOT (${isTwoLetterCode(value)}) THEN ${value} END)`;
}

/** One value per country for grouping: the code where one is known, else the value as it came. */
export function countryKey(alias: string, value: string): string {
  return `coalesce(${alias}.code, ${value})`;
}

/** The alias of country_codes joined on an event (alias `u`)'s `location.country`. */
const LOCATION_COUNTRY = 'lc';
const locationCountry = ref('location', 'country');

/** `LEFT JOIN country_codes` on the event's `location.country`, for the two columns below. */
export const LOCATION_COUNTRY_JOIN = countryJoin(LOCATION_COUNTRY, locationCountry);
/** The event's `location.country` as its ISO code, whichever spelling came; needs LOCATION_COUNTRY_JOIN. */
export const LOCATION_COUNTRY_CODE = countryCode(LOCATION_COUNTRY, locationCountry);
/** The event's `location.country` as the name to show; needs LOCATION_COUNTRY_JOIN. */
export const LOCATION_COUNTRY_NAME = countryName(LOCATION_COUNTRY, locationCountry);
