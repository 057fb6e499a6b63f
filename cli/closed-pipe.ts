/**
 * A stream whose reader may leave early (`op-events status | head -1`): the pipe's EPIPE arrives as
 * an 'error' event, which unhandled ends the process with a stack trace and leaves the state lock
 * held. Here it only stops the writing; the command runs to its end and releases what it holds.
 */
export function quietWhenClosed<S extends NodeJS.EventEmitter & { write(text: string): unknown }>(
  stream: S,
): { write(text: string): unknown; readonly isTTY?: boolean } {
  let closed = false;
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    closed = true;
  });
  return {
    write: (text: string) => closed || stream.write(text),
    get isTTY() {
      return (stream as { isTTY?: boolean }).isTTY;
    },
  };
}
