import fs from 'node:fs';
import { copyFile, readFile, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import git from 'isomorphic-git';
import { afterAll, describe, expect, it } from 'vitest';
import { lastImportFile } from '../../pipeline/collection/import-edits.ts';
import { writeLabels, writeObjects } from '../../pipeline/collection/index.ts';
import { addData } from '../../pipeline/data/index.ts';
import { buildDataset } from '../../pipeline/dataset/build.ts';
import { memoryLogger, silentLogger } from '../../pipeline/log.ts';
import { validateParams } from '../../pipeline/params.ts';
import { buildReport } from '../../pipeline/report/index.ts';
import { unusablePhotosSection } from '../../pipeline/report/photos.ts';
import type { UnusablePhoto } from '../../pipeline/report/types.ts';
import type { CollectionObject } from '../../pipeline/types.ts';
import { colourFor, makeCollection, object, pixelBombPng, removeTempDirs, solidImage } from '../dataset/fixtures.ts';
import { type ObjectSpec, VOCABULARY, versionedCollection, writeStageOutputs } from './fixture.ts';

/*
 * Tester #1 and #2: a pull request that damages photographs (a truncated JPEG, a PDF renamed .jpg, an empty file, one
 * over dataset.image.max_pixels) was reported as harmless, and a newly labelled object whose photograph was refused
 * was said to be learned from. A real collection in a git repository with data.dvc and its DVC cache: the base has
 * good photographs (one already broken), the head damages four and labels one of them.
 */

afterAll(removeTempDirs);

const PARAMS_YAML =
  `collection:\n  name: Test Museum\n  vocabulary: [${VOCABULARY.join(', ')}]\n` +
  'dataset:\n  image:\n    max_pixels: 5000\n';

const ids = Array.from({ length: 12 }, (_, i) => `DM-${String(i + 1).padStart(4, '0')}`);
const specs: ObjectSpec[] = ids.map((id, i) => ({
  id,
  title: id === 'DM-0002' ? 'Mask <b>|*loud*|</b>' : `Object ${id}`,
  label: VOCABULARY[i % VOCABULARY.length]!,
  split: (['train', 'validation', 'test'] as const)[i % 3]!,
}));
const jpegIds = new Set(['DM-0001', 'DM-0004']);
const objects: CollectionObject[] = specs.map((s) =>
  object(s.id, `images/${s.id}.${jpegIds.has(s.id) ? 'jpg' : 'png'}`, { title: s.title }),
);
// DM-0011 is unlabelled at the base; the pull request labels it and breaks its photograph.
const baseLabels = specs.filter((s) => s.id !== 'DM-0011').map((s) => ({ objectId: s.id, label: s.label }));
const headLabels = specs.map((s) => ({ objectId: s.id, label: s.label }));

async function collection({
  damage = true,
  added = [],
  addedLabels = [],
  refused = {},
}: {
  damage?: boolean;
  /** Objects whose photograph the pull request's import refused (data/.refused-images.json), image cell emptied. */
  refused?: Record<string, { image: string; reason: string }>;
  /** Objects the pull request adds to data/objects.csv (their photographs are not written). */
  added?: CollectionObject[];
  addedLabels?: { objectId: string; label: string }[];
} = {}) {
  const images: Record<string, Buffer> = {};
  for (const [i, o] of objects.entries())
    images[o.image] = await solidImage({ colour: colourFor(i), format: o.image.endsWith('.jpg') ? 'jpeg' : 'png' });
  // Broken before the pull request: a PDF saved under an image name.
  images['images/DM-0010.png'] = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n');
  const ws = await makeCollection({ objects, labels: baseLabels, images });
  const dir = ws.root;
  await writeFile(ws.params, PARAMS_YAML);
  const { commitAll, baseCommit } = await versionedCollection({ ws });
  await git.branch({ fs, dir, ref: 'new-photos', checkout: true });
  // The damage: a truncated JPEG, a PDF renamed .jpg, an empty file, a photograph over the pixel limit.
  if (damage) {
    const jpeg = await readFile(path.join(ws.images, 'DM-0001.jpg'));
    await writeFile(path.join(ws.images, 'DM-0001.jpg'), jpeg.subarray(0, Math.floor(jpeg.length / 3)));
    await writeFile(path.join(ws.images, 'DM-0004.jpg'), Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj <<>> endobj\n%%EOF\n'));
    await truncate(path.join(ws.images, 'DM-0007.png'), 0);
    await writeFile(path.join(ws.images, 'DM-0011.png'), pixelBombPng({ width: 200, height: 200 }));
  }
  if (Object.keys(refused).length > 0) {
    const emptied = objects.map((o) => (refused[o.id] ? { ...o, image: '' } : o));
    await writeObjects({ file: ws.objects, objects: [...emptied, ...added] });
    await writeFile(path.join(ws.data, '.refused-images.json'), JSON.stringify(refused));
  } else if (added.length > 0) await writeObjects({ file: ws.objects, objects: [...objects, ...added] });
  await writeLabels({ file: ws.labels, labels: [...headLabels, ...addedLabels] });
  await addData({ root: dir, log: silentLogger });
  await commitAll('New photographs', 1);
  const params = validateParams({
    raw: { collection: { vocabulary: VOCABULARY }, dataset: { image: { max_pixels: 5000 } } },
  });
  const head = Object.fromEntries([...headLabels, ...addedLabels].map((l) => [l.objectId, l.label]));
  await writeStageOutputs({ ws, objects: specs, head, params });
  // The dataset stage's own dataset.json, over the fixture's.
  await buildDataset({ ws, params, log: silentLogger, jobs: 2 });
  return { ws, params, baseCommit };
}

describe('photographs a pull request makes unusable', () => {
  it('are named near the top with file, reason and what to do; the newly broken marked; report.json has them', async () => {
    const { ws, params, baseCommit } = await collection();
    const log = memoryLogger();
    const { markdown, json } = await buildReport({
      ws,
      params,
      base: baseCommit,
      log,
      now: new Date('2026-01-02T00:00:00Z'),
      predict: async () => [],
    });
    // The first line says it too, and gives no green tick over it.
    expect(markdown.split('\n')[0]).toBe(
      '⚠️ **Better: the labels and the photographs agree better.** The promotion gate passes. ⚠️ **This pull request makes 4 ' +
        'photographs unusable** (listed below).',
    );
    const section = markdown.indexOf('### Photographs that cannot be used');
    expect(section).toBeGreaterThan(0);
    // Near the top: before the gate and the label table, and not inside a collapsed block.
    expect(section).toBeLessThan(markdown.indexOf('### Promotion gate'));
    expect(markdown.slice(0, section).lastIndexOf('<details>')).toBe(-1);
    const body = markdown.slice(section, markdown.indexOf('### Promotion gate'));
    expect(body).toContain(
      "⚠️ **5 objects' photographs cannot be used: 4 because of this pull request, 1 already before it.**",
    );
    expect(body).toContain(
      'the model is trained without them and their pages in the public catalogue show no photograph',
    );
    // What to do covers a damaged file and a missing one.
    expect(body).toContain('in place of the damaged file or where a missing one should be');
    // This repository does not hold Vitrine (as one `vitrine init -C` made): a bare "npx vitrine" would fetch an
    // unknown package from npm there, so the command names the repository with -C (tester).
    expect(body).toContain(`\`npx vitrine -C path/to/${path.basename(ws.root)} data add\``);
    expect(markdown).not.toMatch(/npx vitrine (?!-C)/);
    // Where to type them, in words staff read (they could not tell what path/to/… was).
    expect(markdown).toContain(
      'To run the commands in this report that start with `npx vitrine -C`, type them in a terminal opened in the ' +
        `folder where Vitrine is installed, with \`path/to/${path.basename(ws.root)}\` replaced by where your copy ` +
        `of the ${path.basename(ws.root)} repository is on your computer`,
    );
    expect(body).toContain('data.dvc');
    const line = (id: string) => body.split('\n').find((l) => l.startsWith(`- ${id}`)) ?? '';
    expect(line('DM-0001')).toContain('`data/images/DM-0001.jpg`');
    expect(line('DM-0001')).toContain('cannot be opened as a photograph');
    // The decoder's own words follow; libvips words a cut-short JPEG either way ("premature end of JPEG" or
    // "corrupt header", by how far it read), so the test asks only that its words are there.
    expect(line('DM-0001')).toMatch(/\\\(the image reader said "[^"]{3,}"\\\)/);
    expect(line('DM-0004')).toContain('`data/images/DM-0004.jpg`');
    expect(line('DM-0007')).toContain('`data/images/DM-0007.png`');
    expect(line('DM-0011')).toContain(
      'too large \\(too many pixels, over the limit of 5,000 pixels set in params.yaml',
    );
    for (const id of ['DM-0001', 'DM-0004', 'DM-0007', 'DM-0011'])
      expect(line(id)).toContain('**new in this pull request**');
    expect(line('DM-0010')).not.toContain('new in this pull request');
    expect(line('DM-0010')).toContain('`data/images/DM-0010.png`');
    // The newly broken come first.
    expect(body.indexOf('- DM-0010')).toBeGreaterThan(body.indexOf('- DM-0011'));
    // Values from files are escaped: no raw HTML or table-breaking bar from the title.
    expect(body).not.toContain('<b>');
    expect(line('DM-0002')).toBe('');

    const photos = json.unusablePhotos!;
    expect(photos.comparedWithBase).toBe(true);
    expect(photos.objects.map((o) => [o.id, o.newInChange]).sort()).toEqual([
      ['DM-0001', true],
      ['DM-0004', true],
      ['DM-0007', true],
      ['DM-0010', false],
      ['DM-0011', true],
    ]);
    expect(photos.objects.find((o) => o.id === 'DM-0011')).toMatchObject({
      file: 'data/images/DM-0011.png',
      code: 'IMAGE_TOO_LARGE',
      labelled: true,
    });

    // Tester #2: DM-0011 (training split) is newly labelled, but its photograph was refused: nothing was learned.
    const change = json.labels.changes.find((c) => c.id === 'DM-0011')!;
    expect(change).toMatchObject({ kind: 'added', split: 'train' });
    expect(change.photoUnusable).toContain('too large');
    const row = markdown.split('\n').find((l) => l.includes('DM-0011 (line'))!;
    expect(row).not.toContain('the model learned from');
    expect(row).toContain(
      'newly labelled, but no model could learn from this label because its photograph cannot be used',
    );
    expect(row).toContain('the photograph is too large');
    // Tester #3: the table's count says how many of its labels no model could learn from.
    expect(markdown).toContain(
      '1 object newly labelled, 1 of these labels is on an object whose photograph cannot be used, so no model learned from it',
    );
  });

  it('are said to be broken before the pull request when it changes no photograph', async () => {
    const { ws, params, baseCommit } = await collection({ damage: false });
    const { json, markdown } = await buildReport({
      ws,
      params,
      base: baseCommit,
      log: silentLogger,
      predict: async () => [],
    });
    expect(json.unusablePhotos).toMatchObject({
      comparedWithBase: true,
      objects: [{ id: 'DM-0010', newInChange: false }],
    });
    expect(markdown).toContain(
      "⚠️ **1 object's photograph cannot be used, not because of this pull request (it was already unusable before it).**",
    );
    expect(markdown).not.toContain('new in this pull request');
    // Broken before it: the first line is not about them.
    expect(markdown.split('\n')[0]).toBe(
      '✅ **Better: the labels and the photographs agree better.** The promotion gate passes.',
    );
  });

  /*
   * Outside tester: a pull request adding an object with an empty image cell (and a label) and one whose image file
   * does not exist said "1 because of this pull request, 1 already before it": the object without a label line was not
   * marked new, though it is new, and the one with no photograph named was said to miss its file. An object added
   * before it is photographed is normal: it is not listed, and raises no ⚠️.
   */
  it('of objects new in this pull request are new; an object with no photograph named is not listed', async () => {
    const { ws, params, baseCommit } = await collection({
      damage: false,
      added: [object('DM-0013', '', { title: 'Unphotographed bowl' }), object('DM-0014', 'images/DM-0014.jpg')],
      addedLabels: [{ objectId: 'DM-0013', label: 'vessel' }],
    });
    const { json, markdown } = await buildReport({
      ws,
      params,
      base: baseCommit,
      log: silentLogger,
      predict: async () => [],
    });
    expect(json.unusablePhotos?.comparedWithBase).toBe(true);
    expect(json.unusablePhotos?.objects.map((o) => [o.id, o.file, o.newInChange])).toEqual([
      ['DM-0014', 'data/images/DM-0014.jpg', true],
      ['DM-0010', 'data/images/DM-0010.png', false],
    ]);
    const section = markdown.slice(markdown.indexOf('### Photographs that cannot be used'));
    expect(section).toContain(
      "⚠️ **2 objects' photographs cannot be used: 1 because of this pull request, 1 already before it.**",
    );
    expect(section.split('\n').find((l) => l.startsWith('- DM-0014'))).toContain('**new in this pull request**');
    expect(markdown).not.toContain('- DM-0013');
    expect(markdown).not.toContain('`data/objects.csv`');
    // Its label waits for a photograph: said so in its row, in plain words.
    const row = markdown.split('\n').find((l) => l.includes('DM-0013 (line'))!;
    expect(row).toContain('no photograph is named for it in data/objects.csv');
    expect(row).not.toContain('cannot be used');
  });

  /*
   * A reviewer: objects whose file import refused in this pull request were said to be "already unusable before it",
   * all with the same reason, no file named, and told to put a copy in the data folder (their image cell is empty).
   */
  it('refused by import in this pull request are new, with the export’s file, the real reason and import again', async () => {
    const { ws, params, baseCommit } = await collection({
      damage: false,
      refused: {
        'DM-0003': { image: 'scans/data/2019/X3.dng', reason: 'is a camera raw file: export it as a JPEG' },
      },
    });
    const { json, markdown } = await buildReport({
      ws,
      params,
      base: baseCommit,
      log: silentLogger,
      predict: async () => [],
    });
    const refused = json.unusablePhotos?.objects.find((o) => o.id === 'DM-0003');
    expect(refused?.newInChange).toBe(true);
    const section = markdown.slice(markdown.indexOf('### Photographs that cannot be used'));
    expect(section).toContain('1 because of this pull request, 1 already before it');
    const line = section.split('\n').find((l) => l.startsWith('- DM-0003')) ?? '';
    expect(line).toContain('`scans/data/2019/X3.dng`');
    expect(line).toContain('camera raw file: export it as a JPEG');
    expect(line).not.toMatch(/damaged, cut short/);
    expect(line).toContain('**new in this pull request**');
    expect(section).toMatch(/in the export under the name shown, run `npx vitrine[^`]* import` again/);
  });

  it('stored by the last import from the export are told to be fixed in the export, not the data folder', async () => {
    const { ws, params, baseCommit } = await collection();
    // The table the last import wrote names each object’s photograph as data/objects.csv does: import stored them.
    await copyFile(ws.objects, lastImportFile(ws));
    const { json, markdown } = await buildReport({
      ws,
      params,
      base: baseCommit,
      log: silentLogger,
      predict: async () => [],
    });
    const stored = json.unusablePhotos?.objects.filter((o) => o.fromExport).map((o) => o.id);
    expect(stored?.sort()).toEqual(['DM-0001', 'DM-0004', 'DM-0007', 'DM-0010', 'DM-0011']);
    const section = markdown.slice(markdown.indexOf('### Photographs that cannot be used'));
    expect(section).toContain('`data/images/DM-0001.jpg` (stored by import from the export)');
    expect(section).not.toContain('data add');
    expect(section).toMatch(/To fix: put a good copy[^.]* in the export in place of the file it came from/);
  });

  it('an object added without a photograph named raises no warning', async () => {
    const { ws, params, baseCommit } = await collection({
      damage: false,
      added: [object('DM-0013', '', { title: 'Unphotographed bowl' })],
      addedLabels: [{ objectId: 'DM-0013', label: 'vessel' }],
    });
    const { json, markdown } = await buildReport({
      ws,
      params,
      base: baseCommit,
      log: silentLogger,
      predict: async () => [],
    });
    expect(json.unusablePhotos?.objects.map((o) => o.id)).toEqual(['DM-0010']);
    expect(markdown.split('\n')[0]).toBe(
      '✅ **Better: the labels and the photographs agree better.** The promotion gate passes.',
    );
  });

  it('are not marked new when the base cannot be compared', async () => {
    const { ws, params } = await collection();
    const { json, markdown } = await buildReport({ ws, params, log: silentLogger, predict: async () => [] });
    expect(json.unusablePhotos?.comparedWithBase).toBe(false);
    expect(json.unusablePhotos?.objects.every((o) => o.newInChange === null)).toBe(true);
    expect(markdown).toContain("⚠️ **5 objects' photographs cannot be used.**");
    expect(markdown.split('\n')[0]).toContain(
      "The promotion gate passes. ⚠️ **5 objects' photographs cannot be used** (listed below).",
    );
    expect(markdown).not.toContain('new in this pull request');
  });
});

describe('the photographs section', () => {
  const photo = (i: number): UnusablePhoto => ({
    id: `X-${i}`,
    title: `Thing ${i}`,
    file: `data/images/X-${i}.jpg`,
    code: 'IMAGE_UNREADABLE',
    reason: 'the file cannot be opened as a photograph',
    labelled: true,
    newInChange: null,
  });

  it('shows 20 and counts the rest', () => {
    const md = unusablePhotosSection({
      photos: {
        objects: Array.from({ length: 25 }, (_, i) => photo(i)),
        comparedWithBase: false,
      },
    });
    expect(md.split('\n').filter((l) => l.startsWith('- X-'))).toHaveLength(20);
    expect(md).toContain("- …and 5 more (report.json in the run's files lists them all)");
  });

  /*
   * A reviewer: a photograph in data/ that import stored from the export as it was (a damaged JPEG an older import
   * took) was told to be replaced in the data folder, where the next import would put the export’s file back.
   */
  it('tells a photograph import stored from the export to be fixed in the export, not in the data folder', () => {
    const stored = { ...photo(1), fromExport: true as const };
    const md = unusablePhotosSection({ photos: { objects: [stored], comparedWithBase: false } });
    expect(md).toContain('- X-1 (Thing 1) `data/images/X-1.jpg` (stored by import from the export):');
    expect(md).not.toContain('data add');
    expect(md).toMatch(/To fix: put a good copy[^.]* in the export[^.]*, run `npx vitrine import` again/);
    // Import never copies a file it cannot use and keeps a good copy put in data/; a re-import under fail stops on
    // the export’s file. It said the copy would not last, as each import brought the export’s file again.
    expect(md).not.toMatch(/would not last|brings the export/);
    expect(md).toContain(
      'a good copy put in the data folder instead is kept, but until the export’s file is fixed, each import with ' +
        '`import.on_invalid: fail` stops on it',
    );
    const both = unusablePhotosSection({ photos: { objects: [stored, photo(2)], comparedWithBase: false } });
    expect(both).toContain('data add');
    expect(both).toMatch(/stored by import from the export \(so marked\)[^.]* in the export/);
  });

  /*
   * A reviewer: a photograph stored by import that is too large (over dataset.image.max_pixels) was told to be
   * replaced by “a good copy (a JPEG or PNG that opens)”: it opens fine.
   */
  it('tells a too large photograph stored by import to be made smaller, or the limit raised', () => {
    const large = {
      ...photo(3),
      fromExport: true as const,
      code: 'IMAGE_TOO_LARGE',
      reason: 'the photograph is larger than the pixel limit',
    };
    const md = unusablePhotosSection({ photos: { objects: [large], comparedWithBase: false } });
    expect(md).not.toContain('a JPEG or PNG that opens');
    expect(md).toMatch(/a smaller copy, within the pixel limit,[^.]* in the export/);
    expect(md).toContain('or raise `dataset.image.max_pixels`');
    const both = unusablePhotosSection({
      photos: {
        objects: [large, { ...photo(4), fromExport: true }],
        comparedWithBase: false,
      },
    });
    expect(both).toContain('a JPEG or PNG that opens');
    expect(both).toContain('a smaller copy, within the pixel limit');
  });

  it('says nothing when every photograph can be used', () => {
    expect(unusablePhotosSection({ photos: { objects: [], comparedWithBase: true } })).toBe('');
    expect(unusablePhotosSection({ photos: null })).toBe('');
  });
});
