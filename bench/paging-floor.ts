/**
 * The API-bound floor of draining: a Lambda handler that does nothing but page through the Events
 * API (request, read the body, parse it for the cursor) as fast as the API answers. The collector's
 * drain rate is compared with this one, bundled and run the same way against the same simulator.
 */
export async function handler(): Promise<{ events: number; pages: number }> {
  const url = `${process.env.EVENTS_API_URL}/api/v2/${process.env.EVENT_TYPE}`;
  const headers = { Authorization: `Bearer ${process.env.BENCH_TOKEN}`, 'Content-Type': 'application/json' };
  const maxPages = Number(process.env.FLOOR_PAGES);
  let body: object = { limit: Number(process.env.PAGE_SIZE), start_time: process.env.START_TIME };
  let events = 0;
  let pages = 0;
  while (pages < maxPages) {
    const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body) });
    const page = JSON.parse(await response.text()) as { cursor: string; has_more: boolean; items: unknown[] };
    events += page.items.length;
    pages++;
    if (!page.has_more) break;
    body = { cursor: page.cursor };
  }
  return { events, pages };
}
