import { mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importCollection } from '../../pipeline/collection/import.ts';
import { readObjects } from '../../pipeline/collection/index.ts';
import { addData } from '../../pipeline/data/index.ts';
import { isVitrineError } from '../../pipeline/errors.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams, type Params } from '../../pipeline/params.ts';
import { type Workspace, workspace } from '../../pipeline/paths.ts';

/*
 * A review of `vitrine import` found it could copy the repository's own secrets into data/, leave
 * data/ half-written on failure, drop images and labels on re-import. Each case failed before its fix.
 */

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'vitrine-import-review-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0]);
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]);

function params(onInvalid: 'skip' | 'fail' = 'skip'): Params {
  const p = defaultParams();
  p.import.on_invalid = onInvalid;
  return p;
}

async function put(file: string, data: string | Buffer): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, data);
}

/** A repository whose export lives at its root (`--images .`), the way a museum may lay it out. */
async function repoWithExport(name: string, rows: string[][]): Promise<{ ws: Workspace; csv: string }> {
  const ws = workspace(path.join(root, name));
  const csv = path.join(ws.root, 'export.csv');
  await put(csv, stringify([['id', 'image', 'label', 'title'], ...rows]));
  return { ws, csv };
}

async function listTree(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true }).catch(() => [] as string[])).map(String).sort();
}

