import { afterAll, describe, expect, it } from 'vitest';
import { memoryLogger } from '../../pipeline/log.ts';
import { datasetStage } from '../../pipeline/stages/dataset.ts';
import { makeCollection, object, removeTempDirs, testParams } from './fixtures.ts';

/*
 * Tester T1 (LOW-2): one dataset run counted its left-out lines two ways: the warning "3 rows skipped: 2 labels
 * outside the vocabulary, 1 repeated label", the summary "1 row skipped, 2 objects with a label the model does not
 * learn". A label outside the vocabulary keeps its object in the catalogue: not a skipped row. One count, the same
 * words in both.
 */

afterAll(removeTempDirs);

describe('rows left out and labels the model does not learn, at the dataset stage', () => {
  it('are counted once, in the same words in the warning and in the summary', async () => {
    const ids = ['a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'x1', 'x2'];
    const ws = await makeCollection({
      objects: ids.map((id) => object(id)),
      labelsText:
        'object_id,label\na1,coin\na2,coin\na3,coin\na4,mask\na5,mask\na6,mask\n' +
        'x1,Photograph\nx2,Textile\na1,mask\n',
    });
    const log = memoryLogger();
    const summary = (await datasetStage.run({ ws, params: testParams(), log, env: {} } as never))?.summary ?? '';
    const warnings = log.lines.filter((l) => l.level === 'warn').map((l) => l.message);
    expect(summary).toContain('1 row skipped');
    expect(summary).toContain('2 objects with a label the model does not learn');
    expect(warnings).toContain('1 row skipped: 1 repeated label.');
    expect(warnings.filter((w) => w.startsWith('2 objects with a label the model does not learn'))).toHaveLength(1);
    expect(warnings.join('\n')).not.toMatch(/\b3 rows skipped|labels outside the vocabulary, 1 repeated/);
  });
});
