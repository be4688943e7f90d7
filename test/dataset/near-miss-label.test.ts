import { afterAll, describe, expect, it } from 'vitest';
import { buildDataset } from '../../pipeline/dataset/build.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { makeCollection, object, removeTempDirs, testParams } from './fixtures.ts';
import { warningsForLabel } from './label-warnings.ts';

/*
 * Tester, 2026-12-02 #4: one mistyped label ("Figurine " for "figurine") gave six warning lines, two of them
 * wrong for a typo ("add it to collection.vocabulary", "too few objects to learn"), the right "Did you mean" among
 * them. A near miss of one vocabulary label is said once, on its line, first.
 */

afterAll(removeTempDirs);

describe('a label that is a near miss of one vocabulary label', () => {
  for (const [what, typo, shown] of [
    ['capitals and a trailing space', 'Figurine ', 'Figurine'],
    ['a letter missing', 'figurne', 'figurne'],
  ] as const) {
    it(`(${what}) is said once, first, on its line, as "did you mean"`, async () => {
      const warnings = await warningsForLabel(typo);
      expect(warnings[0]).toBe(
        `labels.csv:7: "${shown}" is not one of the labels of this collection. Did you mean "figurine"?`,
      );
      expect(warnings.filter((m) => m.includes(`"${shown}"`) || m.includes(`${shown} (`))).toHaveLength(1);
      const all = warnings.join('\n');
      expect(all).not.toMatch(/add it to collection\.vocabulary/);
      expect(all).not.toMatch(/too few objects/);
      expect(all).not.toMatch(/look like the same label/);
      // The count that closes the list speaks of one label, not "1 labels".
      expect(warnings).toContain('1 object with a label the model does not learn (kept in the catalogue).');
    });
  }
});

describe('labels that are all near misses', () => {
  it('stop the dataset with the did-you-mean in the error, since no object is left to train on', async () => {
    const ids = ['a1', 'a2', 'a3', 'a4'];
    const ws = await makeCollection({
      objects: ids.map((id) => object(id)),
      labelsText: 'object_id,label\na1,Coin\na2,Mask\na3,Coin\na4,Mask\n',
    });
    const error = await buildDataset({
      ws,
      params: testParams((p) => (p.collection.vocabulary = ['coin', 'mask'])),
      log: memoryLogger(),
      jobs: 1,
    }).catch((e: unknown) => e);
    const message = (error as Error).message;
    expect(message).toContain(
      '"Coin" (2 objects, on lines 2, 4) is not one of the labels of this collection. Did you mean "coin"?',
    );
    expect(message).toContain('Did you mean "mask"?');
  });
});
