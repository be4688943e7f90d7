import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { type ImportResult, importCollection } from '../../pipeline/collection/import.ts';
import { isVitrineError } from '../../pipeline/errors.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams, type Params } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';
import { tempDir } from '../fixtures/temp.ts';

/*
 * An accented id written two ways that look the same: composed ("é", NFC) or as a letter and an accent (NFD, as a
 * Mac writes file names and some of what it saves). To a museum it is one object. Import took the two forms as two
 * objects: an export holding both became two catalogue pages showing one id; a labels.csv line saved on a Mac was
 * "an object no longer in the collection" and the export's label was added on a second line; an export written the
 * other way round made new objects, their images renamed.
 */

const NFC = 'Caf\u00e9-1';
const NFD = 'Cafe\u0301-1';

function params(onInvalid: 'skip' | 'fail' = 'fail'): Params {
  const p = defaultParams();
  for (const field of ['maker', 'date', 'department', 'medium', 'credit_line', 'rights', 'description'] as const)
    p.import.columns[field] = '';
  p.import.on_invalid = onInvalid;
  return p;
}

/** An export of `rows` (id, label, title), each with a photograph of its own, in a new folder of `dir`. */
async function exportOf(dir: string, rows: [string, string, string][]) {
  const folder = path.join(dir, `export-${Math.random().toString(36).slice(2)}`);
  const images = path.join(folder, 'images');
  await mkdir(images, { recursive: true });
  for (const [i, [, , title]] of rows.entries()) {
    const colour = { r: 40 * i, g: 100, b: 200 };
    const png = await sharp({ create: { width: 32, height: 32, channels: 3, background: colour } })
      .png()
      .toBuffer();
    await writeFile(path.join(images, `${title}.png`), png);
  }
  const metadata = path.join(folder, 'objects.csv');
  const lines = rows.map(([id, label, title]) => `${id},${title}.png,${label},${title}`);
  await writeFile(metadata, ['id,image,label,title', ...lines, ''].join('\n'));
  return { metadata, images };
}

async function run(ws: ReturnType<typeof workspace>, from: { metadata: string; images: string }, onInvalid?: 'skip') {
  const log = memoryLogger();
  const result = await importCollection({ ws, params: params(onInvalid), ...from, log }).catch((e: unknown) => e);
  return { result, warnings: log.lines.filter((l) => l.level === 'warn').map((l) => l.message) };
}

