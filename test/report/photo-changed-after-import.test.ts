import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCatalogueData, buildSite } from '../../pipeline/catalogue/index.ts';
import { importCollection } from '../../pipeline/collection/import.ts';
import { importedPhotographsFile, readImportedPhotographs } from '../../pipeline/collection/imported-photographs.ts';
import { buildDataset } from '../../pipeline/dataset/build.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams, type Params } from '../../pipeline/params.ts';
import { type Workspace, workspace } from '../../pipeline/paths.ts';
import { unusablePhotos, unusablePhotosSection } from '../../pipeline/report/photos.ts';

/*
 * Left over from a review: the advice for a photograph that cannot be used follows where its file came from. A
 * photograph import stored from the export, then damaged in data/ by hand (or by another program), was still said to
 * be "stored by import from the export", with the advice to fix it in the export and import again: the export's copy
 * is good, so there is nothing to fix there. Import now records the MD5 of each photograph it stores
 * (data/.imported-photographs.json); a file in data/ that no longer has those bytes was changed after import.
 */

let root: string;
let good: Buffer;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'vitrine-photo-changed-'));
  good = await sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 10, g: 80, b: 120 } } })
    .jpeg()
    .toBuffer();
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

function params(edit?: (p: Params) => void): Params {
  const p = defaultParams();
  p.collection.vocabulary = ['coin', 'mask'];
  p.dataset.thumbnails.widths = [32];
  p.dataset.min_test_per_class = 0;
  edit?.(p);
  return p;
}

/** The export of `name`: the import's options. */
const exportOf = (name: string) => ({
  metadata: path.join(root, name, 'objects.csv'),
  images: path.join(root, name, 'images'),
});

/** An export of two objects with good photographs, imported into a new repository. */
async function imported(name: string, p = params()): Promise<Workspace> {
  const dir = path.join(root, name);
  await mkdir(path.join(dir, 'images'), { recursive: true });
  await writeFile(path.join(dir, 'images', 'a.jpg'), good);
  // A2’s is smaller, under the lowered pixel limit of the last test (and 32 pixels or more a side: a photograph).
  await writeFile(path.join(dir, 'images', 'b.jpg'), await sharp(good).resize(40, 40).jpeg().toBuffer());
  await writeFile(
    path.join(dir, 'objects.csv'),
    stringify([
      ['id', 'image', 'label'],
      ['A1', 'a.jpg', 'coin'],
      ['A2', 'b.jpg', 'mask'],
    ]),
  );
  const ws = workspace(path.join(dir, 'repo'));
  await importCollection({ ws, params: p, ...exportOf(name), log: memoryLogger() });
  return ws;
}

/** The dataset stage, then the report's section and the catalogue's record of A1's photograph. */
async function judged(ws: Workspace, p: Params) {
  const dataset = await buildDataset({ ws, params: p, log: memoryLogger() });
  const photos = await unusablePhotos({ ws, dataset, base: null, maxPixels: p.dataset.image.max_pixels });
  const { catalogue } = await buildCatalogueData({ ws, params: p, log: memoryLogger() });
  return {
    report: photos!.objects.find((o) => o.id === 'A1')!,
    section: unusablePhotosSection({ photos: photos }),
    problem: catalogue.objects.find((o) => o.id === 'A1')!.photoProblem!,
  };
}

describe('a photograph import stored, damaged in the data folder by hand afterwards', () => {
  it('is not said to come from the export: it is said changed since import, with how to put it back', async () => {
    const ws = await imported('damaged');
    const file = path.join(ws.images, 'A1.jpg');
    const bytes = await readFile(file);
    await writeFile(file, bytes.subarray(0, Math.floor(bytes.length / 3)));
    const { report, section, problem } = await judged(ws, params());
    expect(report.code).toBe('IMAGE_UNREADABLE');
    expect(report.fromExport).toBeUndefined();
    expect(report.changedSinceImport).toBe(true);
    expect(section).not.toContain('stored by import from the export');
    expect(section).not.toMatch(/in the export in place of/);
    expect(section).toContain('(changed in the data folder after import)');
    expect(section).toMatch(/no longer what import stored from the export/);
    expect(section).toContain('`npx vitrine import`');
    // Importing again replaces what is in the data folder: said plainly, with what to do if the change was meant.
    expect(section).toMatch(/replaces the file in the data folder with the export’s/);
    expect(section).toMatch(/If the new photograph was meant[^.]*`npx vitrine data add`/);
    // The report is of a pull request, whose data.dvc records the change already: no checkout advice (a reviewer).
    expect(section).not.toContain('data checkout');
    expect(problem.fromExport).toBeUndefined();
    expect(problem.changedSinceImport).toBe(true);
  });

  it('taken away by hand is said changed since import too, not to be fixed in the export', async () => {
    const ws = await imported('removed');
    await rm(path.join(ws.images, 'A1.jpg'));
    const { report, section, problem } = await judged(ws, params());
    expect(report.fromExport).toBeUndefined();
    expect(section).not.toContain('stored by import from the export');
    expect(problem.fromExport).toBeUndefined();
  });
});

