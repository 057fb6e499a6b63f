import { defineConfig } from 'vitest/config';

export default defineConfig({
  // The package imported by its own name (test/consumer-app/) resolves through package.json
  // `exports` to its TypeScript sources: the `source` condition, as in tsconfig.json. Vite's default
  // `module` condition stays out: it would load the AWS SDK's bundler-only builds into Node.
  ssr: { resolve: { conditions: ['source', 'node', 'development|production'] } },
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    // End-to-end tests start loopback servers and dynalite; give them room on a 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Tests must never reach a real AWS endpoint or 1Password host.
    env: {
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_EC2_METADATA_DISABLED: 'true',
      POWERTOOLS_DEV: 'false',
      // The AWS SDK warns once per process on Node 20 that its releases after January 2027 need Node 22:
      // with a fork per test file that is one copy per file. Suppressed for tests only, with the
      // variable the SDK documents for it (https://github.com/aws/aws-sdk-js-v3/issues/7983);
      // users of the CLI and the construct still see it.
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
  },
});
