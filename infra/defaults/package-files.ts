import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** This package's name (package.json), which marks its root folder. */
export const PACKAGE_NAME = 'onepassword-events-to-s3';

/** What is wrong when the package's own files are not where it runs. */
const packageFaults = {
  noManifestAbove: (from: string) =>
    new Error(`no package.json of ${PACKAGE_NAME} above ${from}: the package is incomplete`),
};

/**
 * The package's root folder: the nearest folder above this module whose package.json names this
 * package. The module runs from infra/ (sources, tsx) or from dist/ (the built entry point), in this
 * repository or in a consumer's node_modules, from any working directory.
 */
export function packageRoot(from: string = dirname(fileURLToPath(import.meta.url))): string {
  for (let folder = from; ; folder = dirname(folder)) {
    const manifest = join(folder, 'package.json');
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).name === PACKAGE_NAME) {
      return folder;
    }
    if (dirname(folder) === folder) {
      throw packageFaults.noManifestAbove(from);
    }
  }
}

/** A file of the package, by its path from the package root (`functions/collector.ts`). */
export function packageFile(path: string): string {
  return join(packageRoot(), path);
}