describe("import never copies the repository's own files or non-images", () => {
  it('refuses .git, .dvc, .vitrine, data/, node_modules, dot-files and non-image files, naming file:line', async () => {
    const { ws, csv } = await repoWithExport('secrets', [
      ['A1', 'photos/A1.jpg', 'coin', 'Coin'],
      ['S1', '.dvc/config.local', 'coin', 'Keys'],
      ['S2', '.git/config', 'coin', 'Git'],
      ['S3', '.vitrine/registry/x.png', 'coin', 'Work'],
      ['S4', 'data/images/old.jpg', 'coin', 'Target'],
      ['S5', 'node_modules/pkg/logo.png', 'coin', 'Module'],
      ['S6', 'photos/.hidden/B.jpg', 'coin', 'Hidden'],
      ['S7', 'notes.txt', 'coin', 'Text'],
      ['S8', 'photos/fake.jpg', 'coin', 'Not a JPEG'],
      ['A2', 'photos/A2.png', 'coin', 'PNG'],
    ]);
    await put(path.join(ws.root, 'photos', 'A1.jpg'), JPEG);
    await put(path.join(ws.root, 'photos', 'A2.png'), PNG);
    await put(path.join(ws.root, '.dvc', 'config.local'), '[\'remote "s"\']\n  secret_access_key = SECRET\n');
    await put(path.join(ws.root, '.git', 'config'), '[core]\n  SECRET\n');
    await put(path.join(ws.root, '.vitrine', 'registry', 'x.png'), PNG);
    await put(path.join(ws.root, 'data', 'images', 'old.jpg'), JPEG);
    await put(path.join(ws.root, 'node_modules', 'pkg', 'logo.png'), PNG);
    await put(path.join(ws.root, 'photos', '.hidden', 'B.jpg'), JPEG);
    await put(path.join(ws.root, 'notes.txt'), 'SECRET notes');
    await put(path.join(ws.root, 'photos', 'fake.jpg'), 'SECRET, not an image');
    const result = await importCollection({
      ws,
      params: params('skip'),
      metadata: csv,
      images: ws.root,
      log: memoryLogger(),
    });
    expect(result.refused.map((p) => [p.file, p.line, p.object])).toEqual(
      [3, 4, 5, 6, 7, 8].map((line, i) => ['export.csv', line, `S${i + 1}`]),
    );
    for (const p of result.refused) expect(p.message).toMatch(/repository's own|hidden|dot/);
    // A file that is not an image: under skip its object is imported without it, the file listed (a reviewer).
    const filesRefused = result.problems.filter((p) => p.imageRefused);
    expect(filesRefused.map((p) => [p.line, p.object])).toEqual([
      [9, 'S7'],
      [10, 'S8'],
    ]);
    for (const p of filesRefused) expect(p.message).toMatch(/not an image/);
    const { objects } = await readObjects({ file: ws.objects });
    expect(objects.map((o) => [o.id, o.image])).toEqual([
      ['A1', 'images/A1.jpg'],
      ['A2', 'images/A2.png'],
      ['S7', ''],
      ['S8', ''],
    ]);
    const copied = await Promise.all(
      (await readdir(ws.images)).map((f) => readFile(path.join(ws.images, f), 'latin1')),
    );
    expect(copied.join('')).not.toContain('SECRET');
  });

  it("refuses a link to the repository's own files and an empty image file", async () => {
    const { ws, csv } = await repoWithExport('own-link', [
      ['A1', 'photos/A1.jpg', 'coin', ''],
      ['L1', 'photos/link.png', 'coin', ''],
      ['E1', 'photos/empty.jpg', 'coin', ''],
    ]);
    await put(path.join(ws.root, 'photos', 'A1.jpg'), JPEG);
    await put(path.join(ws.root, '.vitrine', 'registry', 'card.png'), PNG);
    await symlink(path.join(ws.root, '.vitrine', 'registry', 'card.png'), path.join(ws.root, 'photos', 'link.png'));
    await put(path.join(ws.root, 'photos', 'empty.jpg'), '');
    const result = await importCollection({
      ws,
      params: params('skip'),
      metadata: csv,
      images: ws.root,
      log: memoryLogger(),
    });
    expect(result.refused.map((p) => [p.line, p.object])).toEqual([[3, 'L1']]);
    expect(result.refused[0]!.message).toMatch(/link to .*repository's own .vitrine\/ folder/);
    // An empty file: under skip its object is imported without it, the file listed (a reviewer).
    const filesRefused = result.problems.filter((p) => p.imageRefused);
    expect(filesRefused.map((p) => [p.line, p.object])).toEqual([[4, 'E1']]);
    expect(filesRefused[0]!.message).toMatch(/empty file/);
  });

  it('with on_invalid "fail" stops on a secret and writes nothing', async () => {
    const { ws, csv } = await repoWithExport('secrets-fail', [
      ['A1', 'A1.jpg', 'coin', 'Coin'],
      ['S1', '.dvc/config.local', '', ''],
    ]);
    await put(path.join(ws.root, 'A1.jpg'), JPEG);
    await put(path.join(ws.root, '.dvc', 'config.local'), 'SECRET');
    const error = await importCollection({
      ws,
      params: params('fail'),
      metadata: csv,
      images: ws.root,
      log: memoryLogger(),
    }).catch((e: unknown) => e);
    expect(isVitrineError(error, 'IMPORT_INVALID')).toBe(true);
    expect((error as Error).message).toContain('export.csv:3');
    expect(await listTree(ws.data)).toEqual([]);
  });
});

/** An export outside the repository: `images/<id>.jpg` for each row with an image. */
async function outsideExport(
  name: string,
  rows: string[][],
  header = ['id', 'image', 'label', 'title'],
): Promise<{ csv: string; images: string }> {
  const dir = path.join(root, name, 'export');
  const images = path.join(dir, 'images');
  await mkdir(images, { recursive: true });
  for (const row of rows) {
    const image = row[header.indexOf('image')];
    if (image) await writeFile(path.join(images, image), Buffer.concat([JPEG, Buffer.from(row[0]!)]));
  }
  const csv = path.join(dir, 'objects.csv');
  await writeFile(csv, stringify([header, ...rows]));
  return { csv, images };
}

/** Every file under a folder with its bytes, to show that a failed import changed nothing. */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    out[path.relative(dir, file)] = (await readFile(file)).toString('base64');
  }
  return out;
}

