import { describe, expect, it } from 'vitest';
import { type BenchContext, withBenchContext } from '../../bench/bench-context';

/** The bench's runs share one opening and closing: a context made first, disposed of however they end. */

function fakeContext(events: string[]): () => Promise<BenchContext> {
  return async () => {
    events.push('created');
    return { memoryMb: 512, dispose: () => events.push('disposed') } as unknown as BenchContext;
  };
}

describe('withBenchContext', () => {
  it('gives the measurement the context and disposes of it after', async () => {
    const events: string[] = [];
    const result = await withBenchContext(async (context) => {
      events.push(`measured at ${context.memoryMb} MB`);
      return 42;
    }, fakeContext(events));
    expect(result).toBe(42);
    expect(events).toEqual(['created', 'measured at 512 MB', 'disposed']);
  });

  it('disposes of it when the measurement fails, and passes the failure on', async () => {
    const events: string[] = [];
    const failing = withBenchContext(async () => {
      throw new Error('drain timed out');
    }, fakeContext(events));
    await expect(failing).rejects.toThrow('drain timed out');
    expect(events).toEqual(['created', 'disposed']);
  });
});
