import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Local state holds an account's events, lookups and cursor table: every folder and file of it is
 * its owner's alone, whatever creates it (this code, dynalite's LevelDB, DuckDB).
 */
export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/**
 * Has every folder and file this process creates from now on be owner-only (umask 077), including
 * those made by libraries that take no mode (LevelDB). The process is a local run or CLI command
 * working on its state folder, so nothing it writes is meant for other users.
 */
export function createOwnerOnlyFromNowOn(): void {
  process.umask(0o077);
}

/** Permission bits others (group or world) have on a path's mode, 0 when it is owner-only. */
export function othersBits(mode: number): number {
  return mode & 0o077;
}

/**
 * Writes `data` to `target` readable by its owner only, whole or not at all: into a temporary file
 * beside it (its name ends in `.tmp`, so no reader that globs `*.gz` or `*.ndjson` picks it up),
 * renamed over the target; the temporary file is removed if anything fails. Makes the folder
 * (owner-only) when it is missing.
 */
export function writePrivateFile(target: string, data: string | Uint8Array): void {
  mkdirSync(dirname(target), { recursive: true, mode: PRIVATE_DIR_MODE });
  const temporary = `${target}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, data, { mode: PRIVATE_FILE_MODE });
    renameSync(temporary, target);
  } finally {
    rmSync(temporary, { force: true });
  }
}