describe('import stores any id, and never leaves data/ half-written', () => {
  // Longer ids are refused (import-long-ids.test.ts): 200 bytes, the most an id may have.
  it('stores the image of a 200-character id under a file name of at most 255 bytes', async () => {
    const long = `1987.${'X'.repeat(195)}`;
    const { csv, images } = await outsideExport('long-id', [
      ['A1', 'A1.jpg', 'coin', ''],
      [long, 'long.jpg', 'coin', ''],
      ['A2', 'A2.jpg', 'coin', ''],
    ]);
    const ws = workspace(path.join(root, 'long-id', 'repo'));
    await importCollection({ ws, params: params('fail'), metadata: csv, images, log: memoryLogger() });
    const { objects } = await readObjects({ file: ws.objects });
    const object = objects.find((o) => o.id === long)!;
    expect(Buffer.byteLength(path.basename(object.image))).toBeLessThanOrEqual(255);
    expect((await readFile(path.join(ws.data, object.image))).subarray(JPEG.length).toString()).toBe(long);
    expect(objects.map((o) => o.id)).toEqual([long, 'A1', 'A2']);
  });

  it('refuses, naming the line, a row whose image could not be stored because the repository path is too long', async () => {
    let deep = path.join(root, 'deep');
    while (deep.length < 3900) deep = path.join(deep, 'd'.repeat(Math.min(250, 3900 - deep.length + 1)));
    const long = 'Y'.repeat(200);
    const { csv, images } = await outsideExport('deep-export', [
      ['A1', 'A1.jpg', 'coin', ''],
      [long, 'long.jpg', 'coin', ''],
    ]);
    const ws = workspace(deep);
    const result = await importCollection({ ws, params: params('skip'), metadata: csv, images, log: memoryLogger() });
    expect(result.refused.map((p) => [p.line, p.object])).toEqual([[3, long]]);
    expect(result.refused[0]!.message).toMatch(/too long/);
    expect((await readObjects({ file: ws.objects })).objects.map((o) => o.id)).toEqual(['A1']);
  });

  it('undoes every image it renamed into data/ when a later write fails: data/ and labels.csv stay as before', async () => {
    const first = await outsideExport('rollback', [
      ['A1', 'A1.jpg', 'coin', 'Old title'],
      ['B1', 'B1.jpg', 'vessel', 'B'],
    ]);
    const ws = workspace(path.join(root, 'rollback', 'repo'));
    await importCollection({ ws, params: params(), metadata: first.csv, images: first.images, log: memoryLogger() });
    // data/objects.csv replaced by a folder (a mistake by hand): writing the table fails after the images moved.
    await rm(ws.objects);
    await put(path.join(ws.objects, 'keep.txt'), 'by hand');
    const before = { data: await snapshot(ws.data), labels: await readFile(ws.labels, 'utf8') };
    await writeFile(path.join(first.images, 'A1.jpg'), Buffer.concat([JPEG, Buffer.from('new bytes')]));
    await writeFile(path.join(first.images, 'A0.jpg'), JPEG);
    await writeFile(
      first.csv,
      stringify([
        ['id', 'image', 'label', 'title'],
        ['A0', 'A0.jpg', 'mask', ''],
        ['A1', 'A1.jpg', 'coin', 'New'],
        ['B1', 'B1.jpg', 'vessel', 'B'],
        ['C1', '', 'print', ''],
      ]),
    );
    const error = await importCollection({
      ws,
      params: params(),
      metadata: first.csv,
      images: first.images,
      log: memoryLogger(),
    }).catch((e: unknown) => e);
    expect(isVitrineError(error, 'IMPORT_WRITE_FAILED')).toBe(true);
    expect((error as Error).message).toMatch(/nothing was changed/i);
    expect(await snapshot(ws.data)).toEqual(before.data);
    expect(await readFile(ws.labels, 'utf8')).toBe(before.labels);
    expect(await readdir(path.join(ws.work, 'tmp')).catch(() => [])).toEqual([]);
  });
});

describe('re-import keeps what is still exported', () => {
  it('keeps the image of an object still in the export when its image file is missing this time', async () => {
    const { csv, images } = await outsideExport('briefly-missing', [
      ['A1', 'A1.jpg', 'coin', ''],
      ['A2', 'A2.jpg', 'coin', ''],
    ]);
    const ws = workspace(path.join(root, 'briefly-missing', 'repo'));
    await importCollection({ ws, params: params(), metadata: csv, images, log: memoryLogger() });
    await addData({ root: ws.root, target: 'data', log: memoryLogger() });
    const kept = await readFile(path.join(ws.images, 'A2.jpg'));
    await rm(path.join(images, 'A2.jpg'));
    const log = memoryLogger();
    const result = await importCollection({ ws, params: params(), metadata: csv, images, log });
    expect(result.removedImages).toEqual([]);
    expect((await readFile(path.join(ws.images, 'A2.jpg'))).equals(kept)).toBe(true);
    const { objects } = await readObjects({ file: ws.objects });
    expect(objects.find((o) => o.id === 'A2')!.image).toBe('images/A2.jpg');
    expect(result.withoutImage).toBe(0);
    expect(log.lines.some((l) => l.level === 'warn' && l.where?.line === 3 && /keeps its image/.test(l.message))).toBe(
      true,
    );
  });

  it("never gives a kept image's file name to another object", async () => {
    const { csv, images } = await outsideExport('kept-name', [['E_1', 'E_1.jpg', 'coin', '']]);
    const ws = workspace(path.join(root, 'kept-name', 'repo'));
    await importCollection({ ws, params: params(), metadata: csv, images, log: memoryLogger() });
    await rm(path.join(images, 'E_1.jpg'));
    await writeFile(path.join(images, 'E 1.jpg'), Buffer.concat([JPEG, Buffer.from('other')]));
    await writeFile(
      csv,
      stringify([
        ['id', 'image', 'label', 'title'],
        ['E 1', 'E 1.jpg', 'coin', ''],
        ['E_1', 'E_1.jpg', 'coin', ''],
      ]),
    );
    await importCollection({ ws, params: params(), metadata: csv, images, log: memoryLogger() });
    const { objects } = await readObjects({ file: ws.objects });
    expect(objects.find((o) => o.id === 'E_1')!.image).toBe('images/E_1.jpg');
    expect(objects.find((o) => o.id === 'E 1')!.image).not.toBe('images/E_1.jpg');
    expect((await readFile(path.join(ws.images, 'E_1.jpg'))).subarray(JPEG.length).toString()).toBe('E_1');
  });
});

