import { describe, expect, it } from 'vitest';
import { pageToLines } from '../../../shared/collector/delivery/page-lines';
import {
  MalformedPageError,
  parsePageBody,
  topLevelKeys,
} from '../../../shared/collector/events-api/page-body';
import { METADATA_KEY, RENAMED_METADATA_KEY } from '../../../shared/contracts/s3-layout';

const context = {
  type: 'auditevents' as const,
  receivedAtMs: Date.parse('2026-03-01T12:00:00Z'),
  runId: 'RUN',
};

/** The line's top-level key names in order (repeats included), as a text scan sees them. */
const keysOf = (line: string) => topLevelKeys(line)?.map((key) => key.name);

function linesOf(body: string): string[] {
  return pageToLines(parsePageBody(body), context).lines;
}

describe('an event with its own top-level _collector key', () => {
  const own = '{"event_date":"1999-01-01","type":"itemusages","run_id":"forged"}';

  it.each([
    ['first', `{"_collector":${own},"uuid":"U1","timestamp":"2026-02-03T04:05:06Z"}`],
    ['last', `{"uuid":"U1","timestamp":"2026-02-03T04:05:06Z","_collector":${own}}`],
    ['spelled with an escape', `{"uuid":"U1","timestamp":"2026-02-03T04:05:06Z","\\u005fcollector":${own}}`],
  ])(
    '(%s) keeps its value under a new name; the line has the collector metadata exactly once',
    (_, event) => {
      const [line] = linesOf(`{"cursor":"c","has_more":false,"items":[${event}]}`);
      expect(keysOf(line!)?.filter((k) => k === METADATA_KEY)).toHaveLength(1);
      const parsed = JSON.parse(line!);
      expect(parsed[METADATA_KEY]).toMatchObject({
        type: 'auditevents',
        event_date: '2026-02-03',
        run_id: 'RUN',
        renamed_keys: { [RENAMED_METADATA_KEY]: '_collector' },
      });
      expect(JSON.stringify(parsed[RENAMED_METADATA_KEY])).toBe(own);
      // Every other field as sent, in order.
      expect(line!.replace(/^\{"_collector":\{[^}]*\{[^}]*\}\},/, '{')).toBe(
        event.replace(/"(\\u005f|_)collector":/, `"${RENAMED_METADATA_KEY}":`),
      );
    },
  );

  it('takes a free name when the event also uses the first choice, and keeps repeats', () => {
    const event = `{"uuid":"U2","_event_collector":1,"_collector":2,"_collector":3}`;
    const [line] = linesOf(`{"cursor":"c","has_more":false,"items":[${event}]}`);
    expect(keysOf(line!)).toEqual([
      '_collector',
      'uuid',
      '_event_collector',
      '_event_collector_2',
      '_event_collector_3',
    ]);
    expect(JSON.parse(line!)[METADATA_KEY].renamed_keys).toEqual({
      _event_collector_2: '_collector',
      _event_collector_3: '_collector',
    });
  });

  it('leaves events without it untouched (no renamed_keys)', () => {
    const [line] = linesOf(
      '{"cursor":"c","has_more":false,"items":[{"uuid":"U3","Collector":1,"x_collector":2}]}',
    );
    expect(keysOf(line!)).toEqual(['_collector', 'uuid', 'Collector', 'x_collector']);
    expect(JSON.parse(line!)[METADATA_KEY].renamed_keys).toBeUndefined();
  });
});

describe('items that are not objects', () => {
  it.each(['1', '"text"', 'null', 'true', '[1,{"_collector":2}]', '{}'])(
    'item %s is written whole, with the collector metadata once',
    (item) => {
      const [line] = linesOf(`{"cursor":"c","has_more":false,"items":[${item}]}`);
      expect(keysOf(line!)?.filter((k) => k === METADATA_KEY)).toHaveLength(1);
      const parsed = JSON.parse(line!);
      expect(parsed[METADATA_KEY]).toMatchObject({ type: 'auditevents', event_date: '2026-03-01' });
      if (item !== '{}') expect(line!.endsWith(`,"_item":${item}}`)).toBe(true);
    },
  );
});

describe('a body with a top-level key twice', () => {
  it.each([
    ['items', '{"cursor":"c","has_more":false,"items":[{"uuid":"A"}],"items":[{"uuid":"B"}]}'],
    ['cursor', '{"cursor":"c1","has_more":true,"items":[],"cursor":"c2"}'],
    ['has_more', '{"has_more":true,"cursor":"c","items":[],"has_more":false}'],
    ['items (escaped)', '{"cursor":"c","has_more":false,"items":[{"uuid":"A"}],"\\u0069tems":[]}'],
  ])('(%s) is refused: which events and cursor it means is ambiguous', (name, body) => {
    const page = parsePageBody(body);
    expect(() => page.rawItems).toThrow(MalformedPageError);
    expect(() => page.rawItems).toThrow(new RegExp(`key "${name.split(' ')[0]}" twice`));
  });

  it('a repeated key inside an event is not a repeated key of the body', () => {
    const page = parsePageBody('{"cursor":"c","has_more":false,"items":[{"a":1,"a":2}]}');
    expect(page.rawItems).toEqual(['{"a":1,"a":2}']);
  });
});
