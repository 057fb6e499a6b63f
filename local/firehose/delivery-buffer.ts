/**
 * When Firehose writes what it accepted to S3, on an injected clock. With dynamic partitioning,
 * Firehose buffers each partition's records apart and writes a partition's buffer as one object as
 * soon as it reaches the buffering size or its buffering interval has passed, whichever comes first;
 * its multi-stage buffering can make the end-to-end delay up to 1.5 times the interval ("Buffer data
 * for dynamic partitioning", https://docs.aws.amazon.com/firehose/latest/dev/buffering.html;
 * "Understand buffering hints", https://docs.aws.amazon.com/firehose/latest/dev/buffering-hints.html).
 * This model takes the documented worst case: a buffer is written 1.5 intervals after its first record.
 */

/** The stream's BufferingHints. */
export interface BufferingHints {
  readonly intervalSeconds: number;
  readonly sizeMiB: number;
}

/** How much later than the interval a buffer may be written, at most (dynamic partitioning). */
export const MULTI_STAGE_DELAY_FACTOR = 1.5;

/** One object written to S3: what it holds, and when it became visible there. */
export interface BufferedObject<T> {
  readonly partition: string;
  readonly openedAt: number;
  readonly writtenAt: number;
  readonly bytes: number;
  readonly items: readonly T[];
}

interface OpenBuffer<T> {
  readonly openedAt: number;
  bytes: number;
  readonly items: T[];
}

/** The buffers of one delivery stream, one per partition, each holding items of the caller's choice. */
export class DeliveryBuffers<T> {
  private readonly open = new Map<string, OpenBuffer<T>>();
  private readonly written: BufferedObject<T>[] = [];
  private readonly delayMs: number;
  private readonly sizeBytes: number;

  constructor(
    hints: BufferingHints,
    private readonly clock: () => number,
  ) {
    this.delayMs = hints.intervalSeconds * 1000 * MULTI_STAGE_DELAY_FACTOR;
    this.sizeBytes = hints.sizeMiB * 2 ** 20;
  }

  /** An accepted item of `bytes` for `partition`, now. */
  add(partition: string, bytes: number, item: T): void {
    const now = this.clock();
    this.closeDue(now);
    let buffer = this.open.get(partition);
    if (!buffer) {
      buffer = { openedAt: now, bytes: 0, items: [] };
      this.open.set(partition, buffer);
    }
    buffer.bytes += bytes;
    buffer.items.push(item);
    if (buffer.bytes >= this.sizeBytes) this.close(partition, buffer, now);
  }

  /** Objects written to S3 by `at` (default now), in the order they were written. */
  objects(at: number = this.clock()): BufferedObject<T>[] {
    this.closeDue(at);
    return this.written.filter((object) => object.writtenAt <= at);
  }

  private closeDue(now: number): void {
    for (const [partition, buffer] of this.open) {
      const due = buffer.openedAt + this.delayMs;
      if (due <= now) this.close(partition, buffer, due);
    }
  }

  private close(partition: string, buffer: OpenBuffer<T>, writtenAt: number): void {
    this.open.delete(partition);
    this.written.push({
      partition,
      openedAt: buffer.openedAt,
      writtenAt,
      bytes: buffer.bytes,
      items: buffer.items,
    });
  }
}
