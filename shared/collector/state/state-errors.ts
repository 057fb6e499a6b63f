import { CursorChangeRefusedError, CursorTooLargeError, LeaseLostError } from '../../util/errors';

/**
 * The cursor row's errors, one named factory each: the logic says which it raises, and the text
 * (what is wrong, what to do) lives here.
 */
export const cursorRowErrors = {
  /** The row could not hold the cursor within DynamoDB's item limit (`maxItemBytes`). */
  cursorTooLarge(
    type: string,
    sizes: {
      cursorBytes: number;
      rowBytesWithoutCursor: number;
      bookkeepingBytes: number;
      maxItemBytes: number;
    },
  ) {
    return new CursorTooLargeError(
      `The Events API returned a cursor of ${sizes.cursorBytes} bytes for ${type}: with the rest of the ` +
        `cursor row (${sizes.rowBytesWithoutCursor} bytes, plus ${sizes.bookkeepingBytes} kept for run ` +
        `bookkeeping) it does not fit in one DynamoDB item (${sizes.maxItemBytes} bytes, 400 KB). Nothing ` +
        'of this page was delivered and the stored cursor is unchanged. If it happens again, report it to ' +
        '1Password and move the start point past it with "op-events reset".',
    );
  },
  /** A run's fenced write found the lease held by another run. */
  leaseLost(owner: string) {
    return new LeaseLostError(
      `Run ${owner} no longer holds the lease; another run took over. Stopping without committing.`,
    );
  },
  /**
   * A reset, undo or accept-account refused while a run holds the lease; `fromRead`: the change was
   * based on the row as read, so a row changed meanwhile is also a reason.
   */
  changeRefused(type: string, fromRead: boolean) {
    return new CursorChangeRefusedError(
      `A ${type} run is in progress; try again when it has finished (within a few minutes).` +
        (fromRead
          ? ` If none is, the ${type} position changed meanwhile: check "op-events status", then try again.`
          : '') +
        ' Nothing was changed.',
    );
  },
  /** The row holds attributes of another type than the store writes (`fields`: their paths). */
  unexpectedAttributes(type: string, fields: string) {
    return new Error(
      `The cursor table's item cursor#${type} holds attributes of an unexpected type (${fields}), so it ` +
        'was not used and nothing was changed. Correct or remove those attributes (aws dynamodb get-item ' +
        'shows them), or restore the table with point-in-time recovery.',
    );
  },
};
