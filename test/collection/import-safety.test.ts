import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importCollection } from '../../pipeline/collection/import.ts';
import { readLabels, readObjects } from '../../pipeline/collection/index.ts';
import { addData } from '../../pipeline/data/index.ts';
import { isVitrineError } from '../../pipeline/errors.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams, type Params } from '../../pipeline/params.ts';
import { type Workspace, workspace } from '../../pipeline/paths.ts';

/*
 * Issue 11: import must never read outside the export's images folder, never drop a label silently,
 * refuse bad rows with a non-zero exit, and say what happens to data/ files no longer exported.
 */

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'vitrine-import-safety-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4]);

/** An export folder: `export/images/<id>.jpg` for each listed id, and a metadata CSV of `rows`. */
async function exportWith(
  name: string,
  rows: string[][],
  header = ['id', 'image', 'label', 'title'],
): Promise<{ csv: string; images: string; dir: string }> {
  const dir = path.join(root, name, 'export');
  const images = path.join(dir, 'images');
  await mkdir(images, { recursive: true });
  for (const row of rows) {
    const image = row[header.indexOf('image')];
    if (image && /^[\w-]+\.jpg$/.test(image))
      await writeFile(path.join(images, image), Buffer.concat([JPEG, Buffer.from(row[0]!)]));
  }
  const csv = path.join(dir, 'objects.csv');
  await writeFile(csv, stringify([header, ...rows]));
  return { csv, images, dir };
}

function params(onInvalid: 'skip' | 'fail' = 'fail'): Params {
  const p = defaultParams();
  p.import.on_invalid = onInvalid;
  return p;
}

async function repo(name: string): Promise<Workspace> {
  return workspace(path.join(root, name, 'repo'));
}

async function listTree(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true }).catch(() => [] as string[])).map(String).sort();
}

describe('import refuses image paths that leave the images folder', () => {
  beforeAll(async () => {
    await writeFile(path.join(root, 'secret.txt'), 'root:x:0:0\n');
  });

  const cases: [string, (dir: string) => string, RegExp][] = [
    ['a relative path with ..', () => '../../secret.txt', /leaves the images folder/],
    ['a Windows-style relative path', () => '..\\..\\secret.txt', /leaves the images folder/],
    ['an absolute path', () => path.join(root, 'secret.txt'), /absolute path/],
    ['an https URL', () => 'https://example.org/a.jpg', /web address/],
    ['a file URL', () => 'file:///etc/passwd', /web address/],
  ];
  for (const [what, image, message] of cases) {
    it(`refuses ${what}, naming the metadata file and line, and changes nothing`, async () => {
      const name = `trav-${what.replace(/\W+/g, '-')}`;
      const { csv, images } = await exportWith(name, [
        ['A1', 'A1.jpg', 'coin', 'Coin'],
        ['A2', image(root), 'coin', 'Stolen'],
      ]);
      const ws = await repo(name);
      try {
        await importCollection({ ws, params: params('fail'), metadata: csv, images, log: memoryLogger() });
        expect.unreachable();
      } catch (error) {
        expect(isVitrineError(error, 'IMPORT_INVALID')).toBe(true);
        expect((error as Error).message).toContain('objects.csv:3');
        expect((error as Error).message).toMatch(message);
        expect((error as Error).message).toContain('nothing was changed');
      }
      expect(await listTree(ws.data)).toEqual([]);
    });
  }

  it('with on_invalid "skip", imports the other rows, never copies the outside file, and lists the refused row', async () => {
    const { csv, images } = await exportWith('trav-skip', [
      ['A1', 'A1.jpg', 'coin', 'Coin'],
      ['A2', '../../../secret.txt', 'coin', 'Stolen'],
    ]);
    const ws = await repo('trav-skip');
    const log = memoryLogger();
    const result = await importCollection({ ws, params: params('skip'), metadata: csv, images, log });
    expect(result.objects).toBe(1);
    expect(result.refused).toEqual([expect.objectContaining({ line: 3, object: 'A2' })]);
    expect(
      log.lines.some((l) => l.level === 'warn' && l.where?.line === 3 && /leaves the images folder/.test(l.message)),
    ).toBe(true);
    const copied = await Promise.all((await readdir(ws.images)).map((f) => readFile(path.join(ws.images, f), 'utf8')));
    expect(copied.join('')).not.toContain('root:x');
    expect((await readObjects({ file: ws.objects })).objects.map((o) => o.id)).toEqual(['A1']);
  });

  it('refuses a symlink inside the images folder that points outside it, and accepts one that stays inside', async () => {
    const { csv, images } = await exportWith('trav-link', [
      ['A1', 'A1.jpg', 'coin', 'Coin'],
      ['A2', 'link.jpg', 'coin', 'Link'],
      ['A3', 'inside.jpg', 'coin', 'Inside'],
    ]);
    await rm(path.join(images, 'link.jpg'));
    await rm(path.join(images, 'inside.jpg'));
    await symlink(path.join(root, 'secret.txt'), path.join(images, 'link.jpg'));
    await symlink(path.join(images, 'A1.jpg'), path.join(images, 'inside.jpg'));
    const ws = await repo('trav-link');
    const result = await importCollection({ ws, params: params('skip'), metadata: csv, images, log: memoryLogger() });
    expect(result.refused.map((p) => [p.line, p.object])).toEqual([[3, 'A2']]);
    expect(result.refused[0]!.message).toMatch(/points outside the images folder/);
    expect(result.objects).toBe(2);
  });
});

