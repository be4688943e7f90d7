import { spawn } from 'node:child_process';
import { appendFile, cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../pipeline/cli.ts';
import { importCollection } from '../../pipeline/collection/import.ts';
import { recordImportSource } from '../../pipeline/collection/import-source.ts';
import { isVitrineError } from '../../pipeline/errors.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';
import { copyEgyptExport } from '../cli/egypt-export.ts';
import { holdLockInChild } from '../fixtures/lock-holder.ts';

/*
 * Session 37, 2026-12-04: an outside tester ran a museum's monthly re-imports, each export in a folder of its own
 * (export-2024-02/). `vitrine import --metadata export-2024-02/…` took every image from export-2024-01 (init had
 * written import.images); params.yaml kept naming the first export, so a bare `vitrine import` later brought back
 * deaccessioned objects and an old photograph; import never said what it added or changed; an export cut at 60%
 * removed 40% of the collection without a word; another collection's export was offered --remove-missing.
 */

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'vitrine-monthly-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function vitrine(args: string[], cwd: string) {
  const log = memoryLogger();
  const code = await main(args, { cwd, env: {}, stdout: () => {}, log, interactive: false });
  return { code, said: log.lines.map((l) => `${l.level}: ${l.message}`).join('\n') };
}

describe('a monthly export in a folder of its own', () => {
  it('is read with its own images, said in what it changed, and named in params.yaml for the next import', async () => {
    const first = path.join(root, 'export-2024-01');
    const { header, rows } = await copyEgyptExport({ dir: first, pick: 26 });
    const museum = path.join(root, 'museum');
    await mkdir(museum);
    expect((await vitrine(['init', '--from', path.join(first, 'metadata.csv'), '--yes'], museum)).code).toBe(0);
    expect(await readFile(path.join(museum, 'params.yaml'), 'utf8')).toContain('images: "../export-2024-01"');

    // February: two objects added (photographs of their own), one deaccessioned, one re-photographed, a title corrected.
    const second = path.join(root, 'export-2024-02');
    await cp(first, second, { recursive: true });
    const [gone, photographed, retitled] = [rows[0]!, rows[1]!, rows[2]!];
    await appendFile(path.join(second, photographed[1]!), Buffer.from([0xff, 0xd9]));
    const added = [rows[3]!, rows[4]!].map((r, i) => {
      const id = `NEW_${i + 1}`;
      return [id, r[1]!.replace(r[0]!, id), ...r.slice(2)];
    });
    for (const [i, r] of added.entries()) await cp(path.join(second, rows[3 + i]![1]!), path.join(second, r[1]!));
    const table = rows
      .filter((r) => r !== gone)
      .map((r) => (r === retitled ? [r[0]!, r[1]!, r[2]!, `${r[3]} (corrected)`, ...r.slice(4)] : r));
    await writeFile(path.join(second, 'metadata.csv'), stringify([header, ...table, ...added]));

    const paramsBefore = (await readFile(path.join(museum, 'params.yaml'), 'utf8')).split('\n');
    const { code, said } = await vitrine(['import', '--metadata', path.join(second, 'metadata.csv')], museum);
    // Only the two settings' lines change: staff commit the file (the YAML library's writing reflowed ~50 lines).
    const paramsAfter = (await readFile(path.join(museum, 'params.yaml'), 'utf8')).split('\n');
    expect(paramsAfter).toHaveLength(paramsBefore.length);
    expect(paramsAfter.filter((l, i) => l !== paramsBefore[i])).toEqual([
      '  metadata: "../export-2024-02/metadata.csv"',
      '  images: "../export-2024-02"',
    ]);
    expect(code, said).toBe(0);
    expect(said).toContain(`The images of this export are read from ${second} (beside it, as import.images is beside`);
    expect(said).toMatch(
      new RegExp(
        `Since the last import: 2 objects added \\(NEW_1, NEW_2\\), 1 removed \\(${gone[0]}\\), 1 given a new ` +
          `photograph \\(${photographed[0]}\\) and 1 with other details \\(${retitled[0]}: title\\)\\.`,
      ),
    );
    expect(said).toContain(
      'params.yaml: import.metadata is now "../export-2024-02/metadata.csv" and import.images is now ' +
        '"../export-2024-02"',
    );
    const objects = parse(await readFile(path.join(museum, 'data', 'objects.csv')), { columns: true }) as {
      id: string;
      image: string;
    }[];
    const stored = objects.find((o) => o.id === photographed[0])!.image;
    expect(await readFile(path.join(museum, 'data', stored))).toEqual(
      await readFile(path.join(second, photographed[1]!)),
    );
    expect(objects.map((o) => o.id)).toContain('NEW_1');
    expect(objects.map((o) => o.id)).not.toContain(gone[0]);

    // The next bare import reads February's export: nothing to change.
    const again = await vitrine(['import'], museum);
    expect(again.code, again.said).toBe(0);
    expect(again.said).toContain('Nothing changed since the last import');
  });
});

