import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { generateDemoEvents } from '../../../../local/events-api-simulator';
import { packRecords } from '../../../../shared/collector/delivery/record-packer';
import { EVENT_SCHEMAS } from '../../../../shared/collector/events-api/event-schemas';
import {
  compactJson,
  findItemTexts,
  MalformedPageError,
  type ParsedPage,
  parsePageBody,
} from '../../../../shared/collector/events-api/page-body';
import { compileMismatchFinder } from '../../../../shared/collector/events-api/schema-check';
import { EVENT_TYPES } from '../../../../shared/contracts/event-types';
import { parseTimestamp, utcDate } from '../../../../shared/util/timestamp';

/**
 * The hot path's fast versions against the straightforward code they replace: same verdicts, same
 * instants, same bytes. The references are the previous implementations, kept here.
 */

const RUNS = { numRuns: 300 };

describe('compileMismatchFinder agrees with zod', () => {
  const demo = EVENT_TYPES.flatMap((type) =>
    generateDemoEvents(type, 30, { start: '2026-01-01T00:00:00Z', end: '2026-01-02T00:00:00Z', seed: 3 }),
  );
  const json = fc.oneof(
    fc.jsonValue(),
    fc.constantFrom(undefined, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 60),
  );
  // Demo events with one field (or one nested field) replaced by an arbitrary value, or removed.
  const mutated = fc.tuple(fc.constantFrom(...demo), fc.nat(), fc.nat(), json).map(([event, i, j, value]) => {
    const copy = structuredClone(event) as Record<string, unknown>;
    const keys = Object.keys(copy);
    const key = keys[i % keys.length] as string;
    const inner = copy[key];
    if (typeof inner === 'object' && inner !== null && !Array.isArray(inner) && j % 2 === 0) {
      const innerKeys = Object.keys(inner);
      if (innerKeys.length > 0)
        (inner as Record<string, unknown>)[innerKeys[j % innerKeys.length] as string] = value;
    } else if (value === undefined) delete copy[key];
    else copy[key] = value;
    return copy;
  });

  /** The fields zod names, as findSchemaMismatches reported them before the finder: zod's issue paths. */
  const zodPaths = (schema: z.ZodMiniType<unknown>, value: unknown) => {
    const result = schema.safeParse(value);
    return result.success
      ? []
      : result.error.issues.map((issue) => issue.path.map(String).join('.') || '(event)');
  };

  it.each(EVENT_TYPES)(
    'on %s events, mutated events and arbitrary values: same verdict, same fields',
    (type) => {
      const schema = EVENT_SCHEMAS[type];
      const finder = compileMismatchFinder(schema);
      expect(finder).toBeDefined();
      fc.assert(
        fc.property(fc.oneof(mutated, fc.anything()), (value) => {
          expect(finder?.(value) ?? []).toEqual(zodPaths(schema, value));
        }),
        RUNS,
      );
    },
  );

  it.each(EVENT_TYPES)(
    'on %s events drifted as the demo data drifts them, and with several fields wrong',
    (type) => {
      const schema = EVENT_SCHEMAS[type];
      const finder = compileMismatchFinder(schema);
      const drifted = generateDemoEvents(type, 60, {
        start: '2026-01-01T00:00:00Z',
        end: '2026-01-02T00:00:00Z',
        seed: 5,
        drifted: 60,
      });
      for (const event of drifted) {
        expect(finder?.(event)).toEqual(zodPaths(schema, event));
        expect(finder?.(event)).toHaveLength(1);
      }
      // Every declared field wrong at once (nested ones too): every field named, in zod's order.
      const wrong = (value: unknown): unknown =>
        typeof value === 'object' && value !== null && !Array.isArray(value)
          ? Object.fromEntries(
              Object.entries(value).map(([k, v]) => [k, typeof v === 'object' ? wrong(v) : true]),
            )
          : true;
      for (const event of drifted.slice(0, 5))
        expect(finder?.(wrong(event))).toEqual(zodPaths(schema, wrong(event)));
    },
  );

  it('declines what it does not understand, leaving it to zod', () => {
    expect(compileMismatchFinder(z.string().check(z.minLength(1)))).toBeUndefined();
    expect(compileMismatchFinder(z.enum(['a', 'b']))).toBeUndefined();
    expect(compileMismatchFinder(z.looseObject({ a: z.optional(z.boolean()) }))).toBeUndefined();
    expect(compileMismatchFinder(z.object({ a: z.string() }, { error: 'x' }))).toBeDefined();
  });
});

