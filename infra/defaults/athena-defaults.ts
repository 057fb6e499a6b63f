/** Athena workgroup defaults (the bytes-scanned cutoff is a setting: shared/contracts/settings.ts). */
export const ATHENA_DEFAULTS = {
  engineVersion: 'Athena engine version 3',
} as const;

/** Glue database name (also the database of the named queries). */
export const DEFAULT_GLUE_DATABASE = 'onepassword_events';
