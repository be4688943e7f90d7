import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { importCollection } from '../../pipeline/collection/import.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams, type Params } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';
import { tempDir } from '../fixtures/temp.ts';

/*
 * Outside tester (T6 F3): one row of an export labelled "Céramique" with its accent encoded as a Mac saves it (e and a
 * combining accent) was written so into labels.csv, beside 31 lines of "Céramique" composed. Every reader takes them
 * as one label (labelForm), but a spreadsheet's filter and a search in labels.csv on GitHub show two. A label import
 * adds to labels.csv is written composed (NFC), as a new id is; a line staff wrote is left as they wrote it.
 */

const COMPOSED = 'C\u00e9ramique';
const DECOMPOSED = 'Ce\u0301ramique';

function params(): Params {
  const p = defaultParams();
  for (const field of ['maker', 'date', 'department', 'medium', 'credit_line', 'rights', 'description'] as const)
    p.import.columns[field] = '';
  p.collection.vocabulary = [COMPOSED, 'Bijou'];
  return p;
}

async function exportOf(dir: string) {
  const images = path.join(dir, 'export', 'images');
  await mkdir(images, { recursive: true });
  for (const [i, name] of ['one', 'two', 'three'].entries()) {
    const png = sharp({ create: { width: 32, height: 32, channels: 3, background: { r: 90 * i, g: 9, b: 9 } } });
    await writeFile(path.join(images, `${name}.png`), await png.png().toBuffer());
  }
  const metadata = path.join(dir, 'export', 'objects.csv');
  const rows = [`A-1,one.png,${COMPOSED},one`, `A-2,two.png,${DECOMPOSED},two`, 'B-3,three.png,Bijou,three'];
  await writeFile(metadata, `id,image,label,title\n${rows.join('\n')}\n`);
  return { metadata, images };
}

describe('a label the export writes with its accents decomposed', () => {
  it('is added to labels.csv composed, as the vocabulary writes it', async () => {
    const dir = await tempDir('vitrine-label-composed-');
    const ws = workspace(path.join(dir, 'repo'));
    const from = await exportOf(dir);
    await importCollection({ ws, params: params(), ...from, log: memoryLogger() });
    const text = await readFile(ws.labels, 'utf8');
    expect(text).toContain(`A-2,${COMPOSED}\n`);
    expect(text).not.toContain(DECOMPOSED);
  });

  it('with --labels replace too; a line staff wrote decomposed, with the same label, stays as it is', async () => {
    const dir = await tempDir('vitrine-label-composed-');
    const ws = workspace(path.join(dir, 'repo'));
    const from = await exportOf(dir);
    await importCollection({ ws, params: params(), ...from, log: memoryLogger() });
    await writeFile(ws.labels, `object_id,label\nA-1,${DECOMPOSED}\nA-2,Bijou\n`);
    await importCollection({ ws, params: params(), ...from, log: memoryLogger(), labels: 'replace' });
    const text = await readFile(ws.labels, 'utf8');
    expect(text).toContain(`A-1,${DECOMPOSED}\n`);
    expect(text).toContain(`A-2,${COMPOSED}\n`);
    expect(text).toContain('B-3,Bijou\n');
  });
});
