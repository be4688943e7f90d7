import { afterAll, describe, expect, it } from 'vitest';
import { buildDataset } from '../../pipeline/dataset/build.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { makeCollection, object, removeTempDirs, testParams } from './fixtures.ts';

/*
 * An outside tester: "DM-0003,Figurine" (the vocabulary has "figurine") was warned of with "Did you mean
 * "figurine"?", and the public catalogue page then said "Not one of the types the model is trained on", which is
 * false. The near miss is kept in dataset.json, on the line's issue (label, meant, slip), for the catalogue to read
 * instead of the message's words.
 */

afterAll(removeTempDirs);

const objects = ['a1', 'a2', 'a3', 'a4'].map((id) => object(id));

describe('a label outside the vocabulary, in dataset.json', () => {
  it('carries the label written, the vocabulary label it is a slip for, and that it is one', async () => {
    const ws = await makeCollection({
      objects,
      labelsText: 'object_id,label\na1,coin\na2,Coin\na3,teapot\na4,mask\n',
    });
    const dataset = await buildDataset({ ws, params: testParams(), log: memoryLogger() });
    expect(dataset.issues).toEqual([
      expect.objectContaining({
        code: 'LABEL_NOT_IN_VOCABULARY',
        line: 3,
        object: 'a2',
        label: 'Coin',
        meant: 'coin',
        slip: true,
      }),
      // No near miss: nothing more than the label written.
      expect.objectContaining({ code: 'LABEL_NOT_IN_VOCABULARY', line: 4, object: 'a3', label: 'teapot' }),
    ]);
    expect(dataset.issues[1]).not.toHaveProperty('meant');
    expect(dataset.issues[0]!.message).toContain('Did you mean "coin"?');
  });

  it('a letter from a label many objects use may be a label of its own: meant, but no slip', async () => {
    const many = Array.from({ length: 14 }, (_, i) => object(`m${i}`));
    const rows = many.map((o, i) => `${o.id},${i < 4 ? 'chain' : 'chair'}`);
    const ws = await makeCollection({
      objects: many,
      labelsText: `object_id,label\n${rows.join('\n')}\n`,
    });
    const params = testParams((p) => {
      p.collection.vocabulary = ['chain', 'coin'];
      p.dataset.min_test_per_class = 1;
    });
    // Ten objects: more than minObjectsPerLabel (5, with one test object a label and a test share of 0.2).
    const dataset = await buildDataset({ ws, params, log: memoryLogger() });
    const issue = dataset.issues.find((i) => i.object === 'm4')!;
    expect(issue).toMatchObject({ code: 'LABEL_NOT_IN_VOCABULARY', label: 'chair', meant: 'chain', slip: false });
  });
});