describe('the review queue’s part for staff, of a photograph damaged in the data folder after import', () => {
  it('says it was changed there, and to import again or check it out, not to fix the export', async () => {
    const ws = await imported('site');
    const file = path.join(ws.images, 'A1.jpg');
    await writeFile(file, (await readFile(file)).subarray(0, 100));
    await judged(ws, params());
    await buildSite({ ws, params: params(), log: memoryLogger() });
    const html = await readFile(path.join(ws.site, 'review/index.html'), 'utf8');
    const staff = (html.match(/<details class="staff"[\s\S]*?<\/details>/)?.[0] ?? '')
      .replace(/<[^>]+>/g, ' ')
      .replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)))
      .replace(/\s+/g, ' ');
    expect(staff).toMatch(/Each of these photographs was changed in the data folder after import/);
    expect(staff).toMatch(/data\/images\/A1\.jpg \(changed in the data folder after import/);
    expect(staff).toMatch(/import again to put it back/);
    expect(staff).toMatch(
      /If you have not yet run data add , deleting the changed file and running [^.]* data checkout /,
    );
    expect(staff).toMatch(/replaces the file in the data folder with the export's/);
    expect(staff).toMatch(/If the new photograph was meant[^.]* data add /);
    expect(staff).not.toMatch(/stored by import from the export|fix the file in the export|before the change is/);
  }, 300_000);
});

describe('the record of the photographs import stored', () => {
  it('holds the MD5 of each, and importing again puts a file damaged in the data folder back', async () => {
    const ws = await imported('again');
    const file = path.join(ws.images, 'A1.jpg');
    const record = await readImportedPhotographs({ ws });
    expect([...record!.keys()]).toEqual(['A1', 'A2']);
    // With the export's name of it, for a picture that cannot be used (tester T6 F10).
    const md5 = createHash('md5').update(good).digest('hex');
    expect(record!.get('A1')).toEqual({ image: 'images/A1.jpg', md5, exported: 'a.jpg' });
    await writeFile(file, Buffer.from('not a photograph'));
    await importCollection({ ws, params: params(), ...exportOf('again'), log: memoryLogger() });
    expect(await readFile(file)).toEqual(good);
    expect(await readImportedPhotographs({ ws })).toEqual(record);
    // Written whole by a rename from the import's folder outside data/: nothing else is left in data/.
    expect((await readdir(ws.data)).sort()).toEqual([
      '.imported-objects.csv',
      '.imported-photographs.json',
      'images',
      'objects.csv',
    ]);
  });

  it('damaged (not JSON): import warns, naming the file, and writes it again', async () => {
    const ws = await imported('damaged-record');
    const record = await readImportedPhotographs({ ws });
    await writeFile(importedPhotographsFile(ws), '{"A1": ');
    const log = memoryLogger();
    await importCollection({ ws, params: params(), ...exportOf('damaged-record'), log });
    const warned = log.lines.filter((l) => l.level === 'warn' && l.message.includes('imported-photographs'));
    expect(warned.map((l) => l.message)).toEqual([
      expect.stringMatching(/^data\/\.imported-photographs\.json cannot be read \(it is not valid JSON\)/),
    ]);
    expect(warned[0]!.where).toMatchObject({ file: 'data/.imported-photographs.json' });
    expect(await readImportedPhotographs({ ws })).toEqual(record);
  });

  it('leaves out an entry whose MD5 is not 32 lowercase hexadecimal digits', async () => {
    const ws = await imported('bad-md5');
    const record = (await readImportedPhotographs({ ws }))!;
    const a1 = record.get('A1')!;
    const text = JSON.stringify({ A1: { ...a1, md5: a1.md5.toUpperCase() }, A2: record.get('A2') });
    await writeFile(importedPhotographsFile(ws), text);
    expect([...(await readImportedPhotographs({ ws }))!.keys()]).toEqual(['A2']);
  });

  it('absent (a repository imported before it was kept): the path alone says the file came from the export', async () => {
    const ws = await imported('older');
    await rm(importedPhotographsFile(ws));
    const file = path.join(ws.images, 'A1.jpg');
    await writeFile(file, (await readFile(file)).subarray(0, 100));
    const { report, problem } = await judged(ws, params());
    expect(report.fromExport).toBe(true);
    expect(report.changedSinceImport).toBeUndefined();
    expect(problem.fromExport).toBe(true);
  });
});