describe('ids that differ only in how their accents are encoded', () => {
  it('on two rows of one export are one id written twice: refused, naming both lines', async () => {
    const dir = await tempDir('vitrine-accent-ids-');
    const ws = workspace(path.join(dir, 'repo'));
    const from = await exportOf(dir, [
      [NFC, 'coin', 'one'],
      [NFD, 'coin', 'two'],
      ['X-2', 'mask', 'three'],
    ]);
    const { result } = await run(ws, from);
    expect(isVitrineError(result, 'IMPORT_INVALID')).toBe(true);
    expect((result as Error).message).toContain(
      `objects.csv:3: object "${NFC}" appears again (first on line 2, its accents encoded another way, which looks ` +
        'the same: one id)',
    );
    const skipped = (await run(ws, from, 'skip')).result as ImportResult;
    expect(skipped.objects).toBe(2);
    expect((await readFile(ws.labels, 'utf8')).split('\n').filter((l) => l.startsWith('Caf'))).toHaveLength(1);
  });

  it('in Korean, composed syllables or separate jamo, are refused as its letters (not accents) encoded another way', async () => {
    const dir = await tempDir('vitrine-hangul-ids-');
    const ws = workspace(path.join(dir, 'repo'));
    const korean = '\uc720\ubb3c-1';
    const from = await exportOf(dir, [
      [korean, 'coin', 'one'],
      [korean.normalize('NFD'), 'coin', 'two'],
      ['X-2', 'mask', 'three'],
    ]);
    const { result } = await run(ws, from);
    expect(isVitrineError(result, 'IMPORT_INVALID')).toBe(true);
    expect((result as Error).message).toContain(
      `objects.csv:3: object "${korean}" appears again (first on line 2, its letters encoded another way (as a Mac ` +
        'saves them), which looks the same: one id)',
    );
  });

  it('in labels.csv, rewritten to the object’s form, are said, not passed over as nothing changed', async () => {
    const dir = await tempDir('vitrine-accent-labels-');
    const ws = workspace(path.join(dir, 'repo'));
    const from = await exportOf(dir, [
      [NFC, 'coin', 'one'],
      ['X-2', 'mask', 'three'],
    ]);
    await run(ws, from);
    const labels = await readFile(ws.labels, 'utf8');
    await writeFile(ws.labels, `${labels.trimEnd()}\n${NFD},mask\n`);
    const log = memoryLogger();
    await importCollection({ ws, params: params(), ...from, log });
    const said = log.lines.map((l) => l.message).join('\n');
    // Named by its line, as every other message about a line of labels.csv is (an outside tester).
    expect(said).toContain(
      `labels.csv:4: "${NFC}" written with its accents encoded another way was rewritten as the collection has it`,
    );
    expect(said).not.toContain('Nothing changed since the last import');
    expect(said).toContain('No object changed since the last import');
    expect(await readFile(ws.labels, 'utf8')).toContain(`${NFC},mask`);
  });

  it('in several labels.csv lines, rewritten, are said with each line’s number', async () => {
    const dir = await tempDir('vitrine-accent-labels-');
    const ws = workspace(path.join(dir, 'repo'));
    const other = '\u00d6l-2';
    const from = await exportOf(dir, [
      [NFC, 'coin', 'one'],
      [other, 'mask', 'three'],
    ]);
    await run(ws, from);
    await writeFile(ws.labels, `object_id,label\n${NFD},coin\n${other.normalize('NFD')},mask\n`);
    const log = memoryLogger();
    await importCollection({ ws, params: params(), ...from, log });
    const said = log.lines.map((l) => l.message).join('\n');
    expect(said).toContain(
      `labels.csv lines 2 ("${NFC}") and 3 ("${other}"), their ids written with their accents encoded another way, ` +
        'were rewritten as the collection has them',
    );
  });

  it('are kept in one form: composed at a first import, then as data/objects.csv has them', async () => {
    const dir = await tempDir('vitrine-accent-ids-');
    const ws = workspace(path.join(dir, 'repo'));
    const first = await run(
      ws,
      await exportOf(dir, [
        [NFD, 'coin', 'one'],
        ['X-2', 'mask', 'three'],
      ]),
    );
    expect((first.result as ImportResult).objects).toBe(2);
    const table = await readFile(ws.objects, 'utf8');
    expect(table).toContain(`\n${NFC},`);
    expect(table).not.toContain(NFD);
    // The export written the other way round (NFC here, its image the same): the same object, nothing said.
    const again = await run(
      ws,
      await exportOf(dir, [
        [NFC, 'coin', 'one'],
        ['X-2', 'mask', 'three'],
      ]),
    );
    expect((again.result as ImportResult).objects).toBe(2);
    expect(again.warnings).toEqual([]);
    expect(await readFile(ws.objects, 'utf8')).toBe(table);
    expect(await readFile(ws.labels, 'utf8')).toBe(`object_id,label\n${NFC},coin\nX-2,mask\n`);
  });

  it('in a labels.csv line saved on a Mac name the object: its label is kept, not added again', async () => {
    const dir = await tempDir('vitrine-accent-ids-');
    const ws = workspace(path.join(dir, 'repo'));
    const from = await exportOf(dir, [
      [NFC, 'coin', 'one'],
      ['X-2', 'mask', 'three'],
    ]);
    await run(ws, from);
    // Staff corrected the label on a Mac, which saved the id decomposed.
    await writeFile(ws.labels, `object_id,label\n${NFD},mask\nX-2,mask\n`);
    const { result, warnings } = await run(ws, from);
    expect((result as ImportResult).objects).toBe(2);
    expect(warnings.join('\n')).not.toMatch(/no longer in the collection/);
    expect(warnings.join('\n')).toContain(`object "${NFC}": labels.csv keeps "mask"; the export says "coin"`);
    const lines = (await readFile(ws.labels, 'utf8')).split('\n');
    expect(lines.filter((l) => l.normalize('NFC').startsWith(NFC))).toEqual([`${NFC},mask`]);
  });

  it('both in data/objects.csv, from an import before: each export row keeps its own, the second is said', async () => {
    const dir = await tempDir('vitrine-accent-ids-');
    const ws = workspace(path.join(dir, 'repo'));
    const from = await exportOf(dir, [
      [NFC, 'coin', 'one'],
      [NFD, 'mask', 'two'],
      ['X-2', 'mask', 'three'],
    ]);
    await run(ws, await exportOf(dir, [[NFC, 'coin', 'one']]));
    // As an import that took the two forms for two objects left it: the decomposed one first, as ids sort.
    const table = await readFile(ws.objects, 'utf8');
    const [head, row] = table.split('\n');
    await writeFile(
      ws.objects,
      [head, row!.replace(NFC, NFD).replace(',one,', ',two,').replace('Caf_', 'Cafe_'), row, ''].join('\n'),
    );
    await writeFile(path.join(ws.images, 'Cafe_-1.png'), await readFile(path.join(from.images, 'two.png')));
    const { result, warnings } = await run(ws, from, 'skip');
    const { changes } = result as ImportResult;
    // The composed row was its own object's, the same as before: not given the other's record and photograph.
    expect(changes.removed).toEqual([]);
    expect(changes.newPhotographs).toEqual([]);
    expect(changes.details).toEqual([]);
    expect(warnings.join('\n')).toContain(
      `object "${NFC}" appears again (first on line 2, its accents encoded another way, which looks the same: one id)`,
    );
  });
});
