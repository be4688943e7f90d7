import { afterAll, describe, expect, it } from 'vitest';
import { buildDataset } from '../../pipeline/dataset/build.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { makeCollection, object, removeTempDirs, testParams } from './fixtures.ts';

/*
 * Tester T12 (a photo archive): 80 pictures of four kinds, 19 labelled of each, ids PHA/0001 to PHA/0080. The split
 * goes by object number alone (so a label fix never moves an object between train and test), and it put 0 of 19
 * "Street scenes" and 0 of 19 "Documents" in the test split. The warning said "Label more", as if too few were
 * labelled. It now says the split fell so by chance, what about 1 in 5 would have given, and how many labelled
 * objects give the minimum on average when there are too few.
 */

afterAll(removeTempDirs);

const KINDS = ['Portraits', 'Street scenes', 'Documents', 'Maps'];
const ids = Array.from({ length: 80 }, (_, i) => `PHA/${String(i + 1).padStart(4, '0')}`);
// 20 of each kind in turn, the last of each unlabelled.
const labelOf = (i: number) => (i % 20 === 19 ? null : KINDS[Math.floor(i / 20)]!);

async function warnings(minTest: number): Promise<string[]> {
  const ws = await makeCollection({
    objects: ids.map((id, i) => object(id, `images/${i}.png`)),
    labels: ids.flatMap((id, i) => (labelOf(i) ? [{ objectId: id, label: labelOf(i)! }] : [])),
  });
  const log = memoryLogger();
  const params = testParams((p) => {
    p.collection.vocabulary = KINDS;
    p.dataset.min_test_per_class = minTest;
  });
  const dataset = await buildDataset({ ws, params, log, jobs: 1 });
  expect(KINDS.map((k) => dataset.counts.byLabel[k]!.test)).toEqual([3, 0, 0, 5]);
  return log.lines.filter((l) => l.level === 'warn').map((l) => l.message);
}

describe('a label with few test objects', () => {
  it('is said to be short by chance when its labelled objects would give the minimum on average', async () => {
    const warned = await warnings(3);
    expect(warned).toContain(
      'Only 0 of the 19 objects labelled "Street scenes" are in the test split, which takes about 1 in 5 objects ' +
        'by their object numbers (never by label, so a corrected label does not move an object): about 4 would be ' +
        'expected, and fewer fell there by chance. At least 3 are needed to say anything about this label ' +
        '(dataset.min_test_per_class), so its test scores are not to be relied on yet; each new labelled ' +
        '"Street scenes" object has the same 1 in 5 chance of adding to them.',
    );
    expect(warned.join('\n')).not.toMatch(/Portraits/);
  });

  it('says how many labelled objects give the minimum on average when there are too few', async () => {
    const warned = await warnings(5);
    expect(warned).toContain(
      'Only 3 of the 19 objects labelled "Portraits" are in the test split, which takes about 1 in 5 objects by ' +
        'their object numbers (never by label, so a corrected label does not move an object). At least 5 are ' +
        'needed to say anything about this label (dataset.min_test_per_class): about 25 labelled "Portraits" ' +
        'objects give that many on average, 6 more than now.',
    );
  });
});
