import { afterAll, describe, expect, it } from 'vitest';
import { buildDataset } from '../../pipeline/dataset/build.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { makeCollection, object, removeTempDirs, testParams } from './fixtures.ts';

/*
 * Tester: a label cell holding a line break ("figu⏎rine", a quoted CSV cell pasted from elsewhere) was printed
 * across two lines, the second looking like a message of its own. Values from the tables are shown on one line,
 * the break written as "\n", as the CLI shows file names.
 */

afterAll(removeTempDirs);

describe('a label with a line break in it', () => {
  it('is named on one line of the warning, the break shown as \\n', async () => {
    const vocabulary = ['coin', 'mask', 'figurine'];
    const ids = Array.from({ length: 24 }, (_, i) => `o${i + 1}`);
    const rows = ids.map((id, i) => `${id},${i === 5 ? '"figu\nrine"' : vocabulary[i % 3]}`);
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
    const warnings = log.lines.filter((l) => l.level === 'warn').map((l) => l.message);
    expect(warnings[0]).toBe(
      'labels.csv:7: "figu\\nrine" is not one of the labels of this collection. Did you mean "figurine"?',
    );
    for (const warning of warnings) expect(warning).not.toContain('\n');
  });
});
