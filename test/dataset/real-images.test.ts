import { copyFile, mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCsv, writeLabels, writeObjects } from '../../pipeline/collection/index.ts';
import { buildDataset } from '../../pipeline/dataset/build.ts';
import { prepareModelInput } from '../../pipeline/dataset/images.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';
import { removeTempDirs, tempDir } from './fixtures.ts';

/*
 * Slow-ish (a few seconds): ~40 real museum photographs from the shared Egyptian antiquities set,
 * copied into a temp dir, including every lot whose rows share image bytes (duplicate_image_of).
 */

const root = path.resolve(import.meta.dirname, '..', '..');
const source = path.resolve(root, '..', 'shared', 'datasets', 'egyptian-antiquities');

afterAll(removeTempDirs);

describe('dataset on real museum images (slow)', () => {
  it('builds a dataset where identical photographs share a split', async () => {
    const { rows } = parseCsv({
      text: await readFile(path.join(source, 'metadata.csv'), 'utf8'),
      file: 'metadata.csv',
    });
    const duplicateRows = rows.filter((r) => r.cells.duplicate_image_of);
    // Take a few duplicate groups whole (each row plus the row it duplicates), then fill up to ~40.
    const groupIds = new Set(duplicateRows.slice(0, 8).flatMap((r) => [r.cells.id!, r.cells.duplicate_image_of!]));
    const others = rows.filter((r) => !r.cells.duplicate_image_of && !groupIds.has(r.cells.id!));
    const picked = [...rows.filter((r) => groupIds.has(r.cells.id!)), ...others.filter((_, i) => i % 60 === 0)].slice(
      0,
      42,
    );
    expect(picked.length).toBeGreaterThanOrEqual(35);

    const ws = workspace(await tempDir());
    await mkdir(ws.images, { recursive: true });
    for (const r of picked) await copyFile(path.join(source, r.cells.file!), path.join(ws.images, `${r.cells.id}.jpg`));
    const objectOf = (r: (typeof rows)[number]) => ({
      id: r.cells.id!,
      title: r.cells.title!,
      maker: '',
      date: r.cells.date!,
      department: '',
      medium: r.cells.medium!,
      creditLine: r.cells.museum!,
      rights: r.cells.license!,
      description: '',
      image: `images/${r.cells.id}.jpg`,
      extra: { museum: r.cells.museum! },
    });
    await writeObjects({ file: ws.objects, objects: picked.map(objectOf) });
    await writeLabels({
      file: ws.labels,
      labels: picked.map((r) => ({ objectId: r.cells.id!, label: r.cells.label! })),
    });
    const params = defaultParams();
    params.collection.vocabulary = ['Jewellery', 'Pottery', 'Reliefs', 'Statuary', 'Unclassified'];

    const dataset = await buildDataset({ ws, params, log: memoryLogger() });
    expect(dataset.issues).toEqual([]);
    expect(dataset.counts.objects).toBe(picked.length);
    expect(dataset.counts.labelled).toBe(picked.length);

    const byId = new Map(dataset.objects.map((o) => [o.id, o]));
    const pickedIds = new Set(picked.map((r) => r.cells.id!));
    const pairs = duplicateRows.filter((r) => pickedIds.has(r.cells.id!) && pickedIds.has(r.cells.duplicate_image_of!));
    expect(pairs.length).toBeGreaterThanOrEqual(5);
    for (const r of pairs) {
      const a = byId.get(r.cells.id!)!;
      const b = byId.get(r.cells.duplicate_image_of!)!;
      expect(a.imageMd5).toBe(b.imageMd5);
      expect(a.split, `${a.id} and ${b.id} share an image`).toBe(b.split);
    }
    for (const o of dataset.objects) {
      expect([o.width, o.height]).toEqual([224, 224]);
      expect(o.colours.length).toBeGreaterThan(0);
      // The shared set's photographs are letterboxed with black bars: they are backdrop, not colour.
      expect(
        o.colours.some((c) => c.name === 'black' && c.share > 0.3),
        o.id,
      ).toBe(false);
      expect(o.thumbnails.length).toBeGreaterThan(0);
    }

    const input = await prepareModelInput({
      file: path.join(ws.images, `${picked[0]!.cells.id}.jpg`),
      size: 224,
      fit: 'letterbox',
    });
    expect(input.length).toBe(224 * 224 * 3);
  }, 60_000);

  it('leaves out the Met’s “CONSULT PRIMARY RECORD” card (9 objects, 4 labels), keeps a jar and its stick', async () => {
    const { rows } = parseCsv({
      text: await readFile(path.join(source, 'metadata.csv'), 'utf8'),
      file: 'metadata.csv',
    });
    // The card (one file under 9 ids, labelled Jewellery, Reliefs, Statuary and Unclassified: small-images.ts), the
    // kohl jar and its stick photographed together (Pottery, Unclassified), and a few others.
    const card = ['MET_543913', 'MET_543993', 'MET_544192', 'MET_544757', 'MET_544758', 'MET_544759', 'MET_544767'];
    const ids = new Set([...card, 'MET_544768', 'MET_546192', 'MET_546961', 'MET_546962']);
    const picked = [...rows.filter((r) => ids.has(r.cells.id!)), ...rows.filter((_, i) => i % 200 === 0)];
    const ws = workspace(await tempDir());
    await mkdir(ws.images, { recursive: true });
    for (const r of picked) await copyFile(path.join(source, r.cells.file!), path.join(ws.images, `${r.cells.id}.jpg`));
    await writeObjects({
      file: ws.objects,
      objects: picked.map((r) => ({
        id: r.cells.id!,
        title: r.cells.title!,
        maker: '',
        date: '',
        department: '',
        medium: '',
        creditLine: '',
        rights: '',
        description: '',
        image: `images/${r.cells.id}.jpg`,
        extra: {},
      })),
    });
    await writeLabels({
      file: ws.labels,
      labels: picked.map((r) => ({ objectId: r.cells.id!, label: r.cells.label! })),
    });
    const params = defaultParams();
    params.collection.vocabulary = ['Jewellery', 'Pottery', 'Reliefs', 'Statuary', 'Unclassified'];
    const dataset = await buildDataset({ ws, params, log: memoryLogger() });
    const left = dataset.issues.filter((i) => i.code === 'IMAGE_PLACEHOLDER').map((i) => i.object!);
    expect(left.sort()).toEqual([...card, 'MET_544768', 'MET_546192'].sort());
    expect(dataset.issues.filter((i) => i.code !== 'IMAGE_PLACEHOLDER')).toEqual([]);
    const byId = new Map(dataset.objects.map((o) => [o.id, o]));
    expect(byId.get('MET_546961')!.image).not.toBe('');
    expect(byId.get('MET_546962')!.image).not.toBe('');
    expect(dataset.counts.labelled).toBe(picked.length - 9);
  }, 60_000);
});