describe('a photograph import stored, unchanged since, that cannot be used', () => {
  it('is still said to come from the export (its bytes are those import stored)', async () => {
    const ws = await imported('too-large');
    // The pixel limit lowered after import: the file import stored is too large now, as the export's is.
    const { report, section, problem } = await judged(
      ws,
      params((p) => {
        p.dataset.image.max_pixels = 2000;
      }),
    );
    expect(report.code).toBe('IMAGE_TOO_LARGE');
    expect(report.fromExport).toBe(true);
    expect(report.changedSinceImport).toBeUndefined();
    expect(section).toContain('(stored by import from the export’s `a.jpg`)');
    expect(problem.fromExport).toBe(true);
  });
});

describe('a photograph changed in the data folder on purpose, too large', () => {
  it('keeps the advice for its reason (a smaller copy, or a higher pixel limit) beside the changed wording', async () => {
    const ws = await imported('re-shot');
    const big = await sharp({ create: { width: 400, height: 300, channels: 3, background: { r: 200, g: 8, b: 9 } } })
      .jpeg()
      .toBuffer();
    await writeFile(path.join(ws.images, 'A1.jpg'), big);
    const { report, section } = await judged(
      ws,
      params((p) => {
        p.dataset.image.max_pixels = 50_000;
      }),
    );
    expect(report.code).toBe('IMAGE_TOO_LARGE');
    expect(report.changedSinceImport).toBe(true);
    expect(section).toMatch(
      /If the new photograph was meant, do not import again: put a smaller copy, within the pixel/,
    );
    expect(section).toContain('or raise `dataset.image.max_pixels` in params.yaml');
    expect(section).toMatch(/replaces the file in the data folder with the export’s/);
  });
});

describe('a photograph changed in the data folder that the export cannot put back', () => {
  // Importing again keeps the file in data/ when the export's is gone or refused: "import again" would loop.
  it('its file gone from the export: the data folder’s advice, not import again', async () => {
    const ws = await imported('gone');
    await writeFile(path.join(ws.images, 'A1.jpg'), Buffer.from('junk'));
    await rm(path.join(root, 'gone', 'images', 'a.jpg'));
    await importCollection({ ws, params: params(), ...exportOf('gone'), log: memoryLogger() });
    expect(await readFile(path.join(ws.images, 'A1.jpg'), 'utf8')).toBe('junk');
    const { report, section, problem } = await judged(ws, params());
    expect(report.changedSinceImport).toBeUndefined();
    expect(report.fromExport).toBeUndefined();
    expect(section).toMatch(/^To fix: put a good copy of each photograph in the data folder/m);
    expect(section).not.toContain('changed in the data folder after import');
    expect(problem.changedSinceImport).toBeUndefined();
    expect(problem.fromExport).toBeUndefined();
  });

  it('its file in the export refused (import.on_invalid: skip): the data folder’s advice too', async () => {
    const skip = params((p) => {
      p.import.on_invalid = 'skip';
    });
    const ws = await imported('refused', skip);
    await writeFile(path.join(ws.images, 'A1.jpg'), Buffer.from('junk'));
    await writeFile(path.join(root, 'refused', 'images', 'a.jpg'), Buffer.from('this is not a jpeg at all'));
    await importCollection({ ws, params: skip, ...exportOf('refused'), log: memoryLogger() });
    expect(await readFile(path.join(ws.images, 'A1.jpg'), 'utf8')).toBe('junk');
    const { report, section, problem } = await judged(ws, skip);
    expect(report.changedSinceImport).toBeUndefined();
    expect(report.fromExport).toBeUndefined();
    expect(section).toMatch(/^To fix: put a good copy of each photograph in the data folder/m);
    expect(problem.changedSinceImport).toBeUndefined();
  });
});
