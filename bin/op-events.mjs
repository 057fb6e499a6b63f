#!/usr/bin/env node
// The op-events CLI: runs the TypeScript sources through tsx, from any working directory.
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

// The SDK's notice about Node 22 (due January 2027) is for developers; keep it out of operator output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const tsconfig = fileURLToPath(new URL('../tsconfig.json', import.meta.url));
register({ tsconfig });
const { main } = await import(new URL('../cli/main.ts', import.meta.url).href);
const { processIo } = await import(new URL('../cli/io.ts', import.meta.url).href);
process.exitCode = await main(process.argv.slice(2), processIo());
