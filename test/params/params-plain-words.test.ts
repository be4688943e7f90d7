import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isVitrineError } from '../../pipeline/errors.ts';
import { loadParams, parseParams } from '../../pipeline/params.ts';

/*
 * Outside tester: params.yaml mistakes a museum's staff make, and what they were told. A colon in a name gave
 * "Nested mappings are not allowed in compact mappings"; "Gallery #5 Collection" was read as "Gallery" without a
 * word; the code 1.10 was shown as 1.1 with no advice; a file saved as Notepad's "Unicode" printed garbled bytes.
 */

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

function messageOf(text: string): string {
  try {
    parseParams({ text, name: 'params.yaml' });
  } catch (error) {
    return (error as Error).message;
  }
  return 'accepted';
}

async function loadError(bytes: Buffer): Promise<unknown> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'vitrine-params-words-'));
  dirs.push(dir);
  await writeFile(path.join(dir, 'params.yaml'), bytes);
  return loadParams({ file: path.join(dir, 'params.yaml') }).catch((e: unknown) => e);
}

describe('params.yaml mistakes, said in plain words', () => {
  it('a colon inside a value: put it in single quotes, which need no other escaping', () => {
    expect(messageOf('catalogue:\n  title: Coins: the Roman mint\n')).toBe(
      'params.yaml:2: the value of "title" contains ": ", which YAML reads as the start of another setting: put ' +
        "the value in single quotes, e.g. title: 'Coins: the Roman mint' (inside single quotes, write a single " +
        "quote twice: 'd''Orsay').",
    );
    expect(messageOf('collection:\n  name: Musée d’Orsay: Collections\n')).toContain(
      "e.g. name: 'Musée d’Orsay: Collections'",
    );
  });

  it('the single-quoted value it suggests reads back as the value staff meant', () => {
    // A straight single quote doubled, backslashes and double quotes as they are: what a double-quoted
    // suggestion would have turned into escapes ("C:\new" is a line break there).
    for (const [value, suggested] of [
      ["Musée d'Orsay: Collections", "'Musée d''Orsay: Collections'"],
      ['Prints: "Hokusai" C:\\new\\scans', '\'Prints: "Hokusai" C:\\new\\scans\''],
      // A tab in the value (reviewer: written "\t" in the quotes, it read back as a backslash and a t).
      ['Prints:\tUkiyo-e', "'Prints:\tUkiyo-e'"],
    ]) {
      const message = messageOf(`collection:\n  name: ${value}\n`);
      expect(message).toContain(`e.g. name: ${suggested} (`);
      const fixed = parseParams({ text: `collection:\n  name: ${suggested}\n`, name: 'params.yaml' });
      expect(fixed.collection.name).toBe(value);
    }
  });

  it('a comment after the value is left out of the suggested quotes', () => {
    expect(messageOf('catalogue:\n  title: Coins: the Roman mint  # the new title\n')).toContain(
      "e.g. title: 'Coins: the Roman mint' (",
    );
  });

  it('"#" glued to the words after a value is refused, not silently cut off; "# comment" is a comment', () => {
    const message = messageOf('collection:\n  name: Gallery #5 Collection\n');
    expect(message).toContain('params.yaml:2: "Gallery" is followed by "#5 Collection"');
    expect(message).toContain('put the whole value in quotes ("Gallery #5 Collection")');
    expect(parseParams({ text: 'collection:\n  name: Gallery # the name\n', name: 'p' }).collection.name).toBe(
      'Gallery',
    );
    expect(parseParams({ text: 'collection:\n  name: "Gallery #5"\n', name: 'p' }).collection.name).toBe('Gallery #5');
    // After a fixed word or a label, "#…" can only be a comment (a reviewer: these loaded before, and still do).
    const fixed = parseParams({
      text: 'import:\n  on_invalid: skip #was fail\ncollection:\n  vocabulary:\n    - coin #main\n    - mask\n',
      name: 'p',
    });
    expect(fixed.import.on_invalid).toBe('skip');
    expect(fixed.collection.vocabulary).toEqual(['coin', 'mask']);
  });

  it('a code YAML reads as a number is shown as written, with the quotes that keep it text', () => {
    expect(messageOf('collection:\n  vocabulary:\n    - 1.10\n    - "2.20"\n')).toContain(
      'params.yaml:3: "collection.vocabulary.0" is 1.10, a number to YAML (read as 1.1); it should be text: put it ' +
        'in quotes, "1.10"',
    );
  });

  it('a file saved as UTF-16 or in an older encoding is named, with how to save it', async () => {
    const utf16 = await loadError(Buffer.from('\ufeff# settings\ncollection:\n  name: Test\n', 'utf16le'));
    expect(isVitrineError(utf16, 'PARAMS_ENCODING')).toBe(true);
    expect((utf16 as Error).message).toMatch(/^params\.yaml is saved as UTF-16 \(Notepad's "Unicode"\)/);
    const latin1 = await loadError(Buffer.from('collection:\n  name: Musée\n', 'latin1'));
    expect(isVitrineError(latin1, 'PARAMS_ENCODING')).toBe(true);
    expect((latin1 as Error).message).toMatch(/^params\.yaml:2: this line is not UTF-8 text/);
  });
});
