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
 * A label in labels.csv written another way than the export’s, but one that prints the same (a no-break space
 * between its words, or its accents encoded as a Mac saves them) is the same label to every reader: params.yaml,
 * the dataset stage. Import said `labels.csv keeps "Pièce"; the export says "Pièce"`, a difference no one could see.
 */

function params(vocabulary: string[]): Params {
  const p = defaultParams();
  for (const field of ['maker', 'date', 'department', 'medium', 'credit_line', 'rights', 'description'] as const)
    p.import.columns[field] = '';
  p.collection.vocabulary = vocabulary;
  return p;
}

/** An export of objects A-1 (labelled `label`) and X-2 (mask), each with a photograph. */
async function exportOf(dir: string, label: string) {
  const images = path.join(dir, 'export', 'images');
  await mkdir(images, { recursive: true });
  for (const [i, name] of ['one', 'two'].entries()) {
    const png = sharp({ create: { width: 32, height: 32, channels: 3, background: { r: 90 * i, g: 9, b: 9 } } });
    await writeFile(path.join(images, `${name}.png`), await png.png().toBuffer());
  }
  const metadata = path.join(dir, 'export', 'objects.csv');
  await writeFile(metadata, `id,image,label,title\nA-1,one.png,${label},one\nX-2,two.png,mask,two\n`);
  return { metadata, images };
}

describe('a label in labels.csv that prints as the export’s', () => {
  for (const [what, written, exported] of [
    ['a no-break space between its words', 'Epoche:\u00a0Neu', 'Epoche: Neu'],
    ['its accents encoded as a Mac saves them', 'Pie\u0300ce', 'Pi\u00e8ce'],
  ] as const)
    it(`with ${what} is the same label: no difference said, none counted`, async () => {
      const dir = await tempDir('vitrine-label-forms-');
      const ws = workspace(path.join(dir, 'repo'));
      const from = await exportOf(dir, exported);
      const p = params([exported, 'mask']);
      await importCollection({ ws, params: p, ...from, log: memoryLogger() });
      await writeFile(ws.labels, `object_id,label\nA-1,${written}\nX-2,mask\n`);
      const log = memoryLogger();
      const merged = await importCollection({ ws, params: p, ...from, log });
      expect(merged.labels.conflicts).toEqual([]);
      expect(log.lines.filter((l) => l.level === 'warn').map((l) => l.message)).toEqual([]);
      // Replace: the label is the export’s already, so it is not counted as changed.
      const replaced = await importCollection({ ws, params: p, ...from, log: memoryLogger(), labels: 'replace' });
      expect(replaced.labels.changed).toEqual([]);
      // Nor rewritten: git shows no change to a line that reads the same.
      expect(await readFile(ws.labels, 'utf8')).toContain(`A-1,${written}\n`);
    });
});
