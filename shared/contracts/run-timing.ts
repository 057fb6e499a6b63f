/**
 * How a run divides its invocation's time. Requests are bounded by the time left minus what the last
 * pages' delivery and commit need, so a short function timeout makes shorter requests rather than
 * none; the stack refuses a timeout too short for one page.
 */

/**
 * Kept free after the last request ends: the delivery and commit of the page it brings and the one ahead of
 * it.
 */
export const DELIVERY_ALLOWANCE_MS = 5_000;

/** The least time a request is given; with less left, no further page is requested. */
export const MIN_REQUEST_MS = 2_000;

/**
 * The shortest function timeout the stack accepts: one small page (a request and its delivery)
 * plus the token check a cold start makes first, with a second for start-up.
 */
export const MIN_FUNCTION_TIMEOUT_SECONDS =
  Math.ceil((DELIVERY_ALLOWANCE_MS + 2 * MIN_REQUEST_MS) / 1000) + 1;
