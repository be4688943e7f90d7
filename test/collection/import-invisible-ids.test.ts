import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ImportResult, importCollection } from '../../pipeline/collection/import.ts';
import { readObjects } from '../../pipeline/collection/index.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';

/*
 * An outside tester: an object id with a zero-width space in it (U+200B, pasted from a web page) went through a
 * first import: its image file, web address and labels.csv line then hold a character no one can see, and the same
 * id typed by hand never matches it. Import refuses the row, naming the file, line and object, and showing where
 * the invisible character is. Failed before the fix.
 */

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'vitrine-import-invisible-ids-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4]);

async function importIds(name: string, ids: string[]) {
  const dir = path.join(root, name);
  await mkdir(dir, { recursive: true });
  const lines = ['id,image,label,title'];
  for (const [i, id] of ids.entries()) {
    await writeFile(path.join(dir, `img${i}.jpg`), Buffer.concat([JPEG, Buffer.from(String(i))]));
    lines.push(`${id},img${i}.jpg,coin,Object ${i}`);
  }
  const metadata = path.join(dir, 'objects.csv');
  await writeFile(metadata, `${lines.join('\n')}\n`);
  const ws = workspace(path.join(dir, 'repo'));
  const params = defaultParams();
  params.import.on_invalid = 'skip';
  const result = (await importCollection({ ws, params, metadata, log: memoryLogger() })) as ImportResult;
  const imported = (await readObjects({ file: ws.objects })).objects.map((o) => o.id);
  return { result, imported };
}

describe('an object id with an invisible character', () => {
  it('refuses a zero-width space, naming the line and object and showing where it is', async () => {
    const { result, imported } = await importIds('zwsp', ['A-1', 'A-\u200b2', 'A-3']);
    expect(imported).toEqual(['A-1', 'A-3']);
    expect(result.refused).toHaveLength(1);
    const [problem] = result.refused;
    expect(problem!.file).toContain('objects.csv');
    expect(problem!.line).toBe(3);
    expect(problem!.message).toContain('"A-<U+200B>2"');
    expect(problem!.message).toContain('a zero-width space');
    expect(problem!.message).toContain('after "A-"');
  });

  it('says to remove them all when the id holds several, not “it” (review L5; failed before the fix)', async () => {
    const { result } = await importIds('several', ['A\u200b-1\u200b', 'A-2']);
    const [problem] = result.refused;
    expect(problem!.message).toContain('(and 1 more)');
    expect(problem!.message).toContain('Remove them from the id in the export');
    expect(problem!.message).not.toContain('Remove it');
  });

  it('refuses a direction mark and a soft hyphen too, and keeps ids in scripts that join letters', async () => {
    const { result, imported } = await importIds('marks', ['\u200eB-1', 'B\u00ad2', 'می\u200cراث-3']);
    expect(imported).toEqual(['می\u200cراث-3']);
    expect(result.refused.map((p) => p.line)).toEqual([2, 3]);
    expect(result.refused[0]!.message).toContain('at the start');
    expect(result.refused[1]!.message).toContain('a soft hyphen');
  });
});

/*
 * An outside tester: a label with a bidi override ("co\u202ein", which reads "coni") or a control character went
 * through import into labels.csv, and only the next run refused it (params.yaml refuses such a label too). Import
 * refuses the row, naming the export file, line and the character’s code, before anything is written. Failed before
 * the fix.
 */
async function importLabels(name: string, rows: [string, string][], onInvalid: 'skip' | 'fail') {
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
  const params = defaultParams();
  params.import.on_invalid = onInvalid;
  const result = await importCollection({ ws, params, metadata, log: memoryLogger() }).catch(
    (e: unknown) => e as Error,
  );
  return { result, ws, metadata };
}

describe('a label with a control character or a bidi override', () => {
  it('refuses the row, naming the line, object and the character’s code', async () => {
    const { result, ws } = await importLabels(
      'label-controls',
      [
        ['A-1', 'coin'],
        ['A-2', 'co\u202ein'],
        ['A-3', 'vase\u0007'],
        ['A-4', '\u2067قطعة\u2069'],
      ],
      'skip',
    );
    const { refused } = result as ImportResult;
    expect(refused.map((p) => [p.line, p.object])).toEqual([
      [3, 'A-2'],
      [4, 'A-3'],
      [5, 'A-4'],
    ]);
    expect(refused[0]!.file).toContain('objects.csv');
    expect(refused[0]!.message).toContain('"co<U+202E>in"');
    expect(refused[0]!.message).toContain('U+202E, a right-to-left override');
    expect(refused[1]!.message).toContain('U+0007, a control character');
    expect(refused[2]!.message).toContain('U+2067, a right-to-left isolate');
    expect((await readObjects({ file: ws.objects })).objects.map((o) => o.id)).toEqual(['A-1']);
    expect(await readFile(ws.labels, 'utf8')).not.toMatch(/[\u0007\u202e\u2067]/);
  });

  it('stops the import under import.on_invalid “fail” before anything is written', async () => {
    const { result, ws, metadata } = await importLabels(
      'label-controls-fail',
      [
        ['A-1', 'coin'],
        ['A-2', 'co\u202ein'],
      ],
      'fail',
    );
    expect(result).toBeInstanceOf(Error);
    expect((result as Error).message).toContain(`${metadata}:3: the label "co<U+202E>in" of object "A-2"`);
    await expect(readFile(ws.labels, 'utf8')).rejects.toThrow();
    await expect(readFile(ws.objects, 'utf8')).rejects.toThrow();
  });
});
