import { mkdir, mkdtemp, readdir, readFile, rename, rm, stat, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importCollection } from '../../pipeline/collection/import.ts';
import { objectPath } from '../../pipeline/data/cache.ts';
import { hashFile } from '../../pipeline/data/hash.ts';
import { buildDataset } from '../../pipeline/dataset/build.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams, type Params } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';

/*
 * An outside tester imported an export whose a.jpg is a PNG (a photograph re-saved by an editing tool that kept
 * the name): import stored it in data/images/ as a .jpg, so the misleading name went on into data/, objects.csv,
 * the dataset and the catalogue. Import names each image after its object anyway (data/images/<id>.<ending>): the
 * ending is now that of the image's real format (A-1.png), and the import log says so, naming the export's file.
 * A second import of the same export changes nothing.
 */

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'vitrine-real-format-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const picture = (format: 'png' | 'jpeg' | 'tiff', r: number) =>
  sharp({ create: { width: 48, height: 40, channels: 3, background: { r, g: 90, b: 40 } } })
    .toFormat(format)
    .toBuffer();

function params(): Params {
  const p = defaultParams();
  p.import.columns = { ...p.import.columns, id: 'id', image: 'image', label: 'label', title: 'title' };
  for (const field of ['maker', 'date', 'department', 'medium', 'credit_line', 'rights', 'description'] as const)
    p.import.columns[field] = '';
  p.collection.vocabulary = ['coin', 'mask'];
  p.dataset.thumbnails.widths = [32];
  p.dataset.min_test_per_class = 0;
  return p;
}

/** Every file in a folder, with its size and modification time. */
async function listing(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    const info = await stat(file);
    out[path.relative(dir, file)] = `${info.size} ${info.mtimeMs}`;
  }
  return out;
}

// A JPEG Windows saved as .jfif was refused ("rename it to end in .jpg"): it is a JPEG, stored as one.
describe('a JPEG named .jfif', () => {
  it('is imported and stored under .jpg, its dataset stage reading it', async () => {
    const dir = path.join(root, 'jfif');
    await mkdir(path.join(dir, 'images'), { recursive: true });
    await writeFile(path.join(dir, 'images', 'web.jfif'), await picture('jpeg', 70));
    await writeFile(path.join(dir, 'images', 'other.jpg'), await picture('jpeg', 140));
    const csv = path.join(dir, 'export.csv');
    await writeFile(csv, 'id,image,label,title\nJ-1,images/web.jfif,coin,One\nJ-2,images/other.jpg,mask,Two\n');
    const ws = workspace(path.join(dir, 'repo'));
    const result = await importCollection({ ws, params: params(), metadata: csv, images: dir, log: memoryLogger() });
    expect(result.refused).toEqual([]);
    const objects = parse(await readFile(ws.objects, 'utf8'), { columns: true }) as { id: string; image: string }[];
    expect(objects.find((o) => o.id === 'J-1')!.image).toBe('images/J-1.jpg');
    const dataset = await buildDataset({ ws, params: params(), log: memoryLogger(), jobs: 1 });
    expect(dataset.issues).toEqual([]);
  }, 60_000);
});

/*
 * Collections systems and picture libraries often keep their files without an ending (EMu's multimedia, a DAMS's
 * numbered masters) or under a backup's (exiftool's .jpg_original); an export names them so. Such a JPEG was
 * refused ("rename it to end in .jpg"), one file at a time: the bytes say the format, and import renames the file
 * anyway. A camera raw file, whose first bytes are a TIFF's, is still refused by its name.
 */
