import { copyFile, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { EGYPT } from '../cli/egypt-export.ts';
import { vitrineIn } from '../fixtures/cli-run.ts';
import { tempDir } from '../fixtures/temp.ts';

/*
 * Outside tester, 2026-12-05: a 5 MB title in the export (a paste by mistake) was imported without a word, and
 * the public site grew with it (the object's page 50 MB, the home page 10 MB).
 */

let root: string;
beforeAll(async () => {
  root = await tempDir('vitrine-long-fields-');
});

const vitrine = (args: string[], cwd: string) => vitrineIn({ args, cwd });

const HEADER = ['ObjectNumber', 'Image', 'Type', 'Title', 'Description'];
// Its last space is trimmed as any cell's: 5,040,005 characters read.
const PASTE = `Giant ${'lorem ipsum dolor '.repeat(280_000)}`;

/** A museum set up by `vitrine init` from an export of 8 objects (real photographs), and that export's rows. */
async function museum(name: string, onInvalid: 'fail' | 'skip') {
  const exportDir = path.join(root, name, 'export');
  await mkdir(path.join(exportDir, 'images'), { recursive: true });
  const egypt = (parse(await readFile(path.join(EGYPT, 'metadata.csv'), 'utf8')) as string[][]).slice(1);
  const rows: string[][] = [];
  for (let i = 0; i < 8; i++) {
    const id = `EG-${i + 1}`;
    const source = egypt[i * 7]!;
    await copyFile(path.join(EGYPT, source[1]!), path.join(exportDir, 'images', `${id}.jpg`));
    rows.push([id, `images/${id}.jpg`, i % 2 ? 'Pottery' : 'Jewellery', source[3]!, '']);
  }
  await writeFile(path.join(exportDir, 'objects.csv'), stringify([HEADER, ...rows]));
  const dir = path.join(root, name, 'museum');
  await mkdir(dir);
  const init = await vitrine(['init', '--from', path.join(exportDir, 'objects.csv'), '--yes'], dir);
  expect(init.code, init.said).toBe(0);
  const params = path.join(dir, 'params.yaml');
  await writeFile(params, (await readFile(params, 'utf8')).replace(/on_invalid: fail/, `on_invalid: ${onInvalid}`));
  /** `vitrine import` of the export with `change` made to its rows. */
  const reimport = async (change: (rows: string[][]) => string[][]) => {
    await writeFile(path.join(exportDir, 'next.csv'), stringify([HEADER, ...change(rows.map((r) => [...r]))]));
    return vitrine(['import', '--metadata', path.join(exportDir, 'next.csv')], dir);
  };
  return { dir, rows, reimport, objects: path.join(dir, 'data', 'objects.csv') };
}

describe('a field of the export far longer than any real one', () => {
  it('stops the import under import.on_invalid "fail", naming the object, the field and its size', async () => {
    const { reimport, objects } = await museum('fail', 'fail');
    const before = await readFile(objects, 'utf8');
    const { code, said } = await reimport((rows) =>
      rows.map((r) => (r[0] === 'EG-7' ? [...r.slice(0, 3), PASTE, ''] : r)),
    );
    expect(code, said).toBe(1);
    expect(said).toContain('nothing was changed');
    expect(said).toMatch(/next\.csv:8: the title \("Title"\) of object "EG-7" is 5,040,005 characters long/);
    // Not "at most 1,000 characters are imported", which read as the title cut short (an outside tester).
    expect(said).toContain('(at most 1,000 characters: a row with more is refused, not cut short)');
    expect(said).not.toMatch(/characters are imported/);
    expect(said.length).toBeLessThan(5000);
    expect(await readFile(objects, 'utf8')).toBe(before);
  });

  it('under "skip", keeps the object’s previous details and says what the catalogue shows', async () => {
    const { reimport, objects, rows } = await museum('skip', 'skip');
    const long = 'A very long description. '.repeat(1000);
    const { code, said } = await reimport((rs) =>
      rs.map((r) => (r[0] === 'EG-7' ? [...r.slice(0, 3), PASTE, ''] : r[0] === 'EG-2' ? [...r.slice(0, 4), long] : r)),
    );
    // Refused rows under "skip" end the command with 1, the other rows imported.
    expect(code, said).toBe(1);
    expect(said).toMatch(/the other rows were imported/);
    expect(said).toMatch(/the title \("Title"\) of object "EG-7" is 5,040,005 characters long/);
    expect(said).toMatch(/the description \("Description"\) of object "EG-2" is 24,999 characters long/);
    expect(said).toMatch(/at most 20,000 characters: a row with more is refused, not cut short/);
    expect(said).toMatch(/the catalogue keeps the details the object had/);
    expect(said.length).toBeLessThan(10_000);
    expect((await stat(objects)).size).toBeLessThan(10_000);
    const table = parse(await readFile(objects, 'utf8'), { columns: true }) as Record<string, string>[];
    expect(table.find((o) => o.id === 'EG-7')?.title).toBe(rows[6]![3]);
  });

  it('imports long but real values without a word', async () => {
    const { reimport, objects } = await museum('real', 'fail');
    const title = 'T'.repeat(1000);
    const description = 'D'.repeat(20_000);
    const { code, said } = await reimport((rows) =>
      rows.map((r) => (r[0] === 'EG-3' ? [...r.slice(0, 3), title, description] : r)),
    );
    expect(code, said).toBe(0);
    expect(said).not.toMatch(/characters long/);
    expect(await readFile(objects, 'utf8')).toContain(description);
  });

  it('counts characters, not UTF-16 units: 600 CJK Extension B characters are a real title', async () => {
    const { reimport, objects } = await museum('astral', 'fail');
    // U+20000 and on: one character each, two UTF-16 units.
    const title = Array.from({ length: 600 }, (_, i) => String.fromCodePoint(0x20000 + i)).join('');
    const { code, said } = await reimport((rows) =>
      rows.map((r) => (r[0] === 'EG-3' ? [...r.slice(0, 3), title, ''] : r)),
    );
    expect(code, said).toBe(0);
    expect(said).not.toMatch(/characters long/);
    expect(await readFile(objects, 'utf8')).toContain(title);
  });

  it('says the length in characters when a title of astral characters is too long', async () => {
    const { reimport } = await museum('astral-long', 'fail');
    const title = String.fromCodePoint(0x20000).repeat(1001);
    const { code, said } = await reimport((rows) =>
      rows.map((r) => (r[0] === 'EG-3' ? [...r.slice(0, 3), title, ''] : r)),
    );
    expect(code, said).toBe(1);
    expect(said).toMatch(/the title \("Title"\) of object "EG-3" is 1,001 characters long/);
  });
});
