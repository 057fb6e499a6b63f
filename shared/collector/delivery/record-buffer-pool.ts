import { MAX_RECORD_BYTES } from './event-lines';

/** Below this size a record's buffer is allocated fresh: small allocations are cheap. */
const POOLED_FROM_BYTES = 64 * 1024;

/**
 * Record-sized buffers kept for the next page. A fresh ~1 MB buffer per record made V8 account for
 * megabytes of new external memory on every page, which cost about as much CPU as parsing the page
 * (bench/RESULTS.md, section 1). A buffer goes back to the pool only once the delivery that used it
 * has settled: the SDK has serialised the call by then, so nothing reads it any more.
 */
export class RecordBufferPool {
  private readonly free: Buffer[] = [];

  constructor(
    private readonly bufferBytes: number = MAX_RECORD_BYTES,
    private readonly maxKept = 4,
  ) {}

  /** A buffer of at least `bytes` bytes (write at most `bytes` into it). */
  take(bytes: number): Buffer {
    if (bytes < POOLED_FROM_BYTES || bytes > this.bufferBytes) return Buffer.allocUnsafe(bytes);
    return this.free.pop() ?? Buffer.allocUnsafe(this.bufferBytes);
  }

  /** Returns the buffers behind `records` (views made by packRecords) once nothing reads them. */
  release(records: readonly Buffer[]): void {
    for (const record of records) {
      if (this.free.length >= this.maxKept) return;
      const whole = record.buffer;
      if (record.byteOffset !== 0 || whole.byteLength !== this.bufferBytes) continue;
      if (this.free.some((kept) => kept.buffer === whole)) continue;
      this.free.push(Buffer.from(whole, 0, this.bufferBytes));
    }
  }
}
