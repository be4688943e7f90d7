import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCatalogueData, buildSite } from '../../pipeline/catalogue/index.ts';
import type { Catalogue } from '../../pipeline/catalogue/schema.ts';
import { buildDataset } from '../../pipeline/dataset/build.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import type { Workspace } from '../../pipeline/paths.ts';
import type { Annotation } from '../../pipeline/types.ts';
import { makeCollection, object, removeTempDirs, solidImage, testParams } from '../dataset/fixtures.ts';

/*
 * Outside tester: a pull request broke three photographs (a truncated JPEG, a PDF saved as .jpg, an empty file). The
 * dataset stage kept the objects without a usable picture, and their pages said "No photograph yet." and "No review
 * needed", a branch preview showed the previous model's guess made from the photograph no longer there, and the review
 * queue did not list them. Here a real collection goes through the dataset stage, the catalogue data and the site.
 */

let ws: Workspace;
let catalogue: Catalogue;

const BROKEN = ['b-trunc', 'b-pdf', 'b-empty'];

beforeAll(async () => {
  const jpeg = await solidImage({ width: 200, height: 200, format: 'jpeg' });
  ws = await makeCollection({
    objects: [
      object('a1'),
      object('a2'),
      object('b-trunc', 'images/b-trunc.jpg'),
      object('b-pdf', 'images/b-pdf.jpg'),
      object('b-empty', 'images/b-empty.jpg'),
      object('c-none', ''),
      object('r-raw', ''),
    ],
    labels: [
      { objectId: 'a1', label: 'coin' },
      { objectId: 'a2', label: 'mask' },
      { objectId: 'b-trunc', label: 'coin' },
      { objectId: 'b-pdf', label: 'mask' },
    ],
    images: {
      'images/a1.png': await solidImage(),
      'images/a2.png': await solidImage({ colour: '#123456' }),
      'images/b-trunc.jpg': jpeg.subarray(0, Math.floor(jpeg.length / 3)),
      'images/b-pdf.jpg': Buffer.from(
        '%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n',
      ),
      'images/b-empty.jpg': Buffer.alloc(0),
    },
  });
  // A camera raw file import refused (import.on_invalid: skip), its export path holding a folder named data.
  await writeFile(
    path.join(ws.data, '.refused-images.json'),
    JSON.stringify({
      'r-raw': { image: 'scans/data/2019/R1.dng', reason: 'is a camera raw file (.dng): export it as JPEG' },
    }),
  );
  const params = testParams();
  await buildDataset({ ws, params, log: memoryLogger() });
  // The previous model's guesses, made when every photograph could be read (a branch preview keeps them).
  const annotations: Annotation[] = ['a1', 'a2', ...BROKEN, 'c-none'].map((id) => ({
    id,
    label: 'vessel',
    confidence: 0.95,
    top: [
      { label: 'vessel', p: 0.95 },
      { label: 'coin', p: 0.05 },
    ],
    modelVersion: 'v1.0.0',
    humanLabel: null,
    agrees: null,
  }));
  await mkdir(ws.registry, { recursive: true });
  await writeFile(path.join(ws.registry, 'annotations.json'), JSON.stringify(annotations));
  catalogue = (await buildCatalogueData({ ws, params, log: memoryLogger() })).catalogue;
  await buildSite({ ws, params, log: memoryLogger() });
}, 300_000);

afterAll(removeTempDirs);

const objectOf = (id: string) => catalogue.objects.find((o) => o.id === id)!;

/** A page's text, tags removed and spaces collapsed. */
async function pageText(file: string, part?: RegExp): Promise<string> {
  const html = await readFile(path.join(ws.site, file), 'utf8');
  return (part ? (html.match(part)?.[0] ?? '') : html)
    .replace(/<script[\s\S]*?<\/script>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)))
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}

const objectPage = (id: string, part?: RegExp) => pageText(`objects/${objectOf(id).slug}/index.html`, part);

