import { afterAll, describe, expect, it } from 'vitest';
import { buildDataset } from '../../pipeline/dataset/build.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { makeCollection, object, removeTempDirs, solidImage, testParams } from './fixtures.ts';

/*
 * Outside tester (T3 F14): one placeholder picture given to 40 objects under 5 labels was said by the dataset stage
 * as “one of the labels is likely wrong, or an object was given another one’s photograph”, all 40 ids on one line,
 * never that it is likely no photograph of these objects at all and that the model learns it under each label.
 */

afterAll(removeTempDirs);

const LABELS = ['coin', 'mask', 'vessel'];

describe('one picture shared by many objects with different labels', () => {
  it('is said as a likely placeholder, with the count, a few ids and the labels the model learns it under', async () => {
    const many = Array.from({ length: 12 }, (_, i) => `p${i + 1}`);
    const placeholder = await solidImage({ colour: '#808080' });
    const images: Record<string, Buffer> = {};
    for (const id of many) images[`images/${id}.png`] = placeholder;
    // A pair with different labels: said as before, a label likely wrong.
    const pair = await solidImage({ colour: '#204060' });
    images['images/q1.png'] = pair;
    images['images/q2.png'] = pair;
    for (const id of ['a1', 'a2', 'a3'])
      images[`images/${id}.png`] = await solidImage({ colour: `#${id}${id}`.slice(0, 7) });
    const ws = await makeCollection({
      objects: [...many, 'q1', 'q2', 'a1', 'a2', 'a3'].map((id) => object(id)),
      labels: [
        ...many.map((id, i) => ({ objectId: id, label: LABELS[i % 3]! })),
        { objectId: 'q1', label: 'coin' },
        { objectId: 'q2', label: 'mask' },
        { objectId: 'a1', label: 'coin' },
        { objectId: 'a2', label: 'mask' },
        { objectId: 'a3', label: 'vessel' },
      ],
      images,
    });
    const log = memoryLogger();
    await buildDataset({ ws, params: testParams(), log });
    // Said once, as a placeholder (its objects are left out: not-photographs.test.ts); the pair apart.
    const said = log.lines.filter((l) => /have the same (image|picture)/.test(l.message)).map((l) => l.message);
    expect(said).toHaveLength(2);
    const [placeholderLine, pairLine] = said as [string, string];
    expect(placeholderLine).toMatch(/12 objects/);
    expect(placeholderLine).toMatch(/placeholder/);
    expect(placeholderLine).toMatch(/under 3 labels/);
    expect(placeholderLine).toMatch(/"p1" \(coin\), "p4" \(coin\), "p7" \(coin\) and 9 more/);
    expect(placeholderLine).not.toMatch(/"p12"/);
    // The pair is still said as a label likely wrong.
    expect(pairLine).toMatch(/"q1" \(coin\), "q2" \(mask\)/);
    expect(pairLine).not.toMatch(/"p1"/);
  });
});
