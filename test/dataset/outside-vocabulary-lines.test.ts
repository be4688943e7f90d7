import { afterAll, describe, expect, it } from 'vitest';
import { buildDataset } from '../../pipeline/dataset/build.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { makeCollection, object, removeTempDirs, testParams } from './fixtures.ts';

/*
 * Tester T3: "- textile" deleted from collection.vocabulary, and the run printed 50 warnings alike, one per line of
 * labels.csv ("textile" is not one of the labels of this collection), before the paragraph that counts them. A label
 * many lines have is said once, with its count and its first objects; a slip on a line or two still on its line.
 */

afterAll(removeTempDirs);

describe('a label outside the vocabulary on many lines of labels.csv', () => {
  it('is one warning with the count and the first objects, annotated on its first line; a slip keeps its own', async () => {
    const ids = Array.from({ length: 12 }, (_, i) => `a${String(i + 1).padStart(2, '0')}`);
    const labelOf = (i: number) => (i < 8 ? 'textile' : i === 8 ? 'vesel' : 'coin');
    const ws = await makeCollection({
      objects: ids.map((id) => object(id)),
      labelsText: `object_id,label\n${ids.map((id, i) => `${id},${labelOf(i)}`).join('\n')}\n`,
    });
    const log = memoryLogger();
    await buildDataset({ ws, params: testParams(), log });
    const warnings = log.lines.filter((l) => l.level === 'warn');
    const textile = warnings.filter((l) => l.message.includes('"textile" is not one of the labels'));
    expect(textile.map((l) => l.message)).toEqual([
      'labels.csv: "textile" is not one of the labels of this collection, on 8 lines: a01 (line 2), a02 (line 3), ' +
        'a03 (line 4) and 5 more. The labels are: coin, mask, vessel (collection.vocabulary in params.yaml).',
    ]);
    expect(textile[0]!.where).toMatchObject({ file: 'labels.csv', line: 2 });
    expect(warnings.filter((l) => l.message.includes('"vesel"'))).toHaveLength(1);
  });
});
