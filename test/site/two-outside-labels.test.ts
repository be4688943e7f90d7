import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildCatalogueData, buildSite } from '../../pipeline/catalogue/index.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';
import { tempDir } from '../fixtures/temp.ts';
import { type FixtureObject, withCheckedLabels, writeFixture } from './fixture.ts';

/*
 * An object given two labels outside the vocabulary on two lines of labels.csv ("Misc", "Textile"): staff said twice
 * it is none of the model’s types, but its guess was published as the object’s type, with nothing of what staff
 * wrote on its page. Its guess is held back, and the page says staff gave it different labels.
 */

describe('an object staff gave two labels of their own', () => {
  it('has its guess held back, and its page says why without naming one of the two', async () => {
    const dir = await tempDir('vitrine-two-outside-');
    const labels = ['coin', 'vessel'];
    const objects: FixtureObject[] = [
      { id: 'O-0', title: 'Obol', label: 'coin', image: null },
      { id: 'O-1', title: 'Jug', label: 'vessel', image: null },
      { id: 'O-2', title: 'Sampler', label: null, image: null, predicted: { label: 'vessel', confidence: 0.8 } },
      // A reviewer: "Misc" beside "COIN" (a slip for coin) read "types of their own … not types the model is
      // trained on"; "COIN" beside "Coin" (two spellings of coin) read as staff disagreeing.
      { id: 'O-3', title: 'Token', label: null, image: null, predicted: { label: 'coin', confidence: 0.8 } },
      { id: 'O-4', title: 'Stater', label: null, image: null, predicted: { label: 'coin', confidence: 0.9 } },
    ];
    await writeFixture({ root: dir, objects, labels, withMetrics: false });
    const ws = workspace(dir);
    await withCheckedLabels({
      ws,
      labelsText:
        'object_id,label\nO-0,coin\nO-1,vessel\nO-2,Misc\nO-2,Textile\nO-3,Misc\nO-3,COIN\nO-4,COIN\nO-4,Coin\n',
      objectIds: new Set(objects.map((o) => o.id)),
      vocabulary: labels,
    });
    const params = defaultParams();
    const { catalogue } = await buildCatalogueData({ ws, params, log: memoryLogger() });
    const o2 = catalogue.objects.find((o) => o.id === 'O-2')!;
    expect(o2.annotation).toMatchObject({ published: false, outsideVocabulary: true });
    expect(o2).toMatchObject({ label: null, labelLinesDisagree: true, labelOutsideVocabulary: false });
    const o3 = catalogue.objects.find((o) => o.id === 'O-3')!;
    expect(o3.annotation).toMatchObject({ published: false, outsideVocabulary: true });
    expect(o3).toMatchObject({ labelLinesDisagree: true });
    // Two spellings of one type: staff agree, and the page says it is coin written another way.
    const o4 = catalogue.objects.find((o) => o.id === 'O-4')!;
    expect(o4).toMatchObject({ labelLinesDisagree: false, labelMeant: 'coin' });
    await buildSite({ ws, params, log: memoryLogger() });
    const html = (await readFile(path.join(ws.site, 'objects', o2.slug, 'index.html'), 'utf8')).replace(/\s+/g, ' ');
    expect(html).toContain('Not published: staff gave a type of their own');
    expect(html).toContain(
      'Staff gave this object different labels on different lines of the labels file, at least one of them not a type',
    );
    expect(html).toContain('different labels on different lines of the labels file: waiting for staff to keep one');
    expect(html).not.toContain('catalogued this object as “”');
  }, 300_000);
});
