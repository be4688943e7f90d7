import { buildDataset } from '../../pipeline/dataset/build.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { makeCollection, object, testParams } from './fixtures.ts';

const VOCABULARY = ['coin', 'mask', 'figurine'];

/**
 * The warnings of building the dataset of 24 objects labelled coin, mask, figurine in turn, but the sixth
 * (labels.csv line 7) labelled `label`, written in quotes.
 */
export async function warningsForLabel(label: string): Promise<string[]> {
  const ids = Array.from({ length: 24 }, (_, i) => `o${i + 1}`);
  const rows = ids.map((id, i) => `${id},${i === 5 ? `"${label}"` : VOCABULARY[i % 3]}`);
  const ws = await makeCollection({
    objects: ids.map((id) => object(id)),
    labelsText: `object_id,label\n${rows.join('\n')}\n`,
  });
  const log = memoryLogger();
  const params = testParams((p) => {
    p.collection.vocabulary = VOCABULARY;
    p.dataset.min_test_per_class = 1;
  });
  await buildDataset({ ws, params, log, jobs: 1 });
  return log.lines.filter((l) => l.level === 'warn').map((l) => l.message);
}
