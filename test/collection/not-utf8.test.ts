import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importCollection } from '../../pipeline/collection/import.ts';
import { readLabels, readObjects } from '../../pipeline/collection/index.ts';
import { readLabelsChecked, readObjectsChecked } from '../../pipeline/dataset/validate.ts';
import { isVitrineError } from '../../pipeline/errors.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';

/*
 * A tester's Windows-1252 CSV (Excel's plain "CSV (Comma delimited)", many collection-system exports) was read as
 * UTF-8 without a word: every accent became "�" in objects.csv, the catalogue and the report. Each case failed
 * before the fix. Vitrine does not transcode: a guessed encoding can be wrong.
 */

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'vitrine-not-utf8-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function write(name: string, latin1: string): Promise<string> {
  const file = path.join(root, name);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, Buffer.from(latin1, 'latin1'));
  return file;
}

async function errorOf(run: () => Promise<unknown>): Promise<{ code: string; message: string; line?: unknown }> {
  try {
    await run();
  } catch (error) {
    if (!isVitrineError(error)) throw error;
    return { code: error.code, message: error.message, line: error.data.line };
  }
  throw new Error('no error');
}

describe('a file that is not UTF-8', () => {
  it('labels.csv: names the file, the first line with such a byte, shows it, and says to save as CSV UTF-8', async () => {
    const file = await write('labels.csv', 'object_id,label\nA-0,Pottery\nA-1,C\xe9ramique\nA-2,Vase \xe0 anses\n');
    for (const run of [() => readLabels({ file }), () => readLabelsChecked({ file, name: 'labels.csv' })]) {
      const e = await errorOf(run);
      expect(e.code).toBe('NOT_UTF8');
      expect(e.line).toBe(3);
      expect(e.message).toContain(':3:');
      expect(e.message).toContain('"A-1,C?ramique"');
      expect(e.message).toContain('CSV UTF-8');
      expect(e.message).toContain('1 other line');
      expect(e.message).not.toContain('\uFFFD');
    }
  });

  it('objects.csv, through both readers', async () => {
    const file = await write('data/objects.csv', 'id,image,title\nA-1,a.jpg,Vase \xe0 d\xe9cor \x96 Ming\n');
    for (const run of [() => readObjects({ file }), () => readObjectsChecked({ file, name: 'data/objects.csv' })]) {
      const e = await errorOf(run);
      expect(e.code).toBe('NOT_UTF8');
      expect(e.message).toContain('objects.csv:2:');
      expect(e.message).toContain('Vase ? d?cor ? Ming');
    }
  });

  it("import's CSV and JSON Lines exports", async () => {
    const ws = await workspace(path.join(root, 'repo'));
    await mkdir(path.join(root, 'export/images'), { recursive: true });
    const csv = await write('export/meta.csv', 'id,image,title\nA-1,a.jpg,C\xe9ramique\n');
    const jsonl = await write('export/meta.jsonl', '{"id":"A-1","image":"a.jpg","title":"C\xe9ramique"}\n');
    for (const metadata of [csv, jsonl]) {
      const e = await errorOf(() =>
        importCollection({
          ws,
          params: defaultParams(),
          metadata,
          images: path.join(root, 'export/images'),
          log: memoryLogger(),
        }),
      );
      expect(e.code).toBe('NOT_UTF8');
      expect(e.line).toBe(metadata === csv ? 2 : 1);
      expect(e.message).toContain('UTF-8');
    }
  });

  it('a labels.csv in UTF-8 that holds the character "�" itself is read as it is', async () => {
    const file = path.join(root, 'fffd.csv');
    await writeFile(file, 'object_id,label\nA-1,C\uFFFDramique\n', 'utf8');
    expect((await readLabels({ file }))[0]?.label).toBe('C\uFFFDramique');
    expect((await readFile(file)).includes(Buffer.from([0xef, 0xbf, 0xbd]))).toBe(true);
  });

  it('UTF-16 is still named as UTF-16', async () => {
    const file = path.join(root, 'utf16.csv');
    await writeFile(
      file,
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('object_id,label\nA-1,Pottery\n', 'utf16le')]),
    );
    expect((await errorOf(() => readLabels({ file }))).code).toBe('CSV_UTF16');
  });
});
