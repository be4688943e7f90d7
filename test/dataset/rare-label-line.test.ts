import { afterAll, describe, expect, it } from 'vitest';
import { buildDataset } from '../../pipeline/dataset/build.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { makeCollection, object, removeTempDirs, testParams } from './fixtures.ts';

/*
 * Helper L, session 52: a label outside the vocabulary that one or two objects have is most likely a slip (a typo, the
 * wrong word), and its warning is the one on its line of the pull request; it said the label was not one of the
 * collection’s and listed them, but not what to do on that line. And when the label was close to two vocabulary labels
 * (a letter from "chain" and from "chair"), it suggested neither.
 */

afterAll(removeTempDirs);

/** The warnings of 24 objects labelled in turn with `vocabulary`’s labels, lines 7 and on given `odd` instead. */
async function warnings({ vocabulary, odd }: { vocabulary: string[]; odd: string[] }): Promise<string[]> {
  const ids = Array.from({ length: 24 }, (_, i) => `o${i + 1}`);
  const rows = ids.map((id, i) => `${id},${odd[i - 5] ?? vocabulary[i % vocabulary.length]}`);
  const ws = await makeCollection({
    objects: ids.map((id) => object(id)),
    labelsText: `object_id,label\n${rows.join('\n')}\n`,
  });
  const log = memoryLogger();
  const params = testParams((p) => {
    p.collection.vocabulary = vocabulary;
    p.dataset.min_test_per_class = 1;
  });
  await buildDataset({ ws, params, log, jobs: 1 });
  return log.lines.filter((l) => l.level === 'warn').map((l) => l.message);
}

describe('a label outside the vocabulary that one or two objects have, on its line', () => {
  it('says it is most likely a slip and what to do on that line, for each of its lines', async () => {
    const said = await warnings({ vocabulary: ['coin', 'mask', 'figurine'], odd: ['Sculpture', 'Sculpture'] });
    expect(said[0]).toBe(
      'labels.csv:7: "Sculpture" is not one of the labels of this collection, and only 2 objects have it: most ' +
        'likely a slip (a typo or the wrong word). The labels are: coin, mask, figurine (collection.vocabulary in ' +
        'params.yaml). Correct it on this line; until then the line is skipped.',
    );
    expect(said[1]).toBe(
      'labels.csv:8: "Sculpture" is not one of the labels of this collection, and only 2 objects have it: most ' +
        'likely a slip (a typo or the wrong word). The labels are listed in the warning on line 7 ' +
        '(collection.vocabulary in params.yaml). Correct it on this line; until then the line is skipped.',
    );
  });

  it('close to two vocabulary labels, suggests both', async () => {
    const said = await warnings({ vocabulary: ['chain', 'chair', 'coin'], odd: ['chaim'] });
    expect(said[0]).toBe(
      'labels.csv:7: "chaim" is not one of the labels of this collection. Did you mean "chain" or "chair"? Correct ' +
        'it on this line; until then the line is skipped.',
    );
  });

  it('close to one vocabulary label, still says "did you mean" alone', async () => {
    const said = await warnings({ vocabulary: ['coin', 'mask', 'figurine'], odd: ['figurin'] });
    expect(said[0]).toBe(
      'labels.csv:7: "figurin" is not one of the labels of this collection. Did you mean "figurine"?',
    );
  });
});
