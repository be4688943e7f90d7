import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildCatalogueData } from '../../pipeline/catalogue/index.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';
import type { Annotation } from '../../pipeline/types.ts';
import { tempDir } from '../fixtures/temp.ts';
import { writeFixture } from '../site/fixture.ts';

/*
 * Reviewer: labels.csv and params.yaml now read a no-break space between a label’s words as a plain space
 * ("Epoche:\u00a0Neu" is "Epoche: Neu"), but the catalogue compared the model’s labels with the staff label in NFC
 * only. A model trained before, whose labels and annotations keep the no-break space, then disagreed with every
 * object of that label, and a label issue scored against it was taken as settled by a change nobody made.
 */

const PLAIN = 'Epoche: Neu';
const NBSP = 'Epoche:\u00a0Neu';

describe('the staff label and the model label, with a no-break space between words', () => {
  it('a model that kept the no-break space agrees with the staff label read with a plain one', async () => {
    const root = await tempDir('vitrine-annotation-space-');
    await writeFixture({
      root,
      objects: [
        { id: 'O-1', title: 'Bowl', label: PLAIN, image: null, predicted: { label: NBSP, confidence: 0.93 } },
        {
          id: 'O-2',
          title: 'Coin',
          label: 'Monnaie',
          image: null,
          predicted: { label: 'Monnaie', confidence: 0.9 },
          labelIssue: { score: 0.8, suggested: NBSP, flagged: true },
        },
      ],
      labels: [NBSP, 'Monnaie'],
      withMetrics: false,
    });
    const ws = workspace(root);
    const file = path.join(ws.registry, 'annotations.json');
    const annotations = JSON.parse(await readFile(file, 'utf8')) as Annotation[];
    for (const a of annotations) a.humanLabel = a.id === 'O-1' ? NBSP : 'Monnaie';
    await writeFile(file, JSON.stringify(annotations));
    const { catalogue } = await buildCatalogueData({ ws, params: defaultParams(), log: memoryLogger() });
    const bowl = catalogue.objects.find((o) => o.id === 'O-1')!.annotation!;
    expect(bowl.label).toBe(PLAIN);
    expect(bowl.agrees).toBe(true);
    expect(bowl.labelChanged).toBeUndefined();
    const coin = catalogue.objects.find((o) => o.id === 'O-2')!.annotation!;
    expect(coin.labelIssue).toMatchObject({ suggested: PLAIN, flagged: true });
  });
});