describe('a re-import’s summary', () => {
  it('names objects given a first photograph and objects whose image cell is empty now', async () => {
    // The reviewer: "Nothing changed since the last import" when A-1 lost its image and A-2 got its first.
    const dir = path.join(root, 'photos');
    await mkdir(dir, { recursive: true });
    for (const n of ['a', 'b', 'c'])
      await writeFile(path.join(dir, `${n}.jpg`), Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1]));
    const ws = workspace(path.join(dir, 'repo'));
    const params = defaultParams();
    const write = async (rows: string[][]) => {
      await writeFile(path.join(dir, 'export.csv'), stringify([['id', 'title', 'image'], ...rows]));
      return path.join(dir, 'export.csv');
    };
    const first = await write([
      ['A-1', 'Bol', 'a.jpg'],
      ['A-2', 'Vase', ''],
      ['A-3', 'Coin', 'c.jpg'],
    ]);
    await importCollection({ ws, params, metadata: first, log: memoryLogger() });
    const log = memoryLogger();
    const second = await write([
      ['A-1', 'Bol', ''],
      ['A-2', 'Vase', 'b.jpg'],
      ['A-3', 'Coin', 'c.jpg'],
    ]);
    const result = await importCollection({ ws, params, metadata: second, log, removeMissing: true });
    expect(result.changes).toMatchObject({ firstPhotographs: ['A-2'], photographsTaken: ['A-1'] });
    expect(log.lines.map((l) => l.message)).toContain(
      'Since the last import: 1 given a first photograph (A-2) and 1 left without a photograph, their image cell ' +
        'empty now (A-1).',
    );
  });
});

describe('a re-import that changes no object but removes images no object names', () => {
  it('does not say the images are as they were', async () => {
    // The reviewer: "Removed 3 images from data/", then "Nothing changed since the last import: … and the images
    // are as they were".
    const dir = path.join(root, 'stray');
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, 'a.jpg'), Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1]));
    await writeFile(path.join(dir, 'b.jpg'), Buffer.from([0xff, 0xd8, 0xff, 0xe0, 2]));
    await writeFile(
      path.join(dir, 'export.csv'),
      stringify([
        ['id', 'image'],
        ['A-1', 'a.jpg'],
        ['A-2', 'b.jpg'],
      ]),
    );
    const ws = workspace(path.join(dir, 'repo'));
    const params = defaultParams();
    await importCollection({ ws, params, metadata: path.join(dir, 'export.csv'), log: memoryLogger() });
    await writeFile(
      ws.params,
      'collection:\n  name: Stray\n  vocabulary: [coin, figurine, mask, print, textile, vessel]\n',
    );
    const added = await vitrine(['data', 'add'], ws.root);
    expect(added.code, added.said).toBe(0);
    // A-2's row deleted from data/objects.csv by hand; its image stays in data/images, and the export no longer has it.
    const objects = await readFile(ws.objects, 'utf8');
    await writeFile(
      ws.objects,
      objects
        .split('\n')
        .filter((l) => !l.startsWith('A-2,'))
        .join('\n'),
    );
    // Recorded so: an edit data.dvc does not record is counted from its record (import-not-recorded.test.ts).
    expect((await vitrine(['data', 'add'], ws.root)).code).toBe(0);
    await writeFile(
      path.join(dir, 'export.csv'),
      stringify([
        ['id', 'image'],
        ['A-1', 'a.jpg'],
      ]),
    );
    const log = memoryLogger();
    const result = await importCollection({ ws, params, metadata: path.join(dir, 'export.csv'), log });
    const said = log.lines.map((l) => l.message);
    expect(result.removedImages).toEqual(['images/A-2.jpg']);
    expect(said.join('\n')).not.toContain('the images are as they were');
    expect(said).toContain(
      'No object changed since the last import: data/objects.csv is as it was (1 image no object names was ' +
        'removed from data/).',
    );
  });
});

