#!/usr/bin/env node
// The op-events CLI. Installed, it runs dist/op-events.mjs, the JavaScript bundle built when the
// package was packed (scripts/build-cli.ts). In a clone of the repository (this folder is its
// packages/cli) it runs the TypeScript sources through tsx, so an edit takes effect without a build.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// The SDK's notice about Node 22 (due January 2027) is for developers; keep it out of operator output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const repository = new URL('../../../', import.meta.url);

function inRepository() {
  const manifest = fileURLToPath(new URL('package.json', repository));
  if (!existsSync(manifest) || !existsSync(new URL('cli/run.ts', repository))) return false;
  return JSON.parse(readFileSync(manifest, 'utf8')).workspaces?.includes('packages/cli') === true;
}

if (inRepository()) {
  const { register } = await import('tsx/esm/api');
  register({ tsconfig: fileURLToPath(new URL('tsconfig.json', repository)) });
  await import(new URL('cli/run.ts', repository).href);
} else {
  await import('../dist/op-events.mjs');
}