describe('import never drops labels silently', () => {
  it('keeps every existing label when the export has no label column, and says so', async () => {
    const { csv, images } = await exportWith(
      'keep',
      [
        ['A1', 'A1.jpg', 'Coin'],
        ['A2', 'A2.jpg', 'Vase'],
      ],
      ['id', 'image', 'title'],
    );
    const ws = await repo('keep');
    await mkdir(ws.root, { recursive: true });
    const before = 'object_id,label\nA1,coin\nA2,vessel\nGONE-1,mask\n';
    await writeFile(ws.labels, before);
    const log = memoryLogger();
    const result = await importCollection({ ws, params: params(), metadata: csv, images, log });
    expect(await readFile(ws.labels, 'utf8')).toBe(before);
    expect(result.labels.kept).toBe(3);
    expect(log.lines.map((l) => l.message).join('\n')).toMatch(/no label column.*kept/);
    // A label for an object that is no longer exported is kept, and named.
    expect(log.lines.find((l) => l.level === 'warn' && l.message.includes('GONE-1'))).toBeDefined();
  });

  it("adds the export's labels for unlabelled objects and keeps the existing label when they differ, naming the object", async () => {
    const { csv, images } = await exportWith('merge', [
      ['A1', 'A1.jpg', 'print', 'Coin'],
      ['A2', 'A2.jpg', 'vessel', 'Vase'],
      ['A3', 'A3.jpg', 'mask', 'Mask'],
    ]);
    const ws = await repo('merge');
    await mkdir(ws.root, { recursive: true });
    await writeFile(ws.labels, 'object_id,label\nA1,coin\nA2,vessel\n');
    const log = memoryLogger();
    const result = await importCollection({ ws, params: params(), metadata: csv, images, log });
    expect((await readLabels({ file: ws.labels })).map((l) => `${l.objectId}=${l.label}`)).toEqual([
      'A1=coin',
      'A2=vessel',
      'A3=mask',
    ]);
    expect(result.labels.conflicts).toEqual([{ objectId: 'A1', kept: 'coin', exported: 'print', line: 2 }]);
    const warning = log.lines.find((l) => l.level === 'warn' && l.message.includes('"A1"'));
    expect(warning?.message).toMatch(/keeps "coin".*"print".*--labels replace/);
  });

  it("replaces the labels with the export's only when asked (--labels replace), listing what changed", async () => {
    const { csv, images } = await exportWith('replace', [
      ['A1', 'A1.jpg', 'print', 'Coin'],
      ['A2', 'A2.jpg', '', 'Vase'],
    ]);
    const ws = await repo('replace');
    await mkdir(ws.root, { recursive: true });
    await writeFile(ws.labels, 'object_id,label\nA1,coin\nA2,vessel\n');
    const log = memoryLogger();
    const result = await importCollection({ ws, params: params(), metadata: csv, images, labels: 'replace', log });
    expect(await readFile(ws.labels, 'utf8')).toBe('object_id,label\nA1,print\n');
    expect(result.labels).toMatchObject({ changed: ['A1'], removed: ['A2'] });
    expect(log.lines.map((l) => l.message).join('\n')).toMatch(/A2/);
  });

  it('says only what --labels replace did: labels removed, none changed, is not "0 labels changed … ()"', async () => {
    const { csv, images } = await exportWith('replace-removed', [['A1', 'A1.jpg', 'coin', 'Coin']]);
    const ws = await repo('replace-removed');
    await mkdir(ws.root, { recursive: true });
    await writeFile(ws.labels, 'object_id,label\nA1,coin\nA2,vessel\n');
    const log = memoryLogger();
    await importCollection({ ws, params: params(), metadata: csv, images, labels: 'replace', log });
    const warning = log.lines.map((l) => l.message).find((m) => m.startsWith('--labels replace'));
    // No git in this folder: labels.csv as it was is kept, and named (import-replace-uncommitted.test.ts).
    expect(warning).toMatch(/^--labels replace: 1 removed \(A2\)\. labels\.csv is not committed to git, so it is kept/);
  });
});

