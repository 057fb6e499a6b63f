import { describe, expect, it } from 'vitest';
import {
  compactJson,
  findItemTexts,
  MalformedPageError,
  parsePageBody,
} from '../../../../shared/collector/events-api/page-body';
import { pageSampleNames, sampleText } from '../../../support/samples';

describe('parsePageBody', () => {
  it.each(pageSampleNames())('keeps every item of %s with the same content', (name) => {
    const body = sampleText(name);
    const page = parsePageBody(body);
    const original = JSON.parse(body);
    expect(page.cursor).toBe(original.cursor);
    expect(page.hasMore).toBe(original.has_more);
    expect(page.rawItems).toHaveLength(original.items.length);
    page.rawItems.forEach((raw, i) => {
      expect(JSON.parse(raw)).toEqual(original.items[i]);
      expect(raw).not.toMatch(/\n/);
    });
  });

  it('keeps number and escape spellings exactly as sent', () => {
    const body =
      '{"has_more":false,"items":[{"aux_id":12345678901234567890,"latitude":43.640,"name":"caf\\u00e9 \\"q\\" \\\\","t":1e2}],"cursor":"c"}';
    const page = parsePageBody(body);
    expect(page.rawItems[0]).toBe(
      '{"aux_id":12345678901234567890,"latitude":43.640,"name":"caf\\u00e9 \\"q\\" \\\\","t":1e2}',
    );
    // JSON.stringify would have changed all three spellings; the raw text is what reaches S3.
    expect(JSON.stringify(page.items[0])).not.toBe(page.rawItems[0]);
  });

  it('finds items whatever the key order and nesting', () => {
    const body =
      '{"cursor":"x","nested":{"items":[1]},"items":[{"a":[{"b":"]}"}]},{}, "s" ,null],"has_more":true}';
    expect(findItemTexts(body)).toEqual(['{"a":[{"b":"]}"}]}', '{}', '"s"', 'null']);
  });

  it('treats a missing items array as an empty page', () => {
    expect(parsePageBody('{"cursor":"c","has_more":false}').items).toEqual([]);
  });

  it.each([
    ['{"cursor":"c","has_more":true,"items":[{"uuid":"A"', /not complete JSON/],
    ['[]', /not a JSON object/],
    ['{"has_more":true,"items":[]}', /"cursor" is missing/],
    ['{"cursor":"c","has_more":"yes","items":[]}', /"has_more" is missing or not a boolean/],
    ['{"cursor":"c","has_more":false,"items":{}}', /"items" is not an array/],
  ])('names what is wrong in %s', (body, message) => {
    expect(() => parsePageBody(body)).toThrow(MalformedPageError);
    expect(() => parsePageBody(body)).toThrow(message);
  });

  it('compacts pretty-printed items without touching string contents', () => {
    expect(compactJson('{\n  "a": "x  y\\n",\n  "b": [ 1, 2 ]\n}')).toBe('{"a":"x  y\\n","b":[1,2]}');
  });
});
