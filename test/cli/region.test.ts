/**
 * `--stack` without a region: the real SDK (no client mock in this file) finds none and the CLI
 * exits 2 naming AWS_REGION and --region. Nothing is sent: the region is resolved before any
 * request, and the endpoint is a closed loopback port should one be resolved after all.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from './cli-harness';

const saved: Record<string, string | undefined> = {};
const NO_REGION = {
  AWS_REGION: undefined,
  AWS_DEFAULT_REGION: undefined,
  AWS_PROFILE: undefined,
  AWS_CONFIG_FILE: '/nonexistent/aws-config',
  AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
  AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
};

beforeEach(() => {
  for (const [name, value] of Object.entries(NO_REGION)) {
    saved[name] = process.env[name];
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});
afterEach(() => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

describe('--stack without an AWS region', () => {
  it.each([
    [['status', '--stack', 'OnePasswordEvents']],
    [['verify', '--stack', 'OnePasswordEvents']],
    [['query', '--stack', 'OnePasswordEvents', 'SELECT 1']],
    [['status', '--table', 'cursors']],
  ])('op-events %j exits 2 naming AWS_REGION and --region', async (args) => {
    const result = await runCli(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('No AWS region is set');
    expect(result.stderr).toContain('AWS_REGION');
    expect(result.stderr).toContain('--region REGION');
  });
});