/** The regular expression parseTimestamp used before it read characters itself, with its calendar rules. */
function referenceParse(text: unknown) {
  if (typeof text !== 'string') return undefined;
  const m =
    /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/.exec(
      text,
    );
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(
    Number,
  ) as number[];
  if (year === 0 || month! < 1 || month! > 12 || day! < 1 || hour! > 23 || minute! > 59 || second! > 60)
    return undefined;
  // Calendar-valid days only (2026-02-30 is refused): day 0 of the next month is this month's last.
  const monthEnd = new Date(0);
  monthEnd.setUTCFullYear(year!, month!, 0);
  if (day! > monthEnd.getUTCDate()) return undefined;
  const offsetMinutes = m[8] ? 0 : (m[9] === '-' ? -1 : 1) * (Number(m[10]) * 60 + Number(m[11]));
  if (!m[8] && (Number(m[10]) > 23 || Number(m[11]) > 59)) return undefined;
  // setUTCFullYear, not Date.UTC: Date.UTC reads years 0-99 as 1900-1999.
  const local = new Date(0);
  local.setUTCFullYear(year!, month! - 1, day!);
  local.setUTCHours(hour!, minute!, second!, 0);
  const localMs = local.getTime();
  const nanos = m[7] ? Number(m[7].padEnd(9, '0')) : 0;
  // A leap second is kept as :59 with the nanoseconds running on past 999,999,999 (shared/util/timestamp.ts).
  const leap = second === 60 ? 1 : 0;
  return { seconds: localMs / 1000 - offsetMinutes * 60 - leap, nanos: nanos + leap * 1e9 };
}