describe('an image named in the export with no ending, or an ending that is no image format’s', () => {
  it('is imported under the ending of its real format, said in the log; a raw file is still refused', async () => {
    const dir = path.join(root, 'no-ending');
    await mkdir(path.join(dir, 'media'), { recursive: true });
    await writeFile(path.join(dir, 'media', '1000234'), await picture('jpeg', 30));
    await writeFile(path.join(dir, 'media', 'b.jpg_original'), await picture('png', 90));
    await writeFile(path.join(dir, 'media', 'c.001'), await picture('tiff', 150));
    await writeFile(path.join(dir, 'media', 'd.NEF'), await picture('tiff', 200));
    const csv = path.join(dir, 'export.csv');
    const rows = ['N-1,media/1000234', 'N-2,media/b.jpg_original', 'N-3,media/c.001', 'N-4,media/d.NEF'];
    await writeFile(csv, `id,image,label,title\n${rows.map((r, i) => `${r},coin,T${i}`).join('\n')}\n`);
    const ws = workspace(path.join(dir, 'repo'));
    const p = params();
    p.import.on_invalid = 'skip';
    const log = memoryLogger();
    const result = await importCollection({ ws, params: p, metadata: csv, images: dir, log });
    // Under skip the raw file's object is imported without it, the file listed (a reviewer: the object went).
    const filesRefused = result.problems.filter((r) => r.imageRefused);
    expect(filesRefused.map((r) => r.object)).toEqual(['N-4']);
    expect(filesRefused[0]!.message).toMatch(/camera raw file \(\.NEF\)/);
    const objects = parse(await readFile(ws.objects, 'utf8'), { columns: true }) as { id: string; image: string }[];
    expect(Object.fromEntries(objects.map((o) => [o.id, o.image]))).toEqual({
      'N-1': 'images/N-1.jpg',
      'N-2': 'images/N-2.png',
      'N-3': 'images/N-3.tif',
      'N-4': '',
    });
    const said = log.lines.map((l) => l.message).join('\n');
    expect(said).toContain(`"media/1000234" (${csv}:2, object N-1) is a JPEG image, stored as data/images/N-1.jpg;`);
    expect(said).toMatch(
      /3 images are stored under the ending of their real format, which their names do not end in: /,
    );
    const dataset = await buildDataset({ ws, params: p, log: memoryLogger(), jobs: 1 });
    // N-4, its raw file refused, is in the collection without a picture, as a photograph that cannot be used
    // (import’s record of what it refused), not as one never taken.
    expect(dataset.issues.map((i) => i.code)).toEqual(['IMAGE_UNREADABLE']);
    expect(dataset.issues[0]!.message).toMatch(/N-4.*refused by import.*camera raw file/);
  }, 60_000);
});

/**
 * A camera raw file's first bytes as most makers write them: a TIFF whose first page (IFD0) is a small preview,
 * `tags` (tag, LONG value) its entries, little-endian; `cr2` adds Canon's "CR" after the header.
 */
function rawLike(tags: [number, number][], { cr2 = false } = {}): Buffer {
  const ifd = Buffer.alloc(2 + tags.length * 12 + 4);
  ifd.writeUInt16LE(tags.length, 0);
  tags.forEach(([tag, value], i) => {
    ifd.writeUInt16LE(tag, 2 + i * 12);
    ifd.writeUInt16LE(4, 4 + i * 12);
    ifd.writeUInt32LE(1, 6 + i * 12);
    ifd.writeUInt32LE(value, 10 + i * 12);
  });
  const header = Buffer.from(cr2 ? 'II*\0\x10\0\0\0CR\x02\0\0\0\0\0' : 'II*\0\x08\0\0\0', 'latin1');
  return Buffer.concat([header, ifd, Buffer.alloc(64)]);
}

/** Import an export of one coin per image cell (R-0, R-1, …) from `dir`, invalid rows skipped. */
async function importSkipping({ dir, cells }: { dir: string; cells: string[] }) {
  const csv = path.join(dir, 'export.csv');
  await writeFile(csv, `id,image,label,title\n${cells.map((c, i) => `R-${i},${c},coin,T${i}`).join('\n')}\n`);
  const p = params();
  p.import.on_invalid = 'skip';
  return importCollection({
    ws: workspace(path.join(dir, 'repo')),
    params: p,
    metadata: csv,
    images: dir,
    log: memoryLogger(),
  });
}

/*
 * A reviewer: raw masters named with no ending, a backup's ending, or through a link named .dng were imported as
 * TIFFs once the ending no longer had to say the format; sharp reads a raw file's first page, its small preview,
 * so the object's photograph became a thumbnail, without a word. A raw file is told by its bytes too.
 */