describe('a newer export saved on its own, its photographs where they were', () => {
  it('is read with the images folder params.yaml names', async () => {
    const dir = path.join(root, 'alone');
    const images = path.join(dir, 'export', 'images');
    await mkdir(images, { recursive: true });
    await writeFile(path.join(images, 'a.jpg'), Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1]));
    const table = stringify([
      ['id', 'image'],
      ['A-1', 'a.jpg'],
    ]);
    await writeFile(path.join(dir, 'export', 'objects.csv'), table);
    await mkdir(path.join(dir, 'export', '2024-02'));
    await writeFile(path.join(dir, 'export', '2024-02', 'objects.csv'), table);
    const ws = workspace(path.join(dir, 'repo'));
    const params = defaultParams();
    params.import.metadata = '../export/objects.csv';
    params.import.images = '../export/images';
    const newer = path.join(dir, 'export', '2024-02', 'objects.csv');
    const result = await importCollection({ ws, params, metadata: newer, log: memoryLogger() });
    expect(result.source.images).toBe(images);
    expect(result.withoutImage).toBe(0);
  });
});

describe('params.yaml after an import of another export', () => {
  it('changes the text of the two settings alone: comments, line ends and long values stay', async () => {
    const file = path.join(root, 'params-crlf.yaml');
    const lines = [
      'collection:',
      '  name: Musée départemental des Arts et Traditions populaires du Pays de Caux et de la vallée de Seine',
      'import:',
      "  metadata: 'old/objects.csv'     # the export",
      '  images: old                     # beside it',
      '  keep: [ source_url,museum ]',
      'train:',
      '  l2_choices: [0.01, 0.1]          # aligned comment',
      '',
    ];
    await writeFile(file, lines.join('\r\n'));
    const changed = await recordImportSource({
      file,
      root,
      csvFile: path.join(root, 'new folder', 'objects.csv'),
      imageRoot: path.join(root, 'new folder'),
    });
    expect(changed.map((c) => c.key)).toEqual(['metadata', 'images']);
    const expected = [...lines];
    expected[3] = '  metadata: "new folder/objects.csv"     # the export';
    expected[4] = '  images: "new folder"                     # beside it';
    expect(await readFile(file, 'utf8')).toBe(expected.join('\r\n'));
    // A repository run on the defaults has no params.yaml: nothing to bring up to date, and none is made.
    const none = path.join(root, 'no-params', 'params.yaml');
    expect(await recordImportSource({ file: none, root, csvFile: path.join(root, 'objects.csv') })).toEqual([]);
  });
});

