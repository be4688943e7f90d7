import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ImportResult, importCollection } from '../../pipeline/collection/import.ts';
import { readObjects } from '../../pipeline/collection/index.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams, type Params } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';

/*
 * An id or a label of thousands of characters (a text pasted into the cell by mistake) went through import whole,
 * into data/objects.csv, labels.csv and the catalogue, an id naming the object's image file and web address. Import
 * refuses the row, naming the file, line, object and how the value begins. Each case failed before the fix.
 */

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'vitrine-import-long-ids-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4]);

function params(onInvalid: 'skip' | 'fail'): Params {
  const p = defaultParams();
  for (const field of ['maker', 'date', 'department', 'medium', 'credit_line', 'rights', 'description'] as const)
    p.import.columns[field] = '';
  p.import.on_invalid = onInvalid;
  return p;
}

/** An export of `rows` ([id, label]), each with its image, imported into a new repository. */
async function importRows(name: string, rows: [string, string][], onInvalid: 'skip' | 'fail' = 'skip') {
  const dir = path.join(root, name);
  await mkdir(dir, { recursive: true });
  const lines = ['id,image,label,title'];
  for (const [i, [id, label]] of rows.entries()) {
    await writeFile(path.join(dir, `img${i}.jpg`), Buffer.concat([JPEG, Buffer.from(String(i))]));
    lines.push(`${id},img${i}.jpg,${label},Object ${i}`);
  }
  const metadata = path.join(dir, 'objects.csv');
  await writeFile(metadata, `${lines.join('\n')}\n`);
  const ws = workspace(path.join(dir, 'repo'));
  const result = await importCollection({ ws, params: params(onInvalid), metadata, log: memoryLogger() }).catch(
    (e: unknown) => e as Error,
  );
  const ids = async () => (await readObjects({ file: ws.objects })).objects.map((o) => o.id);
  return { result, ids, metadata };
}

const LONG_ID = `1987.${'4'.repeat(2995)}`;
const LONG_LABEL = `Vessel ${'with a long description '.repeat(125)}`.trim();

describe('an id or a label far longer than any real one', () => {
  it('refuses the row of a 3,000-character id, naming the line and how the id begins', async () => {
    const { result, ids } = await importRows('long-id', [
      ['A-1', 'coin'],
      [LONG_ID, 'coin'],
      ['A-2', 'vessel'],
    ]);
    const { refused } = result as ImportResult;
    expect(refused.map((p) => [p.line, p.object])).toEqual([[3, LONG_ID]]);
    expect(refused[0]!.message).toBe(
      'the object id is 3,000 characters long (3,000 bytes in UTF-8; at most 200): an id names the object’s image ' +
        'file and web address, which cannot be that long. A text pasted into the id cell by mistake? It begins ' +
        `"1987.${'4'.repeat(35)}…". Correct it in the collections system and export again`,
    );
    expect(await ids()).toEqual(['A-1', 'A-2']);
  });

  it('stops the import under import.on_invalid "fail", naming the file and line', async () => {
    const { result, metadata } = await importRows(
      'long-id-fail',
      [
        ['A-1', 'coin'],
        [LONG_ID, 'coin'],
      ],
      'fail',
    );
    expect(result).toBeInstanceOf(Error);
    expect((result as Error).message).toContain(`${metadata}:3: the object id is 3,000 characters long`);
  });

  it('refuses the row of a label of thousands of characters, naming the object and how the label begins', async () => {
    const { result, ids } = await importRows('long-label', [
      ['A-1', 'coin'],
      ['B-1', LONG_LABEL],
    ]);
    const { refused } = result as ImportResult;
    expect(refused.map((p) => [p.line, p.object])).toEqual([[3, 'B-1']]);
    expect(refused[0]!.message).toMatch(
      /^the label \("label"\) of object "B-1" is 3,006 characters long \(3,006 bytes in UTF-8; at most 100\): /,
    );
    expect(refused[0]!.message).toContain('It begins "Vessel with a long description with a lo…"');
    expect(await ids()).toEqual(['A-1']);
  });

  it('counts bytes, as file names do: 200 bytes of id and 100 of label are taken, one more is not', async () => {
    // 66 Chinese characters are 198 bytes, 67 are 201.
    const { result, ids } = await importRows('limits', [
      ['A'.repeat(200), 'coin'],
      ['B'.repeat(201), 'coin'],
      ['藏'.repeat(66), 'coin'],
      ['藏'.repeat(67), 'coin'],
      ['C-1', 'c'.repeat(100)],
      ['C-2', 'c'.repeat(101)],
    ]);
    expect((result as ImportResult).refused.map((p) => p.line)).toEqual([3, 5, 7]);
    expect(await ids()).toEqual(['A'.repeat(200), 'C-1', '藏'.repeat(66)]);
  });
});