describe('a camera raw file whose name does not say so', () => {
  it('is refused as a camera raw file, by its bytes or by the name the export gives it', async () => {
    const dir = path.join(root, 'raw-unnamed');
    await mkdir(path.join(dir, 'media'), { recursive: true });
    const files: [string, Buffer][] = [
      // A DNG: its first page a reduced-size preview (NewSubfileType 1), with the DNGVersion tag.
      [
        '1000234',
        rawLike([
          [254, 1],
          [256, 256],
          [50706, 0x01040000],
        ]),
      ],
      // A Nikon NEF's first page: a reduced-size preview; the raw picture is in a page further on.
      [
        '1000235.NEF_original',
        rawLike([
          [254, 1],
          [256, 160],
          [330, 400],
        ]),
      ],
      ['cr2master', rawLike([[256, 5184]], { cr2: true })],
    ];
    for (const [name, bytes] of files) await writeFile(path.join(dir, 'media', name), bytes);
    await writeFile(path.join(dir, 'media', 'plain.tif'), await picture('tiff', 90));
    await symlink('1000234', path.join(dir, 'media', 'raw-link.dng'));
    const cells = [...files.map(([name]) => `media/${name}`), 'media/raw-link.dng', 'media/plain.tif'];
    const result = await importSkipping({ dir, cells });
    const filesRefused = result.problems.filter((r) => r.imageRefused);
    expect(filesRefused.map((r) => r.object)).toEqual(['R-0', 'R-1', 'R-2', 'R-3']);
    for (const r of filesRefused) expect(r.message).toMatch(/is a camera raw file.*export it as JPEG or TIFF/);
    expect(filesRefused[3]!.message).toContain('camera raw file (.dng)');
    expect(result.objects).toBe(5);
  });

  // The first reviewer: raw formats that do not start as a TIFF (Fujifilm, Canon's newer CR3, Olympus, Panasonic)
  // were "not an image" when their name did not say raw, with no word of what to do.
  it('is told by the first bytes of raw formats that do not start as a TIFF', async () => {
    const dir = path.join(root, 'raw-other');
    await mkdir(path.join(dir, 'media'), { recursive: true });
    const cr3 = Buffer.alloc(24);
    cr3.writeUInt32BE(24, 0);
    cr3.write('ftypcrx \0\0\0\x01crx isom', 4, 'latin1');
    const files: [string, Buffer][] = [
      ['fuji', Buffer.from('FUJIFILMCCD-RAW 0201FF383501', 'latin1')],
      ['canon-new', cr3],
      ['olympus', Buffer.from('IIRO\x08\0\0\0', 'latin1')],
      ['panasonic', Buffer.from('IIU\0\x08\0\0\0', 'latin1')],
      // Panasonic's and Leica's own ending: the name says raw.
      ['P1000123.RAW', Buffer.from('IIU\0\x08\0\0\0', 'latin1')],
    ];
    for (const [name, bytes] of files)
      await writeFile(path.join(dir, 'media', name), Buffer.concat([bytes, Buffer.alloc(64)]));
    await writeFile(path.join(dir, 'media', 'plain.tif'), await picture('tiff', 90));
    const cells = [...files.map(([name]) => `media/${name}`), 'media/plain.tif'];
    const result = await importSkipping({ dir, cells });
    const filesRefused = result.problems.filter((r) => r.imageRefused);
    expect(filesRefused.map((r) => r.object)).toEqual(['R-0', 'R-1', 'R-2', 'R-3', 'R-4']);
    for (const r of filesRefused.slice(0, 4))
      expect(r.message).toMatch(/is a camera raw file \(told by its first bytes.*export it as JPEG or TIFF/);
    expect(filesRefused[4]!.message).toMatch(/is a camera raw file \(\.RAW\), which Vitrine cannot read/);
    expect(result.objects).toBe(6);
  });
});

/*
 * The second reviewer: an uncompressed TIFF whose first pixel reads "CR" (67, 82, …) was refused as Canon raw; a
 * BigTIFF (libvips writes them for large scans) was "not an image"; a 5-byte file starting as a TIFF stopped the
 * whole import. Every ordinary TIFF is imported; the short file is refused on its own row.
 */
describe('TIFF files import refused by mistake', () => {
  it('imports an uncompressed TIFF whatever its first pixel, and a BigTIFF; a cut-off TIFF stops only its own row', async () => {
    const dir = path.join(root, 'tiffs');
    await mkdir(path.join(dir, 'scans'), { recursive: true });
    const plain = (bigtiff: boolean) =>
      sharp({ create: { width: 60, height: 40, channels: 3, background: { r: 67, g: 82, b: 60 } } })
        .tiff({ compression: 'none', bigtiff })
        .toBuffer();
    await writeFile(path.join(dir, 'scans', 'first-pixel-cr.tif'), await plain(false));
    await writeFile(path.join(dir, 'scans', 'large.tif'), await plain(true));
    await writeFile(path.join(dir, 'scans', 'cut.tif'), Buffer.from('II*\0\x08', 'latin1'));
    const csv = path.join(dir, 'export.csv');
    const rows = ['T-1,scans/first-pixel-cr.tif', 'T-2,scans/large.tif', 'T-3,scans/cut.tif'];
    await writeFile(csv, `id,image,label,title\n${rows.map((r, i) => `${r},coin,T${i}`).join('\n')}\n`);
    const p = params();
    p.import.on_invalid = 'skip';
    const ws = workspace(path.join(dir, 'repo'));
    const result = await importCollection({ ws, params: p, metadata: csv, images: dir, log: memoryLogger() });
    // Taken by its first bytes as any image is; the dataset stage, which decodes it, names it on its own.
    expect(result.refused).toEqual([]);
    const dataset = await buildDataset({ ws, params: p, log: memoryLogger(), jobs: 1 });
    expect(dataset.issues.map((i) => i.object)).toEqual(['T-3']);
    expect(dataset.objects.filter((o) => o.width > 0).map((o) => o.id)).toEqual(['T-1', 'T-2']);
  }, 60_000);
});

// A reviewer: a link named a.jpg to a JPEG without an ending was said to be misnamed; an AVIF without an ending
// was stored as .heic.
describe('the ending an image is stored under', () => {
  it('goes by the name the export gives it, and an AVIF is stored as .avif', async () => {
    const dir = path.join(root, 'named-endings');
    await mkdir(path.join(dir, 'store'), { recursive: true });
    await writeFile(path.join(dir, 'store', 'blob1'), await picture('jpeg', 20));
    await symlink('store/blob1', path.join(dir, 'linked.jpg'));
    const avif = await sharp({ create: { width: 32, height: 32, channels: 3, background: '#346' } })
      .avif()
      .toBuffer();
    await writeFile(path.join(dir, 'store', 'av1'), avif);
    const csv = path.join(dir, 'export.csv');
    await writeFile(csv, 'id,image,label,title\nL-1,linked.jpg,coin,One\nL-2,store/av1,mask,Two\n');
    const ws = workspace(path.join(dir, 'repo'));
    const log = memoryLogger();
    const result = await importCollection({ ws, params: params(), metadata: csv, images: dir, log });
    expect(result.refused).toEqual([]);
    const objects = parse(await readFile(ws.objects, 'utf8'), { columns: true }) as { id: string; image: string }[];
    expect(Object.fromEntries(objects.map((o) => [o.id, o.image]))).toEqual({
      'L-1': 'images/L-1.jpg',
      'L-2': 'images/L-2.avif',
    });
    const said = log.lines.map((l) => l.message).join('\n');
    expect(said).toContain('1 image is stored under the ending of its real format, which its name does not end in: ');
    expect(said).toContain('"store/av1"');
    expect(said).not.toContain('"linked.jpg"');
  });
});

/*
 * A reviewer: an export that names each photograph by its number alone (media/2000001) beside files that carry an
 * ending (media/2000001.jpg), as collections systems export them, was refused whole: "None of the 2 images … Give
 * the folder … with --images", advice about the folder, which was right.
 */
describe('an image named without the ending its file has', () => {
  it('is the one file of that name with an image’s ending, said in the log; two such files are named', async () => {
    const dir = path.join(root, 'ending-left-out');
    await mkdir(path.join(dir, 'media'), { recursive: true });
    await writeFile(path.join(dir, 'media', '2000001.jpg'), await picture('jpeg', 40));
    await writeFile(path.join(dir, 'media', '2000002.TIF'), await picture('tiff', 80));
    await writeFile(path.join(dir, 'media', '2000003.jpg'), await picture('jpeg', 120));
    await writeFile(path.join(dir, 'media', '2000003.png'), await picture('png', 160));
    const csv = path.join(dir, 'export.csv');
    const rows = ['W-1,media/2000001,coin,One', 'W-2,media/2000002,mask,Two', 'W-3,media/2000003,coin,Three'];
    await writeFile(csv, `id,image,label,title\n${rows.join('\n')}\n`);
    const ws = workspace(path.join(dir, 'repo'));
    const log = memoryLogger();
    const p = params();
    p.import.on_invalid = 'skip';
    const result = await importCollection({ ws, params: p, metadata: csv, images: dir, log });
    const objects = parse(await readFile(ws.objects, 'utf8'), { columns: true }) as { id: string; image: string }[];
    expect(Object.fromEntries(objects.map((o) => [o.id, o.image]))).toEqual({
      'W-1': 'images/W-1.jpg',
      'W-2': 'images/W-2.tif',
      'W-3': '',
    });
    const said = log.lines.map((l) => l.message).join('\n');
    expect(said).toContain(
      '2 image names matched files whose names add an image’s ending, e.g. "media/2000001" is media/2000001.jpg, ' +
        '"media/2000002" is media/2000002.TIF: those files were used.',
    );
    expect(said).toContain(
      'several files have that name with an image’s ending (media/2000003.jpg, media/2000003.png): write the name ' +
        'of the right one, its ending included',
    );
    expect(result.objects).toBe(3);
    // Named by their rows, without the ending: not "named by no row".
    expect(said).not.toContain('named by no row');
  });
});

describe('an image whose name says another format than its bytes', () => {
  it('is stored under the ending of its real format, said in the log, and a second import changes nothing', async () => {
    const dir = path.join(root, 'export');
    await mkdir(path.join(dir, 'images'), { recursive: true });
    const files: [string, Buffer][] = [
      ['a.jpg', await picture('png', 10)],
      ['b.png', await picture('jpeg', 60)],
      ['c.jpg', await picture('jpeg', 110)],
      ['d.tiff', await picture('tiff', 160)],
      ['e.JPEG', await picture('jpeg', 210)],
      ['f.tif', await picture('png', 250)],
    ];
    for (const [name, bytes] of files) await writeFile(path.join(dir, 'images', name), bytes);
    const rows = files.map(([name], i) => `${'ABCDEF'[i]}-${i + 1},images/${name},${i % 2 ? 'mask' : 'coin'},T${i}`);
    const csv = path.join(dir, 'export.csv');
    await writeFile(csv, `id,image,label,title\n${rows.join('\n')}\n`);
    const ws = workspace(path.join(root, 'repo'));
    const run = async () => {
      const log = memoryLogger();
      const result = await importCollection({ ws, params: params(), metadata: csv, images: dir, log });
      return { result, said: log.lines.map((l) => `${l.level}: ${l.message}`).join('\n') };
    };

    const first = await run();
    expect(first.result.objects).toBe(6);
    const objects = await readFile(ws.objects, 'utf8');
    const table = parse(objects, { columns: true }) as { id: string; image: string }[];
    expect(table.map((o) => o.image)).toEqual([
      'images/A-1.png',
      'images/B-2.jpg',
      'images/C-3.jpg',
      'images/D-4.tiff',
      'images/E-5.jpeg',
      'images/F-6.png',
    ]);
    expect(await readdir(ws.images)).toEqual(['A-1.png', 'B-2.jpg', 'C-3.jpg', 'D-4.tiff', 'E-5.jpeg', 'F-6.png']);
    expect(await readFile(path.join(ws.images, 'A-1.png'))).toEqual(files[0]![1]);
    expect(first.said).toContain(
      'info: 3 images are stored under the ending of their real format, which their names do not end in: ' +
        `"images/a.jpg" (${csv}:2, object A-1) is a PNG image, stored as data/images/A-1.png; ` +
        `"images/b.png" (${csv}:3, object B-2) is a JPEG image, stored as data/images/B-2.jpg; ` +
        `"images/f.tif" (${csv}:7, object F-6) is a PNG image, stored as data/images/F-6.png.`,
    );

    // The dataset stage reads every image, each under its own format's ending.
    const dataset = await buildDataset({ ws, params: params(), log: memoryLogger(), jobs: 1 });
    expect(dataset.issues).toEqual([]);
    expect(dataset.objects.map((o) => [o.id, o.label])).toEqual([
      ['A-1', 'coin'],
      ['B-2', 'mask'],
      ['C-3', 'coin'],
      ['D-4', 'mask'],
      ['E-5', 'coin'],
      ['F-6', 'mask'],
    ]);

    const before = { objects, labels: await readFile(ws.labels, 'utf8'), images: await listing(ws.images) };
    const second = await run();
    expect(second.result.changes).toEqual({
      added: [],
      removed: [],
      newPhotographs: [],
      movedPhotographs: [],
      photographsPutBack: [],
      firstPhotographs: [],
      photographsTaken: [],
      details: [],
    });
    expect(await readFile(ws.objects, 'utf8')).toBe(before.objects);
    expect(await readFile(ws.labels, 'utf8')).toBe(before.labels);
    // Not one image copied again (objects.csv is written anew each time, with the same text).
    expect(await listing(ws.images)).toEqual(before.images);
    // Said once, when stored so: a reviewer saw the notice on every monthly import.
    expect(second.said).not.toContain('stored under the ending of their real format');
  }, 60_000);
});

describe('an image an earlier import stored under its misleading name', () => {
  it('is stored under its format’s ending by the next import, not counted as a new photograph', async () => {
    const dir = path.join(root, 'earlier');
    await mkdir(path.join(dir, 'images'), { recursive: true });
    const png = await picture('png', 30);
    await writeFile(path.join(dir, 'images', 'a.jpg'), png);
    await writeFile(path.join(dir, 'images', 'b.jpg'), await picture('jpeg', 90));
    const csv = path.join(dir, 'export.csv');
    await writeFile(csv, 'id,image,label,title\nA-1,images/a.jpg,coin,One\nB-2,images/b.jpg,mask,Two\n');
    const ws = workspace(path.join(dir, 'repo'));
    const run = async () => {
      const log = memoryLogger();
      const result = await importCollection({ ws, params: params(), metadata: csv, images: dir, log });
      return { result, said: log.lines.map((l) => `${l.level}: ${l.message}`).join('\n') };
    };
    await run();
    // As an import before this change left it: the PNG as A-1.jpg, named so in objects.csv.
    await rename(path.join(ws.images, 'A-1.png'), path.join(ws.images, 'A-1.jpg'));
    await writeFile(ws.objects, (await readFile(ws.objects, 'utf8')).replace('images/A-1.png', 'images/A-1.jpg'));
    const { result, said } = await run();
    expect(await readFile(path.join(ws.images, 'A-1.png'))).toEqual(png);
    expect(result.changes.newPhotographs).toEqual([]);
    // Said as a change of objects.csv (its image cell), not as "no object changed" (a reviewer).
    expect(result.changes.movedPhotographs).toEqual(['A-1']);
    expect(said).toContain(
      'Since the last import: 1 with the same photograph stored under the ending of its real format now, ' +
        'data/objects.csv naming it so (A-1).',
    );
    expect(said).not.toContain('No object changed');
    expect(said).toContain('"images/a.jpg"');
    expect(said).toContain('is a PNG image, stored as data/images/A-1.png.');
    // Without a data cache (no DVC here) the old file is kept and said; with one it is removed.
    expect([...result.removedImages, ...result.keptImages]).toEqual(['images/A-1.jpg']);

    // Once more from that state, the data cache holding the photograph: the old name is removed, and said as moved.
    await rm(path.join(ws.images, 'A-1.png'));
    await writeFile(path.join(ws.images, 'A-1.jpg'), png);
    await writeFile(ws.objects, (await readFile(ws.objects, 'utf8')).replace('images/A-1.png', 'images/A-1.jpg'));
    const cached = objectPath(
      path.join(ws.root, '.dvc', 'cache'),
      await hashFile({ file: path.join(ws.images, 'A-1.jpg') }),
    );
    await mkdir(path.dirname(cached), { recursive: true });
    await writeFile(cached, png);
    const third = await run();
    expect(third.result.removedImages).toEqual(['images/A-1.jpg']);
    expect(third.said).toContain(
      'Removed 1 image from data/ (1 stored again under the ending of its real format (the same photograph): ' +
        'images/A-1.jpg).',
    );
  }, 60_000);
});
