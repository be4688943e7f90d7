import { afterAll, describe, expect, it } from 'vitest';
import { buildDataset } from '../../pipeline/dataset/build.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { makeCollection, object, removeTempDirs, testParams } from './fixtures.ts';

/*
 * A tester (a gallery whose drawings, prints and textiles are too few to learn): every run printed one warning per
 * object with such a label (39 lines), "39 rows skipped", and the paragraph telling staff to "fix" labels that are
 * right. Those labels are said in one calm line; a label that is a slip for a vocabulary label keeps its warning, and
 * so does one used by one object (most likely a slip too).
 */

afterAll(removeTempDirs);

const rows: [string, string][] = [
  ...Array.from({ length: 26 }, (_, i): [string, string] => [`P${i + 1}`, 'Painting']),
  ...Array.from({ length: 25 }, (_, i): [string, string] => [`S${i + 1}`, 'Sculpture']),
  ...Array.from({ length: 4 }, (_, i): [string, string] => [`D${i + 1}`, 'Drawing']),
  ...Array.from({ length: 3 }, (_, i): [string, string] => [`R${i + 1}`, 'Print']),
  ['X1', 'Photograph'],
  ['X2', 'Paintng'],
];

describe('labels outside the vocabulary with too few objects to learn, at the dataset stage', () => {
  it('are said in one info line, not a warning per object; a slip keeps its own warning', async () => {
    const ws = await makeCollection({
      objects: rows.map(([id]) => object(id)),
      labels: rows.map(([objectId, label]) => ({ objectId, label })),
    });
    const log = memoryLogger();
    const params = testParams((p) => {
      p.collection.vocabulary = ['Painting', 'Sculpture'];
      p.dataset.min_test_per_class = 5;
    });
    const dataset = await buildDataset({ ws, params, log, jobs: 1 });
    const warnings = log.lines.filter((l) => l.level === 'warn').map((l) => l.message);
    const infos = log.lines.filter((l) => l.level === 'info').map((l) => l.message);
    expect(warnings.filter((w) => /"(Drawing|Print)" is not one of the labels/.test(w))).toEqual([]);
    expect(warnings.filter((w) => /"Photograph" is not one of the labels/.test(w))).toHaveLength(1);
    expect(
      warnings.filter((w) => /"Paintng" is not one of the labels.*Did you mean "Painting"\?/.test(w)),
    ).toHaveLength(1);
    expect(warnings.join('\n')).not.toMatch(/Drawing \(4\)|Print \(3\)/);
    expect(warnings.join('\n')).toMatch(/Photograph \(1\)/);
    expect(warnings).toContain('9 objects with a label the model does not learn (kept in the catalogue).');
    const kept = infos.filter((m) => m.startsWith('7 objects keep their labels in labels.csv and in the catalogue'));
    expect(kept).toHaveLength(1);
    expect(kept[0]).toContain('but the model does not learn these labels: Drawing (4), Print (3) have too few objects');
    // Still recorded, one issue per line, in dataset.json.
    expect(dataset.issues.filter((i) => i.code === 'LABEL_NOT_IN_VOCABULARY')).toHaveLength(9);
  });
});
