import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writePrivateFile } from '../../local/private-files';

describe('writePrivateFile', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'private-files-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the whole text, owner-only, making the missing folder owner-only too', () => {
    const target = join(dir, 'new', 'page.html');
    writePrivateFile(target, 'first');
    writePrivateFile(target, 'second, replacing it');
    expect(readFileSync(target, 'utf8')).toBe('second, replacing it');
    expect(statSync(target).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'new')).mode & 0o777).toBe(0o700);
    expect(readdirSync(join(dir, 'new'))).toEqual(['page.html']);
  });

  it('leaves neither a temporary file nor a changed target when the rename fails', () => {
    const target = join(dir, 'taken');
    mkdirSync(join(target, 'inside'), { recursive: true }); // a non-empty folder cannot be renamed over
    expect(() => writePrivateFile(target, 'text')).toThrow();
    expect(readdirSync(dir)).toEqual(['taken']);
    expect(readdirSync(target)).toEqual(['inside']);
  });
});