describe('an export that leaves out many objects', () => {
  const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4]);
  async function exportOf(name: string, ids: string[]): Promise<string> {
    const dir = path.join(root, name);
    await mkdir(dir, { recursive: true });
    for (const id of ids) await writeFile(path.join(dir, `${id}.jpg`), Buffer.concat([JPEG, Buffer.from(id)]));
    await writeFile(path.join(dir, 'export.csv'), stringify([['id', 'image'], ...ids.map((id) => [id, `${id}.jpg`])]));
    return path.join(dir, 'export.csv');
  }
  const ids = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${i + 1}`);

  it('is refused when it leaves out more than a fifth of the collection (an export cut at a line)', async () => {
    const ws = workspace(path.join(root, 'fifth'));
    const params = defaultParams();
    await importCollection({ ws, params, metadata: await exportOf('fifth-1', ids('A', 60)), log: memoryLogger() });
    const before = await readFile(ws.objects, 'utf8');
    const cut = await exportOf('fifth-2', ids('A', 45));
    const error = await importCollection({ ws, params, metadata: cut, log: memoryLogger() }).catch((e: unknown) => e);
    expect(isVitrineError(error, 'IMPORT_WOULD_REMOVE')).toBe(true);
    expect((error as Error).message).toMatch(/would remove 15 of the 60 objects/);
    expect(await readFile(ws.objects, 'utf8')).toBe(before);
    // A deaccession of a few is taken, and named.
    const log = memoryLogger();
    await importCollection({ ws, params, metadata: await exportOf('fifth-3', ids('A', 55)), log });
    expect(log.lines.map((l) => l.message).join('\n')).toMatch(/5 removed \(A-56, A-57, A-58, A-59, A-60\)/);
  });

  it('names an object whose photograph comes back under a new id, its label left under the old one', async () => {
    const ws = workspace(path.join(root, 'renumbered'));
    const params = defaultParams();
    const labelled = async (name: string, rows: [string, string][]) => {
      const dir = path.join(root, name);
      await mkdir(dir, { recursive: true });
      for (const [, image] of rows) await writeFile(path.join(dir, image), Buffer.concat([JPEG, Buffer.from(image)]));
      const table = [['id', 'image', 'label'], ...rows.map(([id, image]) => [id, image, 'coin'])];
      await writeFile(path.join(dir, 'export.csv'), stringify(table));
      return path.join(dir, 'export.csv');
    };
    const rows = ids('A', 12).map((id) => [id, `${id}.jpg`] as [string, string]);
    await importCollection({ ws, params, metadata: await labelled('renumbered-1', rows), log: memoryLogger() });
    const next = rows.map(([id, image]) => [id === 'A-3' ? 'EA.2024.17' : id, image] as [string, string]);
    const log = memoryLogger();
    await importCollection({ ws, params, metadata: await labelled('renumbered-2', next), log });
    const warning = log.lines.find((l) => l.level === 'warn' && /new id/.test(l.message));
    expect(warning?.message).toBe(
      'An object no longer in the export has its photograph under a new id (A-3 → EA.2024.17): renumbered? Its ' +
        'label in labels.csv is still under the old id, which names no object now, and the new id has the ' +
        'export\'s label. If so, put the new id in place of the old one on its line of labels.csv ("A-3" → ' +
        '"EA.2024.17"), and keep one line for the new id, with the right label.',
    );
  });

  it('is asked about (another collection’s? new objects alone?) when it shares not one id with this one', async () => {
    const ws = workspace(path.join(root, 'other'));
    const params = defaultParams();
    await importCollection({ ws, params, metadata: await exportOf('other-1', ids('A', 20)), log: memoryLogger() });
    const other = await exportOf('other-2', ids('B', 30));
    const error = await importCollection({ ws, params, metadata: other, log: memoryLogger() }).catch((e: unknown) => e);
    expect(isVitrineError(error, 'IMPORT_WOULD_REMOVE')).toBe(true);
    expect((error as Error).message).toMatch(/has not one object id in common with the 20 objects/);
    expect((error as Error).message).toMatch(/the export of another collection, or ids taken from another field/);
    expect((error as Error).message).toMatch(/Only if this collection was renumbered throughout/);
  });
});

describe('an import stopped by Ctrl-C', () => {
  it('says it was stopped, and that it had changed nothing yet', async () => {
    const dir = path.join(root, 'ctrl-c');
    const { dir: exported } = await copyEgyptExport({ dir: path.join(dir, 'export'), pick: 1 });
    const museum = path.join(dir, 'museum');
    await mkdir(museum, { recursive: true });
    await cp('params.yaml', path.join(museum, 'params.yaml'));
    // Another import holds the import lock: this one waits for it, and is stopped while it waits.
    const other = await holdLockInChild({ file: path.join(museum, '.vitrine', 'import.lock'), what: 'an import' });
    const node = path.resolve('node_modules/.bin/node');
    const args = ['bin/vitrine.js', '-C', museum, 'import', '--metadata', path.join(exported, 'metadata.csv')];
    const child = spawn(node, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let sent = false;
    const seen = (d: Buffer) => {
      output += d;
      if (output.includes('this one waits') && !sent) {
        sent = true;
        child.kill('SIGINT');
      }
    };
    child.stdout.on('data', seen);
    child.stderr.on('data', seen);
    const signal = await new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_, s) => resolve(s)));
    other.kill('SIGKILL');
    expect(output).toContain(
      'Stopped: Ctrl-C pressed. It had not changed data/ or labels.csv yet: nothing was changed.',
    );
    expect(signal).toBe('SIGINT');
  }, 120_000);
});