describe('re-importing an updated export', () => {
  it('removes images of objects no longer exported when the data cache holds them, and keeps (and names) the others', async () => {
    const first = await exportWith('reimport', [
      ['A1', 'A1.jpg', 'coin', 'Coin'],
      ['A2', 'A2.jpg', 'coin', 'Coin'],
      ['A3', 'A3.jpg', 'coin', 'Coin'],
    ]);
    const ws = await repo('reimport');
    await importCollection({ ws, params: params(), metadata: first.csv, images: first.images, log: memoryLogger() });
    await addData({ root: ws.root, target: 'data', log: memoryLogger() });
    // A file staff put there by hand, never added to the data cache: import must not delete it.
    await writeFile(path.join(ws.images, 'by-hand.jpg'), JPEG);
    // A3's photograph is now another file, of another format: A3 has not left the collection (tester).
    await writeFile(
      path.join(first.images, 'A3.png'),
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1]),
    );
    await writeFile(
      first.csv,
      stringify([
        ['id', 'image', 'label', 'title'],
        ['A1', 'A1.jpg', 'coin', 'Coin'],
        ['A3', 'A3.png', 'coin', 'Coin'],
      ]),
    );
    const log = memoryLogger();
    const result = await importCollection({ ws, params: params(), metadata: first.csv, images: first.images, log });
    expect(result.removedImages).toEqual(['images/A2.jpg', 'images/A3.jpg']);
    expect(result.keptImages).toEqual(['images/by-hand.jpg']);
    expect((await readdir(ws.images)).sort()).toEqual(['A1.jpg', 'A3.png', 'by-hand.jpg']);
    const text = log.lines.map((l) => l.message).join('\n');
    expect(text).toContain(
      'Removed 2 images from data/ (1 whose object is no longer in the export: images/A2.jpg; 1 replaced by another ' +
        'file for the same object: images/A3.jpg).',
    );
    expect(text).toMatch(/by-hand\.jpg/);
  });

  it('leaves no temporary file in data/ and keeps the original image bytes', async () => {
    const { csv, images } = await exportWith('bytes', [['A1', 'A1.jpg', 'coin', 'Coin']]);
    const ws = await repo('bytes');
    await importCollection({ ws, params: params(), metadata: csv, images, log: memoryLogger() });
    // The table as the import wrote it is kept beside data/objects.csv (import-edits.ts), and the MD5 of each
    // photograph it stored (imported-photographs.ts), no other file.
    expect(await listTree(ws.data)).toEqual([
      '.imported-objects.csv',
      '.imported-photographs.json',
      'images',
      'images/A1.jpg',
      'objects.csv',
    ]);
    expect((await readFile(path.join(ws.images, 'A1.jpg'))).equals(await readFile(path.join(images, 'A1.jpg')))).toBe(
      true,
    );
  });

  it('gives two ids that make the same file name two different image files', async () => {
    const { csv, images } = await exportWith('collide', [
      ['E 1', 'A1.jpg', 'coin', 'One'],
      ['E_1', 'A2.jpg', 'coin', 'Two'],
    ]);
    await writeFile(path.join(images, 'A1.jpg'), Buffer.concat([JPEG, Buffer.from('one')]));
    await writeFile(path.join(images, 'A2.jpg'), Buffer.concat([JPEG, Buffer.from('two')]));
    const ws = await repo('collide');
    await importCollection({ ws, params: params(), metadata: csv, images, log: memoryLogger() });
    const { objects } = await readObjects({ file: ws.objects });
    const files = objects.map((o) => o.image);
    expect(new Set(files).size).toBe(2);
    const bytes = await Promise.all(objects.map((o) => readFile(path.join(ws.data, o.image))));
    expect(bytes.map((b) => b.subarray(JPEG.length).toString())).toEqual(['one', 'two']);
  });

  // Tester, session 22 #10: accents become "_" in file names (café-1 → caf_-1.jpg); the guard above covers them.
  it('gives ids that differ only in an accent (café-1, cafè-1) two different image files', async () => {
    const { csv, images } = await exportWith('accents', [
      ['café-1', 'A1.jpg', 'coin', 'One'],
      ['cafè-1', 'A2.jpg', 'coin', 'Two'],
    ]);
    await writeFile(path.join(images, 'A1.jpg'), Buffer.concat([JPEG, Buffer.from('one')]));
    await writeFile(path.join(images, 'A2.jpg'), Buffer.concat([JPEG, Buffer.from('two')]));
    const ws = await repo('accents');
    await importCollection({ ws, params: params(), metadata: csv, images, log: memoryLogger() });
    const { objects } = await readObjects({ file: ws.objects });
    expect(new Set(objects.map((o) => o.image)).size).toBe(2);
    const bytes = async (id: string) =>
      (await readFile(path.join(ws.data, objects.find((o) => o.id === id)!.image))).subarray(JPEG.length).toString();
    expect([await bytes('café-1'), await bytes('cafè-1')]).toEqual(['one', 'two']);
  });
});