describe('--labels replace needs labels to replace with', () => {
  it('refuses replace when the export has no label column, changing nothing, and the command exits 1', async () => {
    const { csv, images } = await outsideExport('replace-none', [['A1', 'A1.jpg', 'Coin']], ['id', 'image', 'title']);
    const ws = workspace(path.join(root, 'replace-none', 'repo'));
    await put(ws.labels, 'object_id,label\nA1,coin\nB1,vessel\n');
    const error = await importCollection({
      ws,
      params: params(),
      metadata: csv,
      images,
      labels: 'replace',
      log: memoryLogger(),
    }).catch((e: unknown) => e);
    expect(isVitrineError(error, 'IMPORT_REPLACE_NO_LABELS')).toBe(true);
    expect((error as Error).message).toMatch(/no label column.*label/);
    expect(await readFile(ws.labels, 'utf8')).toBe('object_id,label\nA1,coin\nB1,vessel\n');
    expect(await listTree(ws.data)).toEqual([]);
    const { main } = await import('../../pipeline/cli.ts');
    const code = await main(['import', '--metadata', csv, '--images', images, '--labels', 'replace'], {
      cwd: ws.root,
      env: {},
      stdout: () => {},
      log: memoryLogger(),
    });
    expect(code).toBe(1);
    expect(await readFile(ws.labels, 'utf8')).toBe('object_id,label\nA1,coin\nB1,vessel\n');
  });
});

describe('re-import keeps labels.csv as staff wrote it', () => {
  it('keeps extra columns (a note) and Windows line ends when merging', async () => {
    const { csv, images } = await outsideExport('labels-extra', [
      ['A1', 'A1.jpg', 'coin', ''],
      ['A2', 'A2.jpg', 'mask', ''],
      ['B1', 'B1.jpg', 'vessel', ''],
    ]);
    const ws = workspace(path.join(root, 'labels-extra', 'repo'));
    await put(
      ws.labels,
      'object_id,label,note\r\nA1,coin,"checked by J.S., 2024"\r\nB1,,needs a look\r\nGONE,print,left\r\n',
    );
    await importCollection({ ws, params: params(), metadata: csv, images, log: memoryLogger() });
    expect(await readFile(ws.labels, 'utf8')).toBe(
      'object_id,label,note\r\nA1,coin,"checked by J.S., 2024"\r\nA2,mask,\r\nB1,vessel,needs a look\r\nGONE,print,left\r\n',
    );
  });

  it('leaves a labels.csv with extra columns and CRLF untouched when nothing changes', async () => {
    const { csv, images } = await outsideExport('labels-same', [['A1', 'A1.jpg', 'coin', '']]);
    const ws = workspace(path.join(root, 'labels-same', 'repo'));
    const before = 'object_id,label,note\r\nA1,coin,ok\r\n';
    await put(ws.labels, before);
    await importCollection({ ws, params: params(), metadata: csv, images, log: memoryLogger() });
    expect(await readFile(ws.labels, 'utf8')).toBe(before);
  });

  it('keeps the byte-order mark Excel writes: untouched when nothing changes, kept when a label is added', async () => {
    // An outside tester: a re-import of the same export left labels.csv modified, its only change the mark removed.
    const { csv, images } = await outsideExport('labels-bom', [
      ['A1', 'A1.jpg', 'coin', ''],
      ['A2', 'A2.jpg', 'mask', ''],
    ]);
    const ws = workspace(path.join(root, 'labels-bom', 'repo'));
    const before = '\uFEFFobject_id,label\r\nA1,coin\r\nA2,mask\r\n';
    await put(ws.labels, before);
    const written = (await stat(ws.labels)).ino;
    await importCollection({ ws, params: params(), metadata: csv, images, log: memoryLogger() });
    expect(await readFile(ws.labels, 'utf8')).toBe(before);
    // Not written again with the same bytes (a reviewer: a new file, a new time, at every import).
    expect((await stat(ws.labels)).ino).toBe(written);
    await put(ws.labels, '\uFEFFobject_id,label\r\nA1,coin\r\n');
    await importCollection({ ws, params: params(), metadata: csv, images, log: memoryLogger() });
    // Excel reads a UTF-8 file without it as another encoding: accented labels would come back garbled.
    expect(await readFile(ws.labels, 'utf8')).toBe(before);
  });

  it('with --labels replace, keeps the extra columns and the note of an object whose label is removed', async () => {
    const { csv, images } = await outsideExport('labels-replace', [
      ['A1', 'A1.jpg', 'print', ''],
      ['A2', 'A2.jpg', '', ''],
    ]);
    const ws = workspace(path.join(root, 'labels-replace', 'repo'));
    await put(ws.labels, 'object_id,label,note\nA1,coin,x\nA2,vessel,keep this note\nA3,mask,\n');
    await importCollection({ ws, params: params(), metadata: csv, images, labels: 'replace', log: memoryLogger() });
    expect(await readFile(ws.labels, 'utf8')).toBe('object_id,label,note\nA1,print,x\nA2,,keep this note\n');
  });
});

