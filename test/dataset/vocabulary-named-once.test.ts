import { afterAll, describe, expect, it } from 'vitest';
import { buildDataset } from '../../pipeline/dataset/build.ts';
import { checkLabels } from '../../pipeline/dataset/validate.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { makeCollection, object, removeTempDirs, testParams } from './fixtures.ts';

/*
 * Security tester: a params.yaml with a large vocabulary and 1,000 labels.csv lines outside it took 3½ minutes and
 * 3 GB, and wrote a 463 MB dataset.json: every line's message held the whole vocabulary, and one warning per
 * vocabulary label followed. The vocabulary is named once per run; the per-label warnings are a few, then a count.
 */

afterAll(removeTempDirs);

const vocabulary = Array.from({ length: 500 }, (_, i) => `label-${String(i).padStart(4, '0')}`);
const ids = Array.from({ length: 20 }, (_, i) => `o${i + 1}`);
const outside = Array.from({ length: 300 }, (_, i) => ({ objectId: ids[i % 20]!, label: `wrong-${i}`, line: i + 22 }));

describe('labels outside a large vocabulary', () => {
  it('name the vocabulary in the first line’s message only; later lines refer to it', () => {
    const { issues } = checkLabels({ labels: outside, objectIds: new Set(ids), vocabulary, name: 'labels.csv' });
    const messages = issues.filter((i) => i.code === 'LABEL_NOT_IN_VOCABULARY').map((i) => i.message);
    expect(messages).toHaveLength(300);
    expect(messages.filter((m) => m.includes('label-0499'))).toEqual([messages[0]]);
    expect(messages[0]).toContain('The labels are: label-0000, label-0001');
    expect(messages[1]).toBe(
      'labels.csv:23: "wrong-1" is not one of the labels of this collection, and only 1 object has it: most likely ' +
        'a slip (a typo or the wrong word). The labels are listed in the warning on line 22 (collection.vocabulary ' +
        'in params.yaml). Correct it on this line; until then the line is skipped.',
    );
    // Bounded by the lines, not lines × vocabulary.
    const total = messages.reduce((n, m) => n + m.length, 0);
    expect(total).toBeLessThan(300 * 400 + vocabulary.length * 20);
  });

  it('a near miss still says "did you mean" on every line, however many lines repeat it', () => {
    const labels = Array.from({ length: 50 }, (_, i) => ({ objectId: ids[i % 20]!, label: 'Label-0007', line: i + 2 }));
    const { issues } = checkLabels({ labels, objectIds: new Set(ids), vocabulary, name: 'labels.csv' });
    expect(issues).toHaveLength(50);
    for (const issue of issues) expect(issue.message).toMatch(/Did you mean "label-0007"\?$/);
  });

  it('the build warns of vocabulary labels without objects in a few lines, then how many more', async () => {
    const ws = await makeCollection({
      objects: ids.map((id) => object(id)),
      labelsText: `object_id,label\n${ids.map((id, i) => `${id},${vocabulary[i % 2]}`).join('\n')}\n`,
    });
    const log = memoryLogger();
    const params = testParams((p) => {
      p.collection.vocabulary = vocabulary;
      p.dataset.min_test_per_class = 1;
    });
    await buildDataset({ ws, params, log, jobs: 1 });
    const warnings = log.lines.filter((l) => l.level === 'warn').map((l) => l.message);
    const noObject = warnings.filter((w) => w.includes('but no object of the dataset has it'));
    expect(noObject.length).toBeLessThanOrEqual(10);
    expect(warnings.length).toBeLessThan(30);
    expect(warnings.some((w) => /^498 labels of collection\.vocabulary have no object/.test(w))).toBe(true);
  });
});
