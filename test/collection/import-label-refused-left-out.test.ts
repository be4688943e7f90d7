import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ImportResult, importCollection } from '../../pipeline/collection/import.ts';
import { readObjects } from '../../pipeline/collection/index.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { type Workspace, workspace } from '../../pipeline/paths.ts';

/*
 * An outside tester: under import.on_invalid “skip”, a row whose label holds a control character or a bidi override
 * was refused with "every run refuses such a label. Delete it from the label in the collections system and export
 * again", which reads as if only the label were left out: the object itself was not imported. Each such row now says
 * what became of its object (left out of this import, or kept as it was when already in the collection), with the
 * export file, line and object; many of them are counted once as well. Failed before the fix.
 */

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'vitrine-import-label-left-out-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4]);

async function importRows({ ws, dir, rows }: { ws: Workspace; dir: string; rows: [string, string][] }) {
  await mkdir(dir, { recursive: true });
  const lines = ['id,image,label,title'];
  for (const [id, label] of rows) {
    await writeFile(path.join(dir, `${id}.jpg`), Buffer.concat([JPEG, Buffer.from(id)]));
    lines.push(`${id},${id}.jpg,${label},Object ${id}`);
  }
  const metadata = path.join(dir, 'objects.csv');
  await writeFile(metadata, `${lines.join('\n')}\n`);
  const params = defaultParams();
  params.import.on_invalid = 'skip';
  const log = memoryLogger();
  const result = (await importCollection({ ws, params, metadata, log })) as ImportResult;
  return { result, log, metadata };
}

describe('a row refused for a control character in its label, under import.on_invalid “skip”', () => {
  it('says its object is left out of this import, or kept as it was, naming the file, line and object', async () => {
    const ws = workspace(path.join(root, 'one', 'repo'));
    await importRows({
      ws,
      dir: path.join(root, 'one', 'first'),
      rows: [
        ['A-1', 'coin'],
        ['A-2', 'coin'],
      ],
    });
    const rows: [string, string][] = [
      ['A-1', 'coin'],
      ['A-2', 'co\u202ein'],
      ['A-3', 'vase\u0007'],
      ['A-4', 'coin'],
    ];
    const { result, log, metadata } = await importRows({ ws, dir: path.join(root, 'one', 'second'), rows });
    expect((await readObjects({ file: ws.objects })).objects.map((o) => o.id)).toEqual(['A-1', 'A-2', 'A-4']);
    expect(result.refused.map((p) => [p.file, p.line, p.object])).toEqual([
      [metadata, 3, 'A-2'],
      [metadata, 4, 'A-3'],
    ]);
    const said = (object: string) => log.lines.filter((l) => l.where?.object === object).map((l) => l.message);
    // A-3 is new in this export: left out.
    const [newOne, ...again] = said('A-3');
    expect(again).toEqual([]);
    expect(newOne).toContain('the label "vase<U+0007>" of object "A-3" contains a character that prints nothing');
    expect(newOne).toMatch(/export again\. Object "A-3" is left out of this import until then$/);
    // A bell turns nothing round: the override’s reason is said of an override alone.
    expect(newOne).not.toContain('direction override');
    // A-2 was imported before: kept as it was, its label too.
    const [kept] = said('A-2');
    expect(kept).toContain('the label "co<U+202E>in" of object "A-2" contains a character that prints nothing');
    expect(kept).toMatch(/export again\. Until then object "A-2" keeps its previous details, image and label$/);
    expect(kept).toContain('(a direction override turns the text after it round)');
    // One object left out: its own message says it, with no count beside it.
    expect(log.lines.filter((l) => l.message.includes('objects were left out'))).toEqual([]);
  });

  it('counts the objects so left out once when there are many, with their lines', async () => {
    const ws = workspace(path.join(root, 'many', 'repo'));
    const rows: [string, string][] = [
      ['B-1', 'coin'],
      ...[2, 3, 4, 5].map((n): [string, string] => [`B-${n}`, 'c\u202eoin']),
    ];
    const { log, metadata } = await importRows({ ws, dir: path.join(root, 'many', 'export'), rows });
    const counted = log.lines.filter((l) => l.message.startsWith('4 objects were left out of this import'));
    expect(counted.map((l) => l.message)).toEqual([
      '4 objects were left out of this import (B-2, B-3, B-4 and B-5) because their labels hold a character that ' +
        'prints nothing, which no label may hold (each said above): delete it from those labels in the collections ' +
        'system and export again.',
    ]);
    expect(counted[0]!.where).toEqual({ file: metadata, line: 3, lines: [3, 4, 5, 6] });
  });
});