/*
 * Found while fixing duplicate columns: import.keep naming one of Vitrine's own columns ("title", say, an export
 * column kept beside the one mapped to the title) wrote data/objects.csv with two "title" columns, which read back
 * gave every object the kept column's text as its title. Failed before the fix.
 */
describe('import.keep naming one of Vitrine’s own columns', () => {
  it('is refused before anything is written, naming params.yaml and the column', async () => {
    const ws = workspace(path.join(root, 'keep-title'));
    const csv = path.join(ws.root, 'export.csv');
    await put(
      csv,
      stringify([
        ['id', 'image', 'Object Title', 'title'],
        ['A1', 'A1.jpg', 'Vase', 'inventory title'],
      ]),
    );
    await put(path.join(ws.root, 'A1.jpg'), JPEG);
    const p = params();
    p.import.columns.title = 'Object Title';
    p.import.keep = ['title'];
    const error = await importCollection({ ws, params: p, metadata: csv, images: ws.root, log: memoryLogger() }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isVitrineError(error, 'IMPORT_KEEP_COLUMN'), String(error)).toBe(true);
    expect((error as Error).message).toMatch(/^params\.yaml: import\.keep names "title", one of Vitrine's own columns/);
    expect(await listTree(ws.data)).toEqual([]);
  });

  it('a data/objects.csv an earlier version wrote that way says where the fix is', async () => {
    const ws = workspace(path.join(root, 'keep-old'));
    await put(
      ws.objects,
      'id,title,maker,date,department,medium,credit_line,rights,description,image,title\nA1,Vase,,,,,,,,,x\n',
    );
    const error = await readObjects({ file: ws.objects }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isVitrineError(error, 'CSV_COLUMNS'), String(error)).toBe(true);
    expect((error as Error).message).toMatch(/the header names the column "title" twice, columns 2 and 11/);
    expect((error as Error).message).toContain('if import.keep in params.yaml names "title", take it out');
  });

  it('the column already mapped to that field is kept once, and reads back as it was', async () => {
    const ws = workspace(path.join(root, 'keep-mapped'));
    const csv = path.join(ws.root, 'export.csv');
    await put(
      csv,
      stringify([
        ['id', 'image', 'title', 'url'],
        ['A1', 'A1.jpg', 'Vase', 'https://m.example/A1'],
      ]),
    );
    await put(path.join(ws.root, 'A1.jpg'), JPEG);
    const p = params();
    p.import.columns.title = 'title';
    p.import.keep = ['title', 'url'];
    await importCollection({ ws, params: p, metadata: csv, images: ws.root, log: memoryLogger() });
    const { objects } = await readObjects({ file: ws.objects });
    expect(objects[0]).toMatchObject({ id: 'A1', title: 'Vase', extra: { url: 'https://m.example/A1' } });
    expect(Object.keys(objects[0]!.extra)).toEqual(['url']);
  });
});