/** The commands look for the repository (a folder with params.yaml) from where they start. */
const REPOSITORY =
  '# a Vitrine repository: its name and labels, the rest default\ncollection:\n  name: Test Museum\n' +
  '  vocabulary: [coin, figurine, mask, print, textile, vessel]\n';

describe('vitrine import (the command)', () => {
  it('exits 1 when rows were refused, with on_invalid "fail" (nothing changed) and "skip" (the rest imported)', async () => {
    const { main } = await import('../../pipeline/cli.ts');
    const { csv, images } = await exportWith('cli', [
      ['A1', 'A1.jpg', 'coin', 'Coin'],
      ['A2', '/etc/passwd', 'coin', 'Stolen'],
    ]);
    const ws = await repo('cli');
    await mkdir(ws.root, { recursive: true });
    await writeFile(ws.params, REPOSITORY);
    const run = async () => {
      const log = memoryLogger();
      const code = await main(['import', '--metadata', csv, '--images', images], {
        cwd: ws.root,
        env: {},
        stdout: () => {},
        log,
      });
      return { code, text: log.lines.map((l) => `${l.level}: ${l.message}`).join('\n') };
    };
    const failed = await run();
    expect(failed.code).toBe(1);
    expect(failed.text).toMatch(/error: 1 row of .*objects\.csv cannot be imported, so nothing was changed/);
    expect(await listTree(ws.data)).toEqual([]);
    await writeFile(ws.params, `${REPOSITORY}import:\n  on_invalid: skip\n`);
    const skipped = await run();
    expect(skipped.code).toBe(1);
    expect(skipped.text).toMatch(/error: 1 row was refused/);
    expect((await readObjects({ file: ws.objects })).objects.map((o) => o.id)).toEqual(['A1']);
  });

  it('prints what it imported as one JSON document with --json', async () => {
    const { main } = await import('../../pipeline/cli.ts');
    const { csv, images } = await exportWith('cli-json', [
      ['A1', 'A1.jpg', 'coin', 'Coin'],
      ['A2', 'A2.jpg', '', 'Bowl'],
    ]);
    const ws = await repo('cli-json');
    await mkdir(ws.root, { recursive: true });
    await writeFile(ws.params, REPOSITORY);
    let stdout = '';
    const code = await main(['import', '--json', '--metadata', csv, '--images', images], {
      cwd: ws.root,
      env: {},
      stdout: (t) => (stdout += t),
      log: memoryLogger(),
    });
    expect(code).toBe(0);
    const printed = JSON.parse(stdout) as { objects: number; labelled: number; data: { nfiles: number } };
    // Two images, data/objects.csv, .imported-objects.csv and .imported-photographs.json.
    expect(printed).toMatchObject({ objects: 2, labelled: 1, data: { nfiles: 5 } });
  });

  it('refuses an unknown --labels mode as a usage mistake', async () => {
    const { main } = await import('../../pipeline/cli.ts');
    const ws = await repo('cli-usage');
    await mkdir(ws.root, { recursive: true });
    await writeFile(ws.params, REPOSITORY);
    const log = memoryLogger();
    const code = await main(['import', '--metadata', 'x.csv', '--labels', 'overwrite'], {
      cwd: ws.root,
      env: {},
      stdout: () => {},
      log,
    });
    expect(code).not.toBe(0);
    expect(log.lines.map((l) => l.message).join('\n')).toContain('--labels is "merge" or "replace"');
  });
});

describe('import with the wrong images folder', () => {
  it('stops, changing nothing, when none of the named images is found', async () => {
    const { csv } = await exportWith('wrong-folder', [
      ['A1', 'A1.jpg', 'coin', 'Coin'],
      ['A2', 'A2.jpg', 'coin', 'Coin'],
    ]);
    const ws = await repo('wrong-folder');
    const elsewhere = path.join(root, 'wrong-folder', 'empty');
    await mkdir(elsewhere, { recursive: true });
    const error = await importCollection({
      ws,
      params: params(),
      metadata: csv,
      images: elsewhere,
      log: memoryLogger(),
    }).catch((e: unknown) => e);
    expect(isVitrineError(error, 'IMPORT_NO_IMAGES')).toBe(true);
    expect((error as Error).message).toContain('None of the 2 images');
    expect(await listTree(ws.data)).toEqual([]);
  });
});
