import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importCollection } from '../../pipeline/collection/import.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';
import { colourFor, solidImage } from '../dataset/fixtures.ts';

/*
 * A re-import tester: a label staff corrected in labels.csv ("labels.csv keeps vessel; the export says coin") was
 * warned of at every monthly import, with no way to say it is meant. It is now warned of once: a later import whose
 * export and labels.csv still differ the same way says so in one line, and warns only of differences that are new.
 */

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'vitrine-conflicts-once-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function importOnce(dir: string, exportLabels: string[]) {
  const rows = exportLabels.map((label, i) => `A${i + 1},images/a${i + 1}.png,${label}`);
  await writeFile(path.join(dir, 'export.csv'), ['id,image,label', ...rows].join('\n'));
  const log = memoryLogger();
  await importCollection({
    ws: workspace(path.join(dir, 'repo')),
    params: defaultParams(),
    metadata: path.join(dir, 'export.csv'),
    images: dir,
    log,
  });
  return {
    warnings: log.lines.filter((l) => l.level === 'warn').map((l) => l.message),
    info: log.lines.filter((l) => l.level === 'info').map((l) => l.message),
  };
}

describe('a label staff corrected, which the export still has the old way', () => {
  it('is warned of at the import that first sees it, then said in one line while it stays the same', async () => {
    const dir = path.join(root, 'museum');
    await mkdir(path.join(dir, 'images'), { recursive: true });
    for (let i = 0; i < 3; i++)
      await writeFile(path.join(dir, 'images', `a${i + 1}.png`), await solidImage({ colour: colourFor(i) }));
    await importOnce(dir, ['coin', 'coin', 'vessel']);
    // Staff correct A1 in labels.csv; the export keeps saying coin.
    await writeFile(path.join(dir, 'repo', 'labels.csv'), 'object_id,label\nA1,vessel\nA2,coin\nA3,vessel\n');
    const first = await importOnce(dir, ['coin', 'coin', 'vessel']);
    expect(first.warnings.filter((w) => w.includes('the export says'))).toEqual([
      'object "A1": labels.csv keeps "vessel"; the export says "coin". Change it in labels.csv if the export is ' +
        'right, or import with --labels replace to take every label from the export.',
    ]);

    const again = await importOnce(dir, ['coin', 'coin', 'vessel']);
    expect(again.warnings.filter((w) => w.includes('the export says'))).toEqual([]);
    expect(again.info).toContain(
      '1 object keeps its label in labels.csv against the export’s, as at the last import (A1): said once, not ' +
        'again (import with --verbose to see each).',
    );

    // The export changes A2's label: that difference is new, and warned of; A1 stays in the one line.
    const changed = await importOnce(dir, ['coin', 'mask', 'vessel']);
    expect(changed.warnings.filter((w) => w.includes('the export says'))).toEqual([
      'object "A2": labels.csv keeps "coin"; the export says "mask". Change it in labels.csv if the export is ' +
        'right, or import with --labels replace to take every label from the export.',
    ]);
    expect(changed.info.some((l) => l.startsWith('1 object keeps its label in labels.csv'))).toBe(true);
  });
});
