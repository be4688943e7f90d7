import { afterAll, describe, expect, it } from 'vitest';
import { checkVocabulary } from '../../pipeline/collection/vocabulary.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { datasetStage } from '../../pipeline/stages/dataset.ts';
import { makeCollection, object, removeTempDirs, testParams } from './fixtures.ts';

/*
 * Outside tester (T3 F6): labels.csv with its lines repeated 120 times (a file pasted again and again; twice in a
 * merge) said “720 objects with a label the model does not learn” and `"Painting" (720 objects)` of 6 paintings:
 * lines were counted as objects.
 */

afterAll(removeTempDirs);

describe('labels.csv lines repeated, with a label outside the vocabulary', () => {
  it('count the objects once each, and say lines where lines are meant', async () => {
    const ids = ['a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'p1', 'p2', 'p3'];
    const once = [
      ...['a1', 'a2', 'a3'].map((id) => `${id},coin`),
      ...['a4', 'a5', 'a6'].map((id) => `${id},mask`),
      ...['p1', 'p2', 'p3'].map((id) => `${id},Painting`),
    ];
    const ws = await makeCollection({
      objects: ids.map((id) => object(id)),
      labelsText: `object_id,label\n${[...once, ...once, ...once, ...once].join('\n')}\n`,
    });
    const log = memoryLogger();
    const summary = await datasetStage.run({ ws, params: testParams(), log, env: {} } as never);
    const said = [...log.lines.map((l) => l.message), summary?.summary ?? ''].join('\n');
    expect(said).not.toMatch(/\b12 objects\b|Painting[^\n]*\(12\b/);
    expect(summary?.summary).toContain('3 objects with a label the model does not learn (on 12 lines of labels.csv');
  });

  it('are counted as objects by checkVocabulary when each line names its object', () => {
    const labels = Array.from({ length: 720 }, (_, i) => ({ label: 'Painting', objectId: `P${i % 6}`, line: i + 2 }));
    const check = checkVocabulary({ labels, vocabulary: ['coin', 'mask'], minPerLabel: 5 });
    expect(check.outside[0]).toMatchObject({ label: 'Painting', count: 6 });
    expect(check.outside[0]!.lines).toHaveLength(720);
    expect(check.message).toMatch(/Painting \(6\)/);
    expect(check.message).toMatch(/"Painting" \(6 objects\) on lines 2, 3, 4, 5, 6 and 715 more/);
  });
});
