import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RecordBufferPool } from '../../../../shared/collector/delivery/record-buffer-pool';
import { packRecords } from '../../../../shared/collector/delivery/record-packer';

const texts = (records: readonly Buffer[]) => records.map((record) => record.toString('utf8'));

describe('packRecords with a record buffer pool', () => {
  it('packs the same bytes as without a pool, page after page, while buffers are reused', () => {
    // Lines long enough that records use pooled buffers (64 KB and up), with multi-byte characters.
    const line = fc
      .tuple(fc.string({ unit: 'binary', maxLength: 40 }), fc.integer({ min: 1_000, max: 30_000 }))
      .map(([text, repeat]) => JSON.stringify({ text, pad: 'é'.repeat(repeat) }));
    const page = fc.array(line, { minLength: 1, maxLength: 40 });
    fc.assert(
      fc.property(
        fc.array(page, { minLength: 2, maxLength: 4 }),
        fc.integer({ min: 2, max: 50 }),
        (pages, maxLines) => {
          const pool = new RecordBufferPool(200_000, 2);
          for (const lines of pages) {
            const expected = texts(packRecords(lines, 200_000, maxLines));
            const pooled = packRecords(lines, 200_000, maxLines, pool);
            expect(texts(pooled)).toEqual(expected);
            for (const record of pooled) expect(record.length).toBeLessThanOrEqual(200_000);
            pool.release(pooled);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('never fills a record past maxRecordBytes when the pooled buffer is larger', () => {
    const pool = new RecordBufferPool(1_024_000);
    const lines = Array.from({ length: 30 }, (_, i) => `{"i":${i},"pad":"${'x'.repeat(9_000)}"}`);
    const records = packRecords(lines, 100_000, 500, pool);
    for (const record of records) expect(record.length).toBeLessThanOrEqual(100_000);
    expect(texts(records).join('')).toBe(lines.map((l) => `${l}\n`).join(''));
  });
});

describe('RecordBufferPool', () => {
  it('hands a released buffer to the next record and keeps at most maxKept', () => {
    const pool = new RecordBufferPool(100_000, 1);
    const first = pool.take(80_000);
    const second = pool.take(80_000);
    expect(first.buffer).not.toBe(second.buffer);
    pool.release([first.subarray(0, 10), second.subarray(0, 10)]);
    expect(pool.take(80_000).buffer).toBe(first.buffer);
    expect(pool.take(80_000).buffer).not.toBe(second.buffer);
  });

  it('does not keep the same buffer twice, nor views that do not start at a pooled buffer', () => {
    const pool = new RecordBufferPool(100_000, 4);
    const buffer = pool.take(80_000);
    pool.release([buffer.subarray(0, 5), buffer.subarray(0, 7), buffer.subarray(10, 20)]);
    expect(pool.take(80_000).buffer).toBe(buffer.buffer);
    expect(pool.take(80_000).buffer).not.toBe(buffer.buffer);
  });

  it('allocates small records fresh, outside the pool', () => {
    const pool = new RecordBufferPool(100_000, 4);
    const small = pool.take(1_000);
    expect(small.length).toBe(1_000);
    pool.release([small]);
    expect(pool.take(80_000).buffer).not.toBe(small.buffer);
  });
});