describe('parseTimestamp agrees with the RFC 3339 regular expression', () => {
  const digits = (n: number) => fc.stringMatching(new RegExp(`^[0-9]{${n}}$`));
  const timestampLike = fc
    .tuple(
      digits(4),
      digits(2),
      digits(2),
      fc.constantFrom('T', 't', ' ', 'x'),
      digits(2),
      digits(2),
      digits(2),
      fc.option(fc.stringMatching(/^[0-9]{0,11}$/)),
      fc.constantFrom('Z', 'z', '+05:30', '-03:00', '+5:30', '', 'Zx', '-12:3a'),
    )
    .map(
      ([y, mo, d, sep, h, mi, s, fraction, zone]) =>
        `${y}-${mo}-${d}${sep}${h}:${mi}:${s}${fraction === null ? '' : `.${fraction}`}${zone}`,
    );
  // Valid ones too, so that most runs reach the arithmetic and not only the rejections.
  const valid = fc
    .tuple(
      fc.date({ min: new Date('1970-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }),
      fc.nat(999_999),
    )
    .map(([date, micros]) => date.toISOString().replace('Z', `${String(micros).padStart(6, '0')}Z`));

  it('accepts and rejects the same strings, with the same instants', () => {
    fc.assert(
      fc.property(fc.oneof(timestampLike, valid, fc.string(), fc.anything()), (text) => {
        expect(parseTimestamp(text)).toEqual(referenceParse(text));
      }),
      { numRuns: 2000 },
    );
  });

  it('derives the same UTC date as Date does, including across days', () => {
    fc.assert(
      fc.property(fc.array(valid, { minLength: 1, maxLength: 8 }), (texts) => {
        for (const text of texts) {
          const instant = parseTimestamp(text)!;
          expect(utcDate(instant)).toBe(new Date(instant.seconds * 1000).toISOString().slice(0, 10));
        }
      }),
      RUNS,
    );
  });
});

/** packRecords as it was: one string per record, measured line by line. */
function referencePack(lines: readonly string[], max: number): Buffer[] {
  const records: Buffer[] = [];
  let pending: string[] = [];
  let pendingBytes = 0;
  for (const line of lines) {
    const bytes = Buffer.byteLength(`${line}\n`);
    if (pendingBytes + bytes > max && pending.length > 0) {
      records.push(Buffer.from(pending.join('')));
      pending = [];
      pendingBytes = 0;
    }
    pending.push(`${line}\n`);
    pendingBytes += bytes;
  }
  if (pending.length > 0) records.push(Buffer.from(pending.join('')));
  return records;
}

describe('packRecords', () => {
  it('makes the same records, byte for byte, as packing joined strings', () => {
    const line = fc.string({
      unit: fc.constantFrom('a', 'é', '李', '😀', '"', '\\', '\ud800'),
      maxLength: 40,
    });
    fc.assert(
      fc.property(fc.array(line, { maxLength: 60 }), fc.integer({ min: 170, max: 400 }), (lines, max) => {
        expect(packRecords(lines, max)).toEqual(referencePack(lines, max));
      }),
      RUNS,
    );
  });
});

describe('parsePageBody on pretty-printed pages', () => {
  it('keeps each item as sent, with only the whitespace outside strings removed', () => {
    const item = fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 5 });
    fc.assert(
      fc.property(fc.array(item, { maxLength: 6 }), fc.constantFrom(0, 1, 2, '\t'), (items, indent) => {
        const body = JSON.stringify({ cursor: 'c', has_more: true, items }, null, indent);
        const page = parsePageBody(body);
        expect(page.rawItems).toEqual(items.map((value) => compactJson(JSON.stringify(value, null, indent))));
        for (const [i, raw] of page.rawItems.entries()) expect(JSON.parse(raw)).toEqual(page.items[i]);
      }),
      RUNS,
    );
  });
});

/**
 * parsePageBody as it was before PageBody: the same checks (unchanged, so taken from the code), then
 * an object whose rawItems getter closed over the parsed items.
 */
function referenceParsePageBody(body: string): ParsedPage {
  const { cursor, hasMore, items } = parsePageBody(body);
  let rawItems: readonly string[] | undefined;
  return {
    cursor,
    hasMore,
    items,
    get rawItems() {
      if (rawItems === undefined) {
        const texts = findItemTexts(body);
        rawItems = texts && texts.length === items.length ? texts : items.map((item) => JSON.stringify(item));
      }
      return rawItems;
    },
  };
}

/** What a reader of the page sees: its fields and item texts, or the error each throws. */
function outcome(read: () => ParsedPage): unknown {
  try {
    const page = read();
    let rawItems: unknown;
    try {
      rawItems = page.rawItems;
    } catch (error) {
      rawItems = { thrown: (error as Error).message };
    }
    return { cursor: page.cursor, hasMore: page.hasMore, items: page.items, rawItems };
  } catch (error) {
    return { thrown: (error as Error).message, malformed: error instanceof MalformedPageError };
  }
}

describe('parsePageBody as a PageBody', () => {
  it('reads every body as the object-with-getter version did: fields, item texts and errors', () => {
    const items = fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 4 });
    // Mostly a valid page; sometimes a wrong type, a key twice or another key besides.
    const core = fc.tuple(
      fc.oneof(
        { weight: 5, arbitrary: fc.string({ maxLength: 4 }) },
        { weight: 1, arbitrary: fc.constant(7) },
      ),
      fc.oneof({ weight: 5, arbitrary: fc.boolean() }, { weight: 1, arbitrary: fc.constant('no') }),
      fc.oneof({ weight: 5, arbitrary: items }, { weight: 1, arbitrary: fc.constant(3) }),
    );
    const extra = fc.oneof(fc.constantFrom('cursor', 'has_more', 'items'), fc.string({ maxLength: 4 }));
    const members = fc
      .tuple(core, fc.array(fc.tuple(extra, fc.jsonValue({ maxDepth: 1 })), { maxLength: 2 }))
      .map(([[cursor, hasMore, list], extras]) => [
        `"cursor":${JSON.stringify(cursor)}`,
        `"has_more":${JSON.stringify(hasMore)}`,
        `"items":${JSON.stringify(list)}`,
        ...extras.map(([key, value]) => `${JSON.stringify(key)}:${JSON.stringify(value)}`),
      ])
      .chain((all) => fc.shuffledSubarray(all, { minLength: all.length - 1 }));
    // Compact or pretty-printed, sometimes cut short, sometimes not an object at all.
    const body = fc.oneof(
      { weight: 4, arbitrary: members.map((list) => `{${list.join(',')}}`) },
      { weight: 2, arbitrary: members.map((list) => `{\n  ${list.join(',\n  ')}\n}`) },
      {
        weight: 1,
        arbitrary: fc.tuple(members, fc.nat()).map(([list, cut]) => {
          const text = `{${list.join(',')}}`;
          return text.slice(0, cut % text.length);
        }),
      },
      { weight: 1, arbitrary: fc.jsonValue().map((value) => JSON.stringify(value)) },
    );
    fc.assert(
      fc.property(body, (text) => {
        expect(outcome(() => parsePageBody(text))).toEqual(outcome(() => referenceParsePageBody(text)));
      }),
      RUNS,
    );
  });
});