describe('an object whose photograph cannot be used', () => {
  it('carries the file and a plain reason in the catalogue data, and needs review', () => {
    for (const id of BROKEN) {
      expect(objectOf(id)).toMatchObject({
        images: [],
        photoProblem: { file: `data/images/${id}.jpg`, reason: expect.any(String) },
        needsReview: true,
        reviewReason: 'photo-unusable',
      });
    }
    expect(objectOf('b-empty').photoProblem!.reason).toMatch(/empty/);
    expect(objectOf('b-trunc').photoProblem!.reason).toMatch(/damaged or not an image/);
    // No photograph named at all: nothing is broken, nothing to review.
    expect(objectOf('c-none')).toMatchObject({ photoProblem: null, needsReview: false, reviewReason: null });
    expect(objectOf('a1')).toMatchObject({ photoProblem: null });
    expect(catalogue.reviewQueue.slice(0, 4).sort()).toEqual([...BROKEN, 'r-raw'].sort());
  });

  it('shows no machine guess made from a photograph that is no longer there', () => {
    for (const id of [...BROKEN, 'c-none']) expect(objectOf(id).annotation).toBeNull();
    expect(objectOf('a1').annotation).toMatchObject({ label: 'vessel', modelVersion: 'v1.0.0' });
    expect(catalogue.counts.annotated).toBe(2);
  });

  it('says on its page that the file could not be used and shows once replaced, not "No photograph yet"', async () => {
    const figure = await objectPage('b-trunc', /<figure class="object-image"[\s\S]*?<\/figure>/);
    expect(figure).not.toContain('No photograph yet');
    expect(figure).toMatch(/photograph could not be used/i);
    expect(figure).toContain('damaged or not an image');
    expect(figure).toMatch(/show here once the file\s+is replaced/);
    const text = await objectPage('b-trunc');
    expect(text).not.toContain('No review needed');
    expect(text).toContain('Needs review');
    // The earlier guess is not shown as the model's answer.
    const type = await objectPage('b-trunc', /<section aria-labelledby="labels-h"[\s\S]*?<\/section>/);
    expect(type).not.toContain('vessel');
    expect(type).not.toMatch(/95%/);
    expect(await objectPage('b-empty', /<figure class="object-image"[\s\S]*?<\/figure>/)).toMatch(/empty/);
    // An object not photographed yet still says so.
    expect(await objectPage('c-none', /<figure class="object-image"[\s\S]*?<\/figure>/)).toContain(
      'No photograph yet.',
    );
    expect(await objectPage('c-none')).toContain('No review needed');
  });

  it('is listed in the review queue in its own group, with its file for staff', async () => {
    const text = await pageText('review/index.html', /<main[\s\S]*?<\/main>/);
    expect(text).toContain('Photograph cannot be used');
    // The files, and what to do, in the page's part for museum staff (the page is in the public menu).
    const staff = await pageText('review/index.html', /<details class="staff"[\s\S]*?<\/details>/);
    expect(staff).toMatch(/^For museum staff/);
    for (const id of BROKEN) expect(staff).toContain(`data/images/${id}.jpg`);
    expect(text).not.toContain('c-none');
    expect(text).toMatch(/4 photographs that cannot be used/);
    // What to do, without a command line that fails in a repository `vitrine init -C` made (tester).
    expect(staff).toContain("with Vitrine's data add command, run as the repository's README says");
    expect(text).not.toContain('npx vitrine');
  });

  /*
   * A reviewer: a file import refused (a camera raw) was said to be "damaged or not an image", and its export path
   * scans/data/2019/R1.dng was shown as data/2019/R1.dng "in the collection’s data folder", which does not exist.
   */
  it('refused by import: says its kind in plain words and the export’s file, on its page and in the queue', async () => {
    expect(objectOf('r-raw').photoProblem).toEqual({
      file: null,
      exportFile: 'scans/data/2019/R1.dng',
      reason: 'the file is in a format that cannot be shown (it needs exporting as JPEG)',
    });
    const figure = await objectPage('r-raw', /<figure class="object-image"[\s\S]*?<\/figure>/);
    expect(figure).toContain('format that cannot be shown');
    expect(figure).not.toContain('damaged or not an image');
    expect(figure).toContain('scans/data/2019/R1.dng');
    expect(figure).not.toMatch(/data\/2019\/R1\.dng in the collection's data folder/);
    expect(figure).toMatch(/in the export under that name, then import again/);
    const staff = await pageText('review/index.html', /<details class="staff"[\s\S]*?<\/details>/);
    expect(staff).toMatch(/scans\/data\/2019\/R1\.dng in the export, refused by import/);
    // Both kinds here: each general advice, said of its own files (test/site/review-refused-advice.test.ts).
    expect(staff).toMatch(/A photograph said below to come from the export: fix the file in the export/);
    expect(staff).toMatch(/Any other photograph that cannot be used: put a good copy of it in the collection's data/);
  });
});
