import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildCatalogueData } from '../../pipeline/catalogue/index.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';
import type { Metrics } from '../../pipeline/types.ts';
import { tempDir } from '../fixtures/temp.ts';
import { writeFixture } from '../site/fixture.ts';

/*
 * Reviewer V24 (F6): the model card says "Macro-F1, over 2 of the 3 labels (Bowl had no test objects)" since
 * 4039b842, but the public site still showed the bare figure on the model page, the models list and the home page.
 * The catalogue data now carries the same words, by the card's rule, for the pages to place as they are.
 */

async function currentMetrics(labels: string[], confusion: number[][]) {
  const root = await tempDir('vitrine-macro-f1-over-');
  const objects = labels.map((label, i) => ({ id: `C-${i}`, title: `Object ${i}`, label, image: null }));
  await writeFixture({ root, objects, labels });
  const ws = workspace(root);
  const file = path.join(ws.evaluate, 'metrics.json');
  const metrics = JSON.parse(await readFile(file, 'utf8')) as Metrics;
  metrics.confusion = confusion;
  metrics.perClass = labels.map((label, c) => ({
    label,
    precision: 1,
    recall: 1,
    f1: 1,
    support: confusion[c]!.reduce((a, b) => a + b, 0),
  }));
  await writeFile(file, JSON.stringify(metrics));
  const { catalogue } = await buildCatalogueData({ ws, params: defaultParams(), log: memoryLogger() });
  return catalogue.models.find((m) => m.current)!.metrics!;
}

describe('what the public site says the macro-F1 is over', () => {
  it('names the types with no test objects and how many of the types the score is over', async () => {
    const m = await currentMetrics(
      ['Spear', 'Tile', 'Bowl'],
      [
        [5, 0, 0],
        [0, 3, 0],
        [0, 0, 0],
      ],
    );
    expect(m.macroF1Over).toBe('over 2 of the 3 types (Bowl had no test objects)');
  });

  it('says nothing more when every type counts, a type the model named without test objects too', async () => {
    const named = await currentMetrics(
      ['Spear', 'Tile', 'Bowl'],
      [
        [4, 0, 1],
        [0, 3, 0],
        [0, 0, 0],
      ],
    );
    expect(named.macroF1Over).toBeNull();
  });

  it('names three types and counts the others when more than four had no test objects', async () => {
    const labels = ['Spear', 'Tile', 'Bowl', 'Cup', 'Jug', 'Lamp', 'Seal'];
    const confusion = labels.map((_, r) => labels.map((__, c) => (r === c && r < 2 ? 4 : 0)));
    const m = await currentMetrics(labels, confusion);
    expect(m.macroF1Over).toBe('over 2 of the 7 types (Bowl, Cup, Jug and 2 more had no test objects)');
  });
});
