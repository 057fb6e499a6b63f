import { describe, expect, it } from 'vitest';
import { DeliveryBuffers, MULTI_STAGE_DELAY_FACTOR } from '../../local/firehose/delivery-buffer';

describe('Firehose buffering on an injected clock', () => {
  const setup = (intervalSeconds = 60, sizeMiB = 64) => {
    let now = 1_000_000;
    const buffers = new DeliveryBuffers<string>({ intervalSeconds, sizeMiB }, () => now);
    return { buffers, advance: (ms: number) => (now += ms), at: () => now };
  };

  it('writes a partition 1.5 intervals after its first record, with every record since', () => {
    const { buffers, advance, at } = setup();
    const opened = at();
    buffers.add('dt=2026-01-01/', 100, 'a');
    advance(60_000);
    buffers.add('dt=2026-01-01/', 100, 'b');
    expect(buffers.objects()).toEqual([]);
    advance(29_999);
    expect(buffers.objects()).toEqual([]);
    advance(1);
    expect(buffers.objects()).toEqual([
      expect.objectContaining({
        items: ['a', 'b'],
        openedAt: opened,
        writtenAt: opened + 90_000,
        bytes: 200,
      }),
    ]);
    expect(90_000).toBe(60_000 * MULTI_STAGE_DELAY_FACTOR);
  });

  it('buffers each partition apart', () => {
    const { buffers, advance } = setup();
    buffers.add('dt=2026-01-01/', 10, 'old day');
    advance(30_000);
    buffers.add('dt=2026-01-02/', 10, 'new day');
    advance(60_000);
    expect(buffers.objects().map((o) => o.items)).toEqual([['old day']]);
    advance(30_000);
    expect(buffers.objects().map((o) => o.items)).toEqual([['old day'], ['new day']]);
  });

  it('writes at once when the buffer reaches its size, and opens a new one for the next record', () => {
    const { buffers, advance, at } = setup(900, 1);
    buffers.add('p/', 600_000, 'first');
    advance(1000);
    buffers.add('p/', 600_000, 'second');
    const full = at();
    buffers.add('p/', 10, 'third');
    expect(buffers.objects()).toEqual([
      expect.objectContaining({ items: ['first', 'second'], writtenAt: full }),
    ]);
    expect(buffers.objects(full + 1_350_000).map((o) => o.items)).toEqual([['first', 'second'], ['third']]);
  });

  it('a record after the buffer was due goes into a new object, not the one written', () => {
    const { buffers, advance } = setup();
    buffers.add('p/', 1, 'a');
    advance(200_000);
    buffers.add('p/', 1, 'b');
    const [first, ...rest] = buffers.objects(Number.POSITIVE_INFINITY);
    expect(first?.items).toEqual(['a']);
    expect(rest.map((o) => o.items)).toEqual([['b']]);
  });
});
